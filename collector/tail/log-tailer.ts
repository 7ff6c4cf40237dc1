// Follows one access-log file the way `tail -F` does, saving how far it got in the same store
// transaction as the rows it read: a restart resumes exactly after the last committed line, and
// a rotated file is read to its end before the new one is started, so no line is lost or read twice.
import type { IngestBatch, Store } from '../../store/index.ts';
import type { IngestCounters } from '../counters.ts';
import type { GatewayFormat } from '../gateway/index.ts';
import type { GatewayContext } from '../gateway-lines.ts';
import { IngestOverloadedError, StoreUnavailableError, type IngestQueue } from '../ingest-queue.ts';
import { LineBuffer, type LineChunk } from './line-buffer.ts';
import { decodePosition, encodePosition, readFingerprint, type FileIdentity, type TailPosition } from './position.ts';
import { findRotated, openFile, statOrNull, type OpenFile } from './rotated-files.ts';
import { tailBatch, type TailBatch } from './tail-batch.ts';
import { BacklogReport, Throttle, type BacklogOptions, type TailLogger } from './tail-log.ts';
import { Waker } from './waker.ts';

const MiB = 1024 * 1024;
const RECEIVER = 'gateway_tail';

export interface LogTailerOptions {
  /** Absolute path of the file to follow. */
  path: string;
  /** Names the saved cursor and prefixes call ids; default `tail:<path>`. */
  sourceId?: string;
  /** A parser of this tailer's own (text parsers keep per-stream state). */
  format: GatewayFormat;
  context: GatewayContext;
  store: Pick<Store, 'getCursor'>;
  queue: Pick<IngestQueue, 'submit'>;
  counters: IngestCounters;
  logger: TailLogger;
  /** How often the path is checked for growth and rotation (fs.watch may wake it sooner). */
  pollIntervalMs?: number;
  /** How long a rotated-away file must stay unchanged before the new one is started. */
  rotationGraceMs?: number;
  /** Lines per store batch; keep it below the ingest queue's capacity. */
  maxLinesPerBatch?: number;
  readChunkBytes?: number;
  /** Longer lines are dropped unread and counted as invalid. */
  maxLineBytes?: number;
  /** First and longest wait before retrying a refused batch or a failed read. */
  retryInitialMs?: number;
  retryMaxMs?: number;
  backlog?: Partial<BacklogOptions>;
  /** At most one warning about rejected lines per this interval. */
  rejectLogIntervalMs?: number;
  /** Wake on fs.watch events between polls. */
  watch?: boolean;
  now?: () => number;
}

interface Current {
  file: OpenFile;
  /** What ids and positions name: the file's own identity, or for a copytruncate copy the original's. */
  identity: FileIdentity;
  /** Offset just after the last committed line. */
  committed: number;
  /** False for a copy found after copytruncate: nobody writes to it, so it needs no grace period. */
  growing: boolean;
}

export class LogTailer {
  readonly sourceId: string;
  private readonly lines: LineBuffer;
  private readonly scratch: Buffer;
  private readonly backlog: BacklogReport;
  private readonly rejectLog: Throttle;
  private readonly failureLog: Throttle;
  private readonly now: () => number;
  private saved: TailPosition | null = null;
  private current: Current | null = null;
  private pending: TailBatch | null = null;
  private rotation: { seenAtMs: number; size: number } | null = null;
  private warnedGone = false;
  private loop: Promise<void> | null = null;
  private closing: Promise<void> | null = null;
  private closed = false;
  private readonly waker = new Waker();

  constructor(private readonly options: LogTailerOptions) {
    this.sourceId = options.sourceId ?? `tail:${options.path}`;
    this.now = options.now ?? Date.now;
    this.lines = new LineBuffer(options.maxLineBytes ?? MiB);
    this.scratch = Buffer.alloc(options.readChunkBytes ?? MiB);
    this.backlog = new BacklogReport(options.logger, this.sourceId, { thresholdBytes: 4 * MiB, intervalMs: 5000, ...options.backlog }, this.now);
    this.rejectLog = new Throttle(options.rejectLogIntervalMs ?? 10_000, this.now);
    this.failureLog = new Throttle(10_000, this.now);
  }

  /** Reads the saved position and starts following; the file may not exist yet. */
  async start(): Promise<void> {
    if (this.loop || this.closed) throw new Error(`tailer for ${this.options.path} already started`);
    const text = await this.options.store.getCursor(this.sourceId);
    this.saved = text === null ? null : decodePosition(text);
    if (text !== null && this.saved === null) this.options.logger.warn({ source: this.sourceId, position: text }, 'tail: saved position unreadable; reading the file from the start');
    try {
      await this.openInitial();
    } catch (err) {
      // Not fatal: the loop retries (the file may become readable), keeping the saved position.
      this.options.logger.warn({ source: this.sourceId, err: (err as Error).message }, 'tail: cannot open the file yet');
    }
    if (this.options.watch !== false) this.waker.watch(this.options.path);
    this.loop = this.run();
  }

