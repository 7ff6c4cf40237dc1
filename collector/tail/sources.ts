// The config file's `sources:` → one running tailer each. Every source is checked before any
// starts, so a bad entry stops Telltale at start with a line naming the file, not later.
import { resolve } from 'node:path';
import type { Store } from '../../store/index.ts';
import type { IngestCounters } from '../counters.ts';
import type { GatewayFormat } from '../gateway/index.ts';
import type { ConsumerFrom } from '../gateway-lines.ts';
import type { IngestQueue } from '../ingest-queue.ts';
import type { LogFormats } from '../log-formats.ts';
import type { RouteBook } from '../route-book.ts';
import { LogTailer, type LogTailerOptions } from './log-tailer.ts';
import type { TailLogger } from './tail-log.ts';

/** One `sources:` entry of the config file. */
export interface TailSource {
  path: string;
  /** A built-in format name or one from `logFormats:`. */
  format: string;
  /** The service these calls belong to; default: the gateway's own name for it, else `unknown`. */
  service?: string;
  consumer?: ConsumerFrom;
}

/** What tailing needs from the runtime. */
export interface TailDeps {
  store: Pick<Store, 'getCursor'>;
  queue: Pick<IngestQueue, 'submit'>;
  routes: RouteBook;
  formats: Pick<LogFormats, 'create'>;
  counters: IngestCounters;
}

export type TailSourcesOptions = Pick<LogTailerOptions, 'pollIntervalMs' | 'rotationGraceMs' | 'maxLinesPerBatch' | 'retryInitialMs' | 'retryMaxMs' | 'backlog' | 'watch'> & {
  /** Relative source paths are resolved against it; default the working directory. */
  baseDir?: string;
};

/** Running tailers, stopped together. */
export interface TailSources {
  readonly tailers: readonly LogTailer[];
  /** Stops every tailer after its batch in flight; call it before closing the ingest queue. */
  close(): Promise<void>;
}

/** A `sources:` entry Telltale cannot follow; the message names every bad entry by its path. */
export class TailSourceError extends Error {
  override name = 'TailSourceError';
}

/** Starts one tailer per source; throws TailSourceError (nothing started) when an entry is bad. */
export async function startSources(deps: TailDeps, sources: readonly TailSource[], logger: TailLogger, options: TailSourcesOptions = {}): Promise<TailSources> {
  const { baseDir, ...tailerOptions } = options;
  const problems: string[] = [];
  const seen = new Set<string>();
  const planned: Array<{ path: string; format: GatewayFormat; source: TailSource }> = [];
  for (const source of sources) {
    const path = resolve(baseDir ?? process.cwd(), source.path);
    // Two tailers on one file would share a cursor and overwrite each other's position.
    if (seen.has(path)) problems.push(`${source.path}: listed twice`);
    seen.add(path);
    try {
      planned.push({ path, format: deps.formats.create(source.format), source });
    } catch (err) {
      problems.push(`${source.path}: ${(err as Error).message}`);
    }
  }
  if (problems.length > 0) throw new TailSourceError(`sources: ${problems.join('; ')}`);

  const tailers = planned.map(({ path, format, source }) => new LogTailer({
    ...tailerOptions,
    path,
    format,
    context: { service: source.service ?? null, routes: deps.routes, consumerFrom: source.consumer ?? 'log' },
    store: deps.store,
    queue: deps.queue,
    counters: deps.counters,
    logger,
  }));
  const close = async () => {
    await Promise.all(tailers.map((t) => t.close()));
  };
  try {
    await Promise.all(tailers.map((t) => t.start()));
  } catch (err) {
    await close();
    throw err;
  }
  for (const t of tailers) logger.info({ source: t.sourceId }, 'tail: following');
  return { tailers, close };
}
