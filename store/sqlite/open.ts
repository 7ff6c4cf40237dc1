// Opening the embedded store: connection settings, then migrations, then the Store.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.ts';
import { SqliteStore } from './sqlite-store.ts';

export interface SqliteStoreOptions {
  /** Database file path, or ':memory:'. Missing parent folders are created. */
  file: string;
  /**
   * NORMAL (default) survives a process crash and may lose the last commits on power loss;
   * FULL syncs every commit.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** How long a write waits for another connection's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Checkpoint the WAL after this many appends (default 256)… */
  checkpointEveryAppends?: number;
  /** …or this long after an append, whichever comes first (default 10 s). */
  checkpointIntervalMs?: number;
}

/** Opens (creating and migrating as needed) a SQLite-backed Store. */
export function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  return new Promise((resolve) => {
    const { file } = options;
    if (file !== ':memory:' && file !== '') mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    try {
      // busy_timeout first, so that switching to WAL waits out another process's lock.
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    resolve(new SqliteStore(db, {
      everyAppends: options.checkpointEveryAppends ?? 256,
      intervalMs: options.checkpointIntervalMs ?? 10_000,
    }));
  });
}