  /** Stops reading; waits for the batch in flight, so the saved position matches the saved rows. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      this.waker.stop();
      await this.loop;
      await this.current?.file.handle.close();
      this.current = null;
    })();
    return this.closing;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.closed) {
      try {
        const progressed = await this.step();
        failures = 0;
        if (!progressed) await this.waker.sleep(this.options.pollIntervalMs ?? 250, true);
      } catch (err) {
        failures += 1;
        const delayMs = this.retryDelay(failures);
        const held = this.failureLog.pass();
        if (held !== null) this.options.logger.warn({ source: this.sourceId, err: (err as Error).message, retryInMs: delayMs, failuresHeldBack: held }, 'tail: reading failed; retrying');
        await this.waker.sleep(delayMs, false);
      }
    }
  }

  /** One unit of work; false when there was nothing to do and the loop may sleep. */
  private async step(): Promise<boolean> {
    if (!this.current) return this.openInitial();
    if (!this.pending) {
      const maxLines = this.options.maxLinesPerBatch ?? 2000;
      let chunk = this.lines.take(maxLines);
      if (!chunk) {
        const read = await this.readMore(this.current);
        if (read === 'end') return this.atEndOfFile(this.current);
        if (read === 'moved') return true;
        chunk = this.lines.take(maxLines);
        // Only a partial line so far: read on rather than sleep.
        if (!chunk) return true;
      }
      this.pending = await this.prepare(this.current, chunk);
    }
    await this.commit(this.current, this.pending);
    return true;
  }

  /** Opens where the saved position says, finishing a file rotated while we were down; false while there is no file. */
  private async openInitial(): Promise<boolean> {
    const file = await openFile(this.options.path);
    try {
      return await this.resume(file);
    } catch (err) {
      if (file && this.current?.file !== file) await file.handle.close();
      throw err;
    }
  }

  private async resume(file: OpenFile | null): Promise<boolean> {
    const { path, logger } = this.options;
    const saved = this.saved;
    if (!saved) {
      if (file) this.use(file, { ino: String(file.ino), fingerprint: '' }, 0, true);
      return file !== null;
    }
    if (file && String(file.ino) === saved.ino && file.size >= saved.offset
      && (saved.fingerprint === '' || (await readFingerprint(file.handle)) === saved.fingerprint)) {
      this.use(file, saved, saved.offset, true);
      return true;
    }
    const old = await findRotated(path, saved);
    if (old) {
      await file?.handle.close();
      logger.info({ source: this.sourceId, file: old.path, offset: saved.offset }, 'tail: finishing the file rotated while stopped');
      // A renamed file may still get lines from a writer that has not reopened; a copy does not.
      this.use(old, saved, saved.offset, String(old.ino) === saved.ino);
      return true;
    }
    if (!this.warnedGone) {
      this.warnedGone = true;
      logger.warn({ source: this.sourceId, position: encodePosition(saved) }, 'tail: the file of the saved position is gone; its unread lines cannot be read');
    }
    if (file) this.use(file, { ino: String(file.ino), fingerprint: '' }, 0, true);
    return file !== null;
  }

  private use(file: OpenFile, identity: FileIdentity, offset: number, growing: boolean): void {
    this.current = { file, identity: { ...identity }, committed: offset, growing };
    this.saved = null;
    this.rotation = null;
    this.lines.reset(offset);
    this.backlog.begin(offset, file.size);
  }

  /** Reads on; `moved` when the file turned out truncated and reading continues elsewhere. */
  private async readMore(current: Current): Promise<'read' | 'end' | 'moved'> {
    const { bytesRead } = await current.file.handle.read(this.scratch, 0, this.scratch.length, this.lines.readOffset);
    if (bytesRead === 0) return 'end';
    // Checked after the read: bytes read before a truncation are still the old content (and
    // are in the copy, if any), while a truncation before the read is caught here, before a
    // line from the middle of the new content could be taken for one of ours.
    if (await this.wasTruncated(current)) {
      await this.truncated(current);
      return 'moved';
    }
    this.lines.append(this.scratch.subarray(0, bytesRead));
    return 'read';
  }

