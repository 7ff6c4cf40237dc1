// API tokens: only the hash of a secret is stored, and lookups go by that hash.
import type Database from 'better-sqlite3';
import type { TokenRecord, TokenScope } from '../types.ts';

interface TokenRow {
  id: string;
  name: string;
  scope: TokenScope;
  hash: string;
  created_at_ms: number;
}

function rowToToken(row: TokenRow): TokenRecord {
  return { id: row.id, name: row.name, scope: row.scope, hash: row.hash, createdAtMs: row.created_at_ms };
}

export interface TokenTable {
  create(token: TokenRecord): void;
  findByHash(hash: string): TokenRecord | null;
  list(): TokenRecord[];
  delete(id: string): boolean;
}

export function createTokenTable(db: Database.Database): TokenTable {
  const insert = db.prepare('INSERT INTO tokens (id, name, scope, hash, created_at_ms) VALUES (?, ?, ?, ?, ?)');
  const byHash = db.prepare<[string], TokenRow>('SELECT id, name, scope, hash, created_at_ms FROM tokens WHERE hash = ?');
  const all = db.prepare<[], TokenRow>('SELECT id, name, scope, hash, created_at_ms FROM tokens ORDER BY created_at_ms, id');
  const remove = db.prepare<[string]>('DELETE FROM tokens WHERE id = ?');
  return {
    // A duplicate id or hash is a caller bug, so the constraint error surfaces as-is.
    create: (t) => void insert.run(t.id, t.name, t.scope, t.hash, t.createdAtMs),
    findByHash: (hash) => {
      const row = byHash.get(hash);
      return row ? rowToToken(row) : null;
    },
    list: () => all.all().map(rowToToken),
    delete: (id) => remove.run(id).changes > 0,
  };
}
