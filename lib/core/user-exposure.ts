/**
 * `request.user` beside other plugins. The plugin's own decorator is `request.authUser`; it never
 * decorates `request.user`, which @fastify/jwt (and others) decorate unconditionally, whatever
 * the order of registration. Instead, when the application becomes ready, each compiled route
 * learns whether anything in its context decorated `user`: where nothing did, its hooks also set
 * `request.user` to the login. The decision is per route context because decorators are
 * encapsulated: @fastify/jwt registered in one scope claims `user` there only.
 */
import type { FastifyInstance } from 'fastify'

/** Whether a route's hooks also set `request.user`; filled in when the application is ready. */
export interface UserSlot {
  user: boolean
}

/** The routes' slots and the per-context decision. */
export class UserExposure {
  readonly #routes: Array<[FastifyInstance, UserSlot]> = []
  readonly #free = new WeakMap<FastifyInstance, boolean>()

  /** The slot of a route declared in `instance` (from `onRoute`). */
  slot (instance: FastifyInstance): UserSlot {
    const slot: UserSlot = { user: false }
    this.#routes.push([instance, slot])
    return slot
  }

  /** Whether nothing decorated `request.user` in `instance` (asked once decorators are final). */
  isFree (instance: FastifyInstance): boolean {
    let free = this.#free.get(instance)
    if (free === undefined) this.#free.set(instance, free = !instance.hasRequestDecorator('user'))
    return free
  }

  /** Decide every route (from `onReady`, once every plugin has decorated what it will). */
  settle (): void {
    for (const [instance, slot] of this.#routes) slot.user = this.isFree(instance)
  }
}
