// Tokens, check definitions and reader cursors: few rows, changed by whole-row replacement.
// Each change is a new row with a higher version; the latest row per key wins (LIMIT 1 BY key), and
// a deletion is a row with deleted = 1. Uniqueness (a token's id and hash) is checked before
// writing: tokens and checks are written by the one control instance, so there is no race.
import type { ClickHouseClient } from '@clickhouse/client';
import type { CheckOrigin, CheckRecord, TokenRecord, TokenScope } from '../types.ts';
import { selectRows } from './query.ts';
import { str } from './sql.ts';
import type { VersionClock } from './versions.ts';

interface TokenRow { id: string; name: string; scope: TokenScope; hash: string; created_at_ms: string; deleted: number }
interface CheckRow { id: string; definition: string; origin: CheckOrigin; created_at_ms: string; updated_at_ms: string; deleted: number }

const toToken = (r: TokenRow): TokenRecord => ({ id: r.id, name: r.name, scope: r.scope, hash: r.hash, createdAtMs: Number(r.created_at_ms) });
const toCheck = (r: CheckRow): CheckRecord => ({
  id: r.id, definition: JSON.parse(r.definition), origin: r.origin, createdAtMs: Number(r.created_at_ms), updatedAtMs: Number(r.updated_at_ms),
});

/**
 * The latest row per key (optionally only keys matching a condition on any of their rows),
 * deleted ones included: the caller drops those in JS, because a `deleted = 0` filter pushed
 * below LIMIT BY by an optimizer would resurrect deleted rows.
 */
function latest(db: string, table: string, key: string, columns: readonly string[], match?: string): string {
  const restrict = match === undefined ? '' : `WHERE ${key} IN (SELECT ${key} FROM ${db}.${table} WHERE ${match})`;
  return `SELECT ${key}, ${columns.join(', ')}, deleted FROM ${db}.${table} ${restrict}
    ORDER BY ${key}, version DESC LIMIT 1 BY ${key}`;
}

const live = <Row extends { deleted: number | string }>(rows: Row[]): Row[] => rows.filter((r) => Number(r.deleted) === 0);

const TOKEN_COLUMNS = ['name', 'scope', 'hash', 'created_at_ms'];
const CHECK_COLUMNS = ['definition', 'origin', 'created_at_ms', 'updated_at_ms'];

export function createSmallTables(client: ClickHouseClient, db: string, versions: VersionClock) {
  const insert = (table: string, row: Record<string, unknown>) =>
    client.insert({ table: `${db}.${table}`, values: [{ ...row, version: versions.next() }], format: 'JSONEachRow' });
  const tokenRow = (t: TokenRecord, deleted: 0 | 1) => ({ id: t.id, name: t.name, scope: t.scope, hash: t.hash, created_at_ms: t.createdAtMs, deleted });
  const checkRow = (c: CheckRecord, deleted: 0 | 1) => ({
    id: c.id, definition: JSON.stringify(c.definition), origin: c.origin, created_at_ms: c.createdAtMs, updated_at_ms: c.updatedAtMs, deleted,
  });
  const tokenWhere = async (match: string) => live(await selectRows<TokenRow>(client, latest(db, 'tokens', 'id', TOKEN_COLUMNS, match))).map(toToken);
  const checkWhere = async (match: string) => live(await selectRows<CheckRow>(client, latest(db, 'checks', 'id', CHECK_COLUMNS, match))).map(toCheck);

  return {
    async createToken(token: TokenRecord): Promise<void> {
      const clash = await tokenWhere(`id = ${str(token.id)} OR hash = ${str(token.hash)}`);
      // A duplicate id or hash is a caller bug, as SQLite's UNIQUE constraint says.
      if (clash.some((t) => t.id === token.id || t.hash === token.hash)) throw new Error(`token id or hash already exists: ${token.id}`);
      await insert('tokens', tokenRow(token, 0));
    },
    async findTokenByHash(hash: string): Promise<TokenRecord | null> {
      return (await tokenWhere(`hash = ${str(hash)}`)).find((t) => t.hash === hash) ?? null;
    },
    async listTokens(): Promise<TokenRecord[]> {
      const rows = live(await selectRows<TokenRow>(client, latest(db, 'tokens', 'id', TOKEN_COLUMNS)));
      return rows.map(toToken).sort((a, b) => a.createdAtMs - b.createdAtMs || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async deleteToken(id: string): Promise<boolean> {
      const [token] = await tokenWhere(`id = ${str(id)}`);
      if (!token) return false;
      await insert('tokens', tokenRow(token, 1));
      return true;
    },
    async putCheck(check: CheckRecord): Promise<void> {
      await insert('checks', checkRow(check, 0));
    },
    async getCheck(id: string): Promise<CheckRecord | null> {
      return (await checkWhere(`id = ${str(id)}`))[0] ?? null;
    },
    async listChecks(): Promise<CheckRecord[]> {
      // Ordered by id already (the ORDER BY of latest()).
      return live(await selectRows<CheckRow>(client, latest(db, 'checks', 'id', CHECK_COLUMNS))).map(toCheck);
    },
    /** Marks the check deleted; false when there was none. The caller removes its runs. */
    async deleteCheck(id: string): Promise<boolean> {
      const [check] = await checkWhere(`id = ${str(id)}`);
      if (!check) return false;
      await insert('checks', checkRow(check, 1));
      return true;
    },
    async getCursor(source: string): Promise<string | null> {
      const [row] = await selectRows<{ position: string }>(client,
        `SELECT position FROM ${db}.cursors WHERE source = ${str(source)} ORDER BY version DESC LIMIT 1`);
      return row?.position ?? null;
    },
  };
}

export type SmallTables = ReturnType<typeof createSmallTables>;
