// Loads a whole access-log file (plain or gzip) into the store: a team's past month of
// traffic on day one. Ids come from the file's fingerprint and line numbers, so importing
// the same file twice, or resuming after a crash, stores every line once.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { Transform } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { IngestBatch, AppendResult } from '../store/index.ts';
import type { GatewayFormat } from './gateway/index.ts';
import { parseGatewayInput, type GatewayContext, type LineError } from './gateway-lines.ts';

export interface ImportProgress {
  /** Bytes of the file read so far (compressed bytes for .gz). */
  readBytes: number;
  totalBytes: number;
  lines: number;
  accepted: number;
  rejected: number;
}

export interface ImportResult extends ImportProgress {
  stored: number;
  errors: LineError[];
  firstTimeMs: number | null;
  lastTimeMs: number | null;
  seconds: number;
}

export interface ImportOptions {
  path: string;
  format: GatewayFormat;
  context: GatewayContext;
  /** Where batches go: a Store's append (rows and cursor in one transaction). */
  append: (batch: IngestBatch) => Promise<AppendResult>;
  linesPerBatch?: number;
  onProgress?: (progress: ImportProgress) => void;
}

/** First 64 KiB of the content (decompressed for .gz): names the file whatever it is called, and stays put as it grows. */
async function fingerprint(path: string, gzip: boolean): Promise<string> {
  const hash = createHash('sha256');
  let taken = 0;
  const stream = gzip ? createReadStream(path).pipe(createGunzip()) : createReadStream(path, { end: 65_535 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const part = chunk.subarray(0, 65_536 - taken);
    hash.update(part);
    taken += part.length;
    if (taken >= 65_536) break;
  }
  stream.destroy();
  return hash.digest('hex').slice(0, 16);
}

async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

export async function importLogFile(options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const { size: totalBytes } = await stat(options.path);
  const gzip = await isGzip(options.path);
  const id = await fingerprint(options.path, gzip);
  const perBatch = options.linesPerBatch ?? 5000;
  const progress: ImportProgress = { readBytes: 0, totalBytes, lines: 0, accepted: 0, rejected: 0 };
  const result: ImportResult = { ...progress, stored: 0, errors: [], firstTimeMs: null, lastTimeMs: null, seconds: 0 };

  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      progress.readBytes += chunk.length;
      done(null, chunk);
    },
  });
  const raw = createReadStream(options.path, { highWaterMark: 1 << 20 }).pipe(counter);
  const input = (gzip ? raw.pipe(createGunzip()) : raw) as AsyncIterable<Buffer>;

  let batch: string[] = [];
  // One batch is written while the next is parsed; the store commits them in order, so each
  // cursor still lands after all the lines before it.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    if (batch.length === 0) return;
    const firstLine = progress.lines - batch.length + 1;
    const parsed = parseGatewayInput(batch, options.format, options.context, (i) => `import:${id}:${firstLine + i}`, firstLine);
    batch = [];
    for (const e of parsed.errors) if (result.errors.length < 10) result.errors.push(e);
    for (const call of parsed.calls) {
      if (result.firstTimeMs === null || call.timeUnixMs < result.firstTimeMs) result.firstTimeMs = call.timeUnixMs;
      if (result.lastTimeMs === null || call.timeUnixMs > result.lastTimeMs) result.lastTimeMs = call.timeUnixMs;
    }
    const write = options.append({ calls: parsed.calls, spans: [], cursors: [{ source: `import:${id}`, position: String(progress.lines) }] });
    await writing;
    writing = write.then((written) => {
      progress.accepted += parsed.calls.length;
      progress.rejected += parsed.rejected;
      result.stored += written.callsInserted;
      options.onProgress?.({ ...progress });
    });
  };
  // Whole chunks split by hand: readline's one-await-per-line costs more than parsing the line.
  const decoder = new StringDecoder('utf8');
  let rest = '';
  const take = async (text: string, final: boolean) => {
    const lines = (rest + text).split('\n');
    rest = final ? '' : lines.pop()!;
    for (const line of lines) {
      if (final && line === '' && lines.at(-1) === line) continue;
      progress.lines += 1;
      batch.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      if (batch.length >= perBatch) await flush();
    }
  };
  for await (const chunk of input) await take(decoder.write(chunk), false);
  await take(decoder.end(), true);
  await flush();
  await writing;
  return { ...result, ...progress, seconds: (performance.now() - started) / 1000 };
}
