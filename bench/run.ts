// `npm run bench [-- NAME…]`: runs benchmarks, prints progress, writes results to bench/out/.
// Record what you measure in bench/RESULTS.md with the command and the machine.
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { checksBenchmark } from './checks.ts';
import { clickhouseBenchmark } from './clickhouse.ts';
import { gatewayBenchmark } from './gateway.ts';
import { ingestBenchmark } from './ingest.ts';
import { progress } from './progress.ts';

const benchmarks: Record<string, () => Promise<unknown>> = {
  ingest: () => ingestBenchmark({
    senders: Number(process.env.BENCH_SENDERS ?? 4),
    seconds: Number(process.env.BENCH_SECONDS ?? 20),
    batches: Number(process.env.BENCH_BATCHES ?? 2000),
    // 1: every span its own trace and ApiCall (the worst case); 4: a server span and three client spans.
    spansPerTrace: Number(process.env.BENCH_SPANS_PER_TRACE ?? 1),
  }),
  checks: () => checksBenchmark({
    counts: (process.env.BENCH_CHECKS ?? '1000,10000').split(',').map(Number),
    seconds: Number(process.env.BENCH_SECONDS ?? 60),
  }),
  gateway: () => gatewayBenchmark({ lines: Number(process.env.BENCH_LINES ?? 1_000_000) }),
  soak: async () => (await import('./soak.ts')).soakFromEnv(),
  clickhouse: () => clickhouseBenchmark({
    seconds: Number(process.env.BENCH_SECONDS ?? 20),
    batchCalls: Number(process.env.BENCH_BATCH_CALLS ?? 4096),
    queryCalls: Number(process.env.BENCH_QUERY_CALLS ?? 100_000_000),
    routes: Number(process.env.BENCH_ROUTES ?? 40),
  }),
};

// The soak runs for minutes by design: only when named (`npm run bench -- soak`).
const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(benchmarks).filter((n) => n !== 'soak');
const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version };
await mkdir(new URL('./out/', import.meta.url), { recursive: true });
for (const name of names) {
  const run = benchmarks[name];
  if (!run) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(benchmarks).join(', ')}`);
  progress(`${name}: starting`);
  const result = { benchmark: name, at: new Date().toISOString(), machine, result: await run() };
  const file = new URL(`./out/${name}-${result.at.replace(/[:.]/g, '-')}.json`, import.meta.url);
  await writeFile(file, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
  progress(`${name}: written to ${file.pathname}`);
}