  /** Shorter than what we read, or starting with another first line: truncated in place (copytruncate). */
  private async wasTruncated(current: Current): Promise<boolean> {
    const size = Number((await current.file.handle.stat({ bigint: true })).size);
    if (size < this.lines.readOffset) return true;
    const { fingerprint } = current.identity;
    return fingerprint !== '' && (await readFingerprint(current.file.handle)) !== fingerprint;
  }

  private async prepare(current: Current, chunk: LineChunk): Promise<TailBatch> {
    // Fixed once the first line is complete, which it is now: ids may use it.
    if (current.identity.fingerprint === '') current.identity.fingerprint = await readFingerprint(current.file.handle);
    return tailBatch(chunk, current.identity, this.sourceId, this.options.format, this.options.context);
  }

  private async commit(current: Current, pending: TailBatch): Promise<void> {
    if (!(await this.submitWithRetry(pending.batch))) return;
    this.pending = null;
    current.committed = pending.end;
    const { counters, logger } = this.options;
    counters.accepted(RECEIVER, 0, pending.batch.calls.length);
    if (pending.rejected > 0) {
      counters.discarded(RECEIVER, 'invalid_line', pending.rejected);
      const held = this.rejectLog.pass(pending.rejected);
      if (held !== null) logger.warn({ source: this.sourceId, ...pending.firstError, rejected: pending.rejected + held }, 'tail: lines rejected');
    }
    this.backlog.progress(pending.end);
  }

  /** True once committed; false when closed while the queue kept refusing (nothing was saved). */
  private async submitWithRetry(batch: IngestBatch): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.options.queue.submit(batch);
        return true;
      } catch (err) {
        if (!(err instanceof IngestOverloadedError || err instanceof StoreUnavailableError)) throw err;
        if (this.closed) return false;
        const delayMs = this.retryDelay(attempt);
        const held = this.failureLog.pass();
        if (held !== null) this.options.logger.warn({ source: this.sourceId, err: err.message, retryInMs: delayMs }, 'tail: store refused a batch; retrying it');
        await this.waker.sleep(delayMs, false);
        if (this.closed) return false;
      }
    }
  }

  /** At the end of what the descriptor holds: look for truncation and rotation. True when it moved on. */
  private async atEndOfFile(current: Current): Promise<boolean> {
    this.backlog.caughtUp(current.committed);
    if (await this.wasTruncated(current)) {
      await this.truncated(current);
      return true;
    }
    const size = Number((await current.file.handle.stat({ bigint: true })).size);
    const atPath = await statOrNull(this.options.path);
    if (!atPath || (atPath.ino === current.file.ino && atPath.dev === current.file.dev)) {
      // Same file, or deleted with no successor yet: a writer may still append through its descriptor.
      this.rotation = null;
      return false;
    }
    if (current.growing) {
      // The writer appends to the old file until it reopens the path: wait until it has gone quiet.
      if (!this.rotation || this.rotation.size !== size) {
        this.rotation = { seenAtMs: this.now(), size };
        return false;
      }
      if (this.now() - this.rotation.seenAtMs < (this.options.rotationGraceMs ?? 1000)) return false;
    }
    // Nothing more will come: an unterminated last line is as complete as it will get.
    const rest = this.lines.takeRest();
    if (rest) {
      this.pending = await this.prepare(current, rest);
      return true;
    }
    const next = await openFile(this.options.path);
    if (!next) return false;
    await current.file.handle.close();
    this.options.logger.info({ source: this.sourceId, finished: encodePosition({ ...current.identity, offset: current.committed }) }, 'tail: file rotated; following the new file');
    this.use(next, { ino: String(next.ino), fingerprint: '' }, 0, true);
    return true;
  }

  /** Copytruncate: the lines we had not read yet are in the copy, if we can find it. */
  private async truncated(current: Current): Promise<void> {
    const { logger, path } = this.options;
    const copy = current.identity.fingerprint === '' ? null : await findRotated(path, { ...current.identity, offset: current.committed });
    if (copy && copy.ino !== current.file.ino) {
      await current.file.handle.close();
      logger.info({ source: this.sourceId, file: copy.path, offset: current.committed }, 'tail: file truncated; finishing its copy');
      this.use(copy, current.identity, current.committed, false);
      return;
    }
    await copy?.handle.close();
    logger.info({ source: this.sourceId, offset: current.committed }, 'tail: file truncated; reading it from the start');
    this.use(current.file, { ino: String(current.file.ino), fingerprint: '' }, 0, true);
  }

  private retryDelay(attempt: number): number {
    const initial = this.options.retryInitialMs ?? 1000;
    return Math.min(initial * 2 ** Math.min(attempt - 1, 20), this.options.retryMaxMs ?? 10_000);
  }
}
