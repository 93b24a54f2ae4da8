/**
 * The todos of the todo example, in a `todos` table of the same database as the users (SQLite by
 * default, PostgreSQL by URL), with Kysely. Every query names the owner: a user reads and changes
 * only their own todos (the `todo` object permission checks ownership before the handlers run).
 */
import { Kysely, type Generated } from 'kysely'
import { dialectOf, sameLogin as same } from '../shared/database.js'

interface TodoTable { id: Generated<number>, owner: string, title: string, completed: number, created_at: string }
interface TodoTables { todos: TodoTable }

/** A todo as the JSON API shows it. */
export interface Todo { id: number, title: string, completed: boolean }

const view = (r: { id: number, title: string, completed: number }): Todo => ({ id: Number(r.id), title: r.title, completed: r.completed !== 0 })

/** The todos table. */
export class TodoData {
  readonly #db: Kysely<TodoTables>
  private constructor (db: Kysely<TodoTables>) { this.#db = db }

  /** Connect to `url` (`sqlite://file.db`, `sqlite::memory:`, `postgres://...`) and create the table when missing. */
  static async open (url: string): Promise<TodoData> {
    const postgres = /^postgres(ql)?:\/\//.test(url)
    const db = new Kysely<TodoTables>({ dialect: dialectOf(url) })
    await db.schema.createTable('todos').ifNotExists()
      .addColumn('id', postgres ? 'serial' : 'integer', (c) => postgres ? c.primaryKey() : c.primaryKey().autoIncrement())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('completed', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute()
    await db.schema.createIndex('todos_owner').ifNotExists().on('todos').column('owner').execute()
    return new TodoData(db)
  }

  /** The todos of `login`, oldest first. */
  async list (login: string): Promise<Todo[]> {
    const rows = await this.#db.selectFrom('todos').select(['id', 'title', 'completed']).where('owner', '=', same(login)).orderBy('id').execute()
    return rows.map(view)
  }

  /** One todo of `login`, or null. */
  async get (id: number, login: string): Promise<Todo | null> {
    const row = await this.#db.selectFrom('todos').select(['id', 'title', 'completed']).where('id', '=', id).where('owner', '=', same(login)).executeTakeFirst()
    return row === undefined ? null : view(row)
  }

  /** Add a todo for `login`. */
  async add (login: string, title: string): Promise<Todo> {
    const row = await this.#db.insertInto('todos').values({ owner: same(login), title, completed: 0, created_at: new Date().toISOString() })
      .returning(['id', 'title', 'completed']).executeTakeFirstOrThrow()
    return view(row)
  }

  /** Change a todo of `login`; null when there is none. */
  async update (id: number, login: string, change: { title?: string, completed?: boolean }): Promise<Todo | null> {
    const set: { title?: string, completed?: number } = {}
    if (change.title !== undefined) set.title = change.title
    if (change.completed !== undefined) set.completed = change.completed ? 1 : 0
    if (Object.keys(set).length > 0) await this.#db.updateTable('todos').set(set).where('id', '=', id).where('owner', '=', same(login)).execute()
    return await this.get(id, login)
  }

  /** Delete a todo of `login`; whether there was one. */
  async remove (id: number, login: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('todos').where('id', '=', id).where('owner', '=', same(login)).executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  /** Whether `login` owns todo `id`: null when there is no such todo (a 404 for the plugin). */
  async isOwner (id: number, login: string): Promise<boolean | null> {
    const row = await this.#db.selectFrom('todos').select('owner').where('id', '=', id).executeTakeFirst()
    return row === undefined ? null : row.owner === same(login)
  }

  /** Close the connection. */
  async close (): Promise<void> { await this.#db.destroy() }
}
