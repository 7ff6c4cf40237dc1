// The control plane in SQLite: documents, history and the outbox on a connection of their own
// (the same file as the telemetry, or a file of its own when telemetry lives in ClickHouse).
// Writes are tiny and rare next to ingest, so they run on the calling thread.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type Database from 'better-sqlite3';
import type {
  ControlChange, ControlDocument, ControlEvent, ControlEventQuery, ControlStore, OutboxAttempt, OutboxMessage, OutboxQuery, OutboxStatus,
} from '../control.ts';
import { migrate } from './migrations.ts';
import { openConnection } from './open.ts';

interface DocumentRow { kind: string; id: string; body: string; updated_at_ms: number }
interface EventRow { kind: string; key: string; at_ms: number; body: string }
interface MessageRow {
  id: string; channel: string; body: string; created_at_ms: number; status: OutboxStatus; attempts: number;
  next_attempt_at_ms: number; last_error: string | null; settled_at_ms: number | null;
}

const MESSAGE_COLUMNS = 'id, channel, body, created_at_ms, status, attempts, next_attempt_at_ms, last_error, settled_at_ms';

const toDocument = (r: DocumentRow): ControlDocument => ({ kind: r.kind, id: r.id, body: JSON.parse(r.body), updatedAtMs: r.updated_at_ms });
const toEvent = (r: EventRow): ControlEvent => ({ kind: r.kind, key: r.key, atMs: r.at_ms, body: JSON.parse(r.body) });
const toMessage = (r: MessageRow): OutboxMessage => ({
  id: r.id, channel: r.channel, body: JSON.parse(r.body), createdAtMs: r.created_at_ms, status: r.status, attempts: r.attempts,
  nextAttemptAtMs: r.next_attempt_at_ms, lastError: r.last_error, settledAtMs: r.settled_at_ms,
});

function positiveLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  return limit;
}

function settle<T>(work: () => T): Promise<T> {
  return new Promise((resolve) => resolve(work()));
}

class SqliteControlStore implements ControlStore {
  readonly #db: Database.Database;
  readonly #apply: Database.Transaction<(change: ControlChange) => void>;

