/**
 * The acme data: users and groups live in the plugin's built-in store; what users own lives in a
 * `stuff` table of the same database (name primary key, owner, price), managed here with Kysely.
 * This is the tutorial's `AcmeData`, on a real database.
 */
// #region data
import { Kysely } from 'kysely'
import { dialectOf, sameLogin as same } from '../shared/database.js'
import { err } from '../../lib/index.js'

interface StuffTable { name: string, owner: string, price: number }
interface AcmeTables { stuff: StuffTable }

/** PostgreSQL refuses a NUL in text: such a name is answered here, a 400 or a 404, never a 500. */
const hasNul = (name: string): boolean => name.includes('\0')

/** The stuff of acme users, in the `stuff` table of the database at `url`. */
export class AcmeData {
  readonly #db: Kysely<AcmeTables>

  private constructor (db: Kysely<AcmeTables>) { this.#db = db }

  /**
   * Connect to `url` (`sqlite://file.db`, `sqlite::memory:`, `postgres://...`) and create the
   * `stuff` table when missing. With `sqlite::memory:` the table lives in its own memory database.
   *
   * @example
   *   const data = await AcmeData.open('sqlite:///srv/acme.db')
   */
  static async open (url: string): Promise<AcmeData> {
    const db = new Kysely<AcmeTables>({ dialect: dialectOf(url) })
    await db.schema.createTable('stuff').ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('price', 'double precision', (c) => c.notNull())
      .execute()
    return new AcmeData(db)
  }

  /** Add stuff owned by `login`; an existing name is a 409. */
  async addStuff (stuff: string, login: string, price: number): Promise<void> {
    if (hasNul(stuff)) err('a stuff name cannot contain NUL', 400)
    const result = await this.#db.insertInto('stuff').values({ name: stuff, owner: same(login), price })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst()
    if (Number(result.numInsertedOrUpdatedRows ?? 0) === 0) err(`cannot overwrite existing stuff: ${stuff}`, 409)
  }

  /** The stuff of `login` as `[name, price]` pairs, by name. */
  async getUserStuff (login: string): Promise<Array<[string, number]>> {
    const rows = await this.#db.selectFrom('stuff').select(['name', 'price'])
      .where('owner', '=', same(login)).orderBy('name').execute()
    return rows.map((r) => [r.name, r.price])
  }

  /** Change the price of existing stuff; unknown stuff is a 404. */
  async changeStuff (stuff: string, price: number): Promise<void> {
    if (hasNul(stuff)) err(`no such stuff: ${stuff}`, 404)
    const result = await this.#db.updateTable('stuff').set({ price }).where('name', '=', stuff).executeTakeFirst()
    if (Number(result.numUpdatedRows) === 0) err(`no such stuff: ${stuff}`, 404)
  }

  /** Whether `login` owns `stuff`: `null` when there is no such stuff (a 404 for the plugin). */
  async isOwner (stuff: string, login: string): Promise<boolean | null> {
    if (hasNul(stuff)) return null
    const row = await this.#db.selectFrom('stuff').select('owner').where('name', '=', stuff).executeTakeFirst()
    return row === undefined ? null : row.owner === same(login)
  }

  /** Close the connection. */
  async close (): Promise<void> { await this.#db.destroy() }
}
// #endregion data
