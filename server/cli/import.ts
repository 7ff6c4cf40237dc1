// `telltale import --format nginx-timed --service shop access.log[.gz]…`: loads past access
// logs with a progress line and a final summary. Safe to re-run: every line is stored once.
import { parseArgs } from 'node:util';
import type { ConsumerFrom } from '../../collector/gateway-lines.ts';
import { importLogFile, type ImportProgress } from '../../collector/import-file.ts';
import { LogFormats } from '../../collector/log-formats.ts';
import { RouteBook } from '../../collector/route-book.ts';
import type { Config } from '../config.ts';
import { openStore } from '../open-store.ts';
import { fail } from './fail.ts';

const DAY_MS = 86_400_000;
const CONSUMERS: readonly ConsumerFrom[] = ['log', 'client-address', 'none'];

function progressLine(file: string, p: ImportProgress, seconds: number): string {
  const share = p.totalBytes === 0 ? 100 : Math.min(100, (p.readBytes / p.totalBytes) * 100);
  const width = 24;
  const filled = Math.round((share / 100) * width);
  return `${file} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${share.toFixed(0).padStart(3)}%  ${p.lines.toLocaleString()} lines  ${Math.round(p.lines / Math.max(seconds, 0.001)).toLocaleString()} lines/s`;
}

export async function importCommand(args: string[], config: Config): Promise<void> {
  const { values, positionals: files } = parseArgs({
    args, allowPositionals: true,
    options: { format: { type: 'string' }, service: { type: 'string' }, consumer: { type: 'string', default: 'log' } },
  });
  if (!values.format || files.length === 0) fail('usage: telltale import --format FORMAT [--service NAME] [--consumer log|client-address|none] FILE[.gz]…');
  const consumerFrom = values.consumer as ConsumerFrom;
  if (!CONSUMERS.includes(consumerFrom)) fail(`--consumer must be one of ${CONSUMERS.join(', ')}`);
  const formats = new LogFormats(config.file.logFormats);
  try {
    formats.create(values.format);
  } catch (err) {
    fail((err as Error).message);
  }

  const store = await openStore(config);
  try {
    // The same route names a running Telltale uses: templates it learned, and its caps.
    const routes = new RouteBook({ maxRoutesPerService: config.maxRoutesPerService, templates: config.file.routeTemplates });
    const now = Date.now();
    const known = await store.aggregate({ fromMs: now - 30 * DAY_MS, toMs: now + DAY_MS, filter: {}, groupBy: ['service', 'route'] });
    routes.seed(known.map((r) => ({ service: r.group.service ?? '', route: r.group.route ?? '' })));

    const tty = process.stderr.isTTY;
    for (const file of files) {
      const started = performance.now();
      let lastPrint = 0;
      const result = await importLogFile({
        path: file,
        format: formats.create(values.format),
        context: { service: values.service ?? null, routes, consumerFrom },
        append: (batch) => store.append(batch),
        onProgress: (p) => {
          const seconds = (performance.now() - started) / 1000;
          if (tty) process.stderr.write(`\r${progressLine(file, p, seconds)}`);
          else if (seconds - lastPrint >= 5) {
            lastPrint = seconds;
            process.stderr.write(`${progressLine(file, p, seconds)}\n`);
          }
        },
      });
      if (tty) process.stderr.write('\n');
      const span = result.firstTimeMs === null ? 'no calls' : `${new Date(result.firstTimeMs).toISOString()} … ${new Date(result.lastTimeMs!).toISOString()}`;
      console.log(`${file}: ${result.lines.toLocaleString()} lines in ${result.seconds.toFixed(1)} s (${Math.round(result.lines / Math.max(result.seconds, 0.001)).toLocaleString()} lines/s); `
        + `${result.accepted.toLocaleString()} calls (${result.stored.toLocaleString()} new, ${(result.accepted - result.stored).toLocaleString()} already stored), `
        + `${result.rejected.toLocaleString()} lines rejected; ${span}`);
      for (const e of result.errors) console.log(`  line ${e.line}: ${e.reason}`);
    }
  } finally {
    await store.close();
  }
}
