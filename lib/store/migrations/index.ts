/** Every migration, in the order they apply. Append new ones; never edit or reorder applied ones. */
import type { Migration } from '../migrate.js'
import { migration001Users } from './001-users.js'
import { migration002Uniquifier } from './002-uniquifier.js'
import { migration003LoginKeys } from './003-login-keys.js'
import { migration004Sessions } from './004-sessions.js'

/** The store's migrations, oldest first. */
export const migrations: readonly Migration[] = [migration001Users, migration002Uniquifier, migration003LoginKeys, migration004Sessions]
