/** Every migration, in the order they apply. Append new ones; never edit or reorder applied ones. */
import type { Migration } from '../migrate.js'
import { migration001Users } from './001-users.js'
import { migration002Uniquifier } from './002-uniquifier.js'

/** The store's migrations, oldest first. */
export const migrations: readonly Migration[] = [migration001Users, migration002Uniquifier]
