// Opening the embedded store: connection settings, then migrations, then the Store.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.ts';
import { SqliteStore } from './sqlite-store.ts';
import { inlineWriter, workerWriter } from './writer.ts';

export interface SqliteStoreOptions {
  /** Database file path, or ':memory:'. Missing parent folders are created. */
  file: string;
  /**
   * NORMAL (default) survives a process crash and may lose the last commits on power loss;
   * FULL syncs every commit.
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** Page cache per connection (the writer's and the reader's), MiB (default 256). */
  cacheMiB?: number;
  /** How long a write waits for another connection's lock before failing with SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Checkpoint the WAL after this many appends (default 256)… */
  checkpointEveryAppends?: number;
  /** …or this long after an append, whichever comes first (default 10 s). */
  checkpointIntervalMs?: number;
  /**
   * `worker` (default for files): batches commit in a worker thread with its own connection,
   * so the event loop keeps serving while they do. `inline`: on the calling thread.
   */
  writer?: 'worker' | 'inline';
}

/** A connection with Telltale's settings; no migrations. */
export function openConnection(file: string, options: Pick<SqliteStoreOptions, 'synchronous' | 'busyTimeoutMs' | 'cacheMiB'>): Database.Database {
  const db = new Database(file);
  try {
    // busy_timeout first, so that switching to WAL waits out another connection's lock.
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);
    // Index inserts on random keys (trace ids) land on scattered pages: a large page cache
    // keeps them off the disk; it fills as pages are read, so RSS grows towards it under load.
    // Negative means KiB.
    db.pragma(`cache_size = ${-Math.max(1024, Math.floor((options.cacheMiB ?? 256) * 1024))}`);
    db.pragma('temp_store = MEMORY');
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Opens (creating and migrating as needed) a SQLite-backed Store. */
export function openSqliteStore(options: SqliteStoreOptions): Promise<SqliteStore> {
  return new Promise((resolve) => {
    const { file } = options;
    const inMemory = file === ':memory:' || file === '';
    if (!inMemory) mkdirSync(dirname(file), { recursive: true });
    const db = openConnection(file, options);
    try {
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    const checkpoint = { everyAppends: options.checkpointEveryAppends ?? 256, intervalMs: options.checkpointIntervalMs ?? 10_000 };
    // An in-memory database is private to its connection, so only the inline writer can share it.
    const writer = inMemory || options.writer === 'inline'
      ? inlineWriter(db, checkpoint)
      : workerWriter({ file, synchronous: options.synchronous ?? 'NORMAL', busyTimeoutMs: options.busyTimeoutMs ?? 5000, cacheMiB: options.cacheMiB, checkpoint });
    resolve(new SqliteStore(db, writer));
  });
}