  constructor(db: Database.Database) {
    this.#db = db;
    const put = db.prepare(
      `INSERT INTO control_documents (kind, id, body, updated_at_ms) VALUES (?, ?, ?, ?)
       ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body, updated_at_ms = excluded.updated_at_ms`,
    );
    const remove = db.prepare('DELETE FROM control_documents WHERE kind = ? AND id = ?');
    const event = db.prepare('INSERT INTO control_events (kind, key, at_ms, body) VALUES (?, ?, ?, ?)');
    // At-least-once upstream means the same message may be enqueued twice: the first one wins.
    const enqueue = db.prepare(`INSERT INTO outbox (${MESSAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`);
    this.#apply = db.transaction((change: ControlChange) => {
      for (const d of change.put ?? []) put.run(d.kind, d.id, JSON.stringify(d.body), d.updatedAtMs);
      for (const d of change.delete ?? []) remove.run(d.kind, d.id);
      for (const e of change.events ?? []) event.run(e.kind, e.key, e.atMs, JSON.stringify(e.body));
      for (const m of change.enqueue ?? []) {
        enqueue.run(m.id, m.channel, JSON.stringify(m.body), m.createdAtMs, m.status, m.attempts, m.nextAttemptAtMs, m.lastError, m.settledAtMs);
      }
    });
  }

  documents(kind: string): Promise<ControlDocument[]> {
    return settle(() => this.#db.prepare<[string], DocumentRow>('SELECT * FROM control_documents WHERE kind = ? ORDER BY id').all(kind).map(toDocument));
  }

  document(kind: string, id: string): Promise<ControlDocument | null> {
    return settle(() => {
      const row = this.#db.prepare<[string, string], DocumentRow>('SELECT * FROM control_documents WHERE kind = ? AND id = ?').get(kind, id);
      return row ? toDocument(row) : null;
    });
  }

  commit(change: ControlChange): Promise<void> {
    return settle(() => this.#apply.immediate(change));
  }

  events(q: ControlEventQuery): Promise<ControlEvent[]> {
    return settle(() => {
      const limit = positiveLimit(q.limit);
      // rowid breaks ties between entries of the same millisecond in the order they were written.
      const rows = q.key === undefined
        ? this.#db.prepare<[string, number, number, number], EventRow>(
          'SELECT * FROM control_events WHERE kind = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms DESC, rowid DESC LIMIT ?',
        ).all(q.kind, q.fromMs, q.toMs, limit)
        : this.#db.prepare<[string, string, number, number, number], EventRow>(
          'SELECT * FROM control_events WHERE kind = ? AND key = ? AND at_ms >= ? AND at_ms < ? ORDER BY at_ms DESC, rowid DESC LIMIT ?',
        ).all(q.kind, q.key, q.fromMs, q.toMs, limit);
      return rows.map(toEvent);
    });
  }

  dueMessages(nowMs: number, limit: number): Promise<OutboxMessage[]> {
    return settle(() => this.#db.prepare<[number, number], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM outbox WHERE status = 'pending' AND next_attempt_at_ms <= ? ORDER BY next_attempt_at_ms, created_at_ms LIMIT ?`,
    ).all(nowMs, positiveLimit(limit)).map(toMessage));
  }

  messages(q: OutboxQuery): Promise<OutboxMessage[]> {
    return settle(() => this.#db.prepare<[{ status: string | null; channel: string | null; limit: number }], MessageRow>(
      `SELECT ${MESSAGE_COLUMNS} FROM outbox WHERE (@status IS NULL OR status = @status) AND (@channel IS NULL OR channel = @channel)
       ORDER BY created_at_ms DESC, id DESC LIMIT @limit`,
    ).all({ status: q.status ?? null, channel: q.channel ?? null, limit: positiveLimit(q.limit) }).map(toMessage));
  }

  message(id: string): Promise<OutboxMessage | null> {
    return settle(() => {
      const row = this.#db.prepare<[string], MessageRow>(`SELECT ${MESSAGE_COLUMNS} FROM outbox WHERE id = ?`).get(id);
      return row ? toMessage(row) : null;
    });
  }

  recordAttempt(id: string, a: OutboxAttempt): Promise<boolean> {
    return settle(() => this.#db.prepare(
      'UPDATE outbox SET status = ?, attempts = ?, next_attempt_at_ms = ?, last_error = ?, settled_at_ms = ? WHERE id = ?',
    ).run(a.status, a.attempts, a.nextAttemptAtMs, a.lastError, a.settledAtMs, id).changes > 0);
  }

  prune(beforeMs: number): Promise<number> {
    return settle(() => this.#db.transaction(() => {
      const events = this.#db.prepare('DELETE FROM control_events WHERE at_ms < ?').run(beforeMs).changes;
      // Pending messages stay whatever their age: the delivery loop decides when they fail.
      const messages = this.#db.prepare("DELETE FROM outbox WHERE status != 'pending' AND settled_at_ms < ?").run(beforeMs).changes;
      return events + messages;
    }).immediate());
  }

  close(): Promise<void> {
    return settle(() => {
      if (this.#db.open) this.#db.close();
    });
  }
}

/** Opens the control store on a SQLite file (migrating it as needed). */
export function openSqliteControlStore(options: { file: string; synchronous?: 'NORMAL' | 'FULL' }): Promise<ControlStore> {
  return settle(() => {
    const inMemory = options.file === ':memory:' || options.file === '';
    if (!inMemory) mkdirSync(dirname(options.file), { recursive: true });
    // Its tables are small documents and a short history: a small page cache is plenty.
    const db = openConnection(options.file, { ...options, cacheMiB: 16 });
    try {
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteControlStore(db);
  });
}
