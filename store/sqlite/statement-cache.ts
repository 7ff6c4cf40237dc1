// Queries whose WHERE clause depends on which filters are set are prepared once per shape.
// The shapes come from a fixed set of column names, so the cache is small and bounded;
// values are always bound parameters, never part of the SQL text.
import type Database from 'better-sqlite3';

export class StatementCache {
  readonly #db: Database.Database;
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database) {
    this.#db = db;
  }

  get<Row>(sql: string, options: { safeIntegers?: boolean } = {}): Database.Statement<unknown[], Row> {
    const cacheKey = `${options.safeIntegers ? 'bigint' : 'number'}:${sql}`;
    let statement = this.#statements.get(cacheKey);
    if (!statement) {
      statement = this.#db.prepare(sql);
      if (options.safeIntegers) statement.safeIntegers(true);
      this.#statements.set(cacheKey, statement);
    }
    return statement as Database.Statement<unknown[], Row>;
  }
}

/** An AND-ed WHERE clause built from fixed fragments, with its bound values alongside. */
export class Where {
  readonly #clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: string, ...values: unknown[]): this {
    this.#clauses.push(clause);
    this.params.push(...values);
    return this;
  }

  /** Adds `column = ?` when the value is set; `column` must be a literal from the caller's code. */
  equals(column: string, value: string | number | undefined): this {
    return value === undefined ? this : this.add(`${column} = ?`, value);
  }

  toString(): string {
    return this.#clauses.length === 0 ? '1 = 1' : this.#clauses.join(' AND ');
  }
}
