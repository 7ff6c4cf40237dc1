// Synthetic checks at scale: N HTTP checks at a 1-minute interval, run by a real Telltale
// process (scheduler, runner, store), against a local target with 10 ms–2 s latency where 1%
// of requests hang until the check's timeout; beside it, in the same run, Prometheus'
// blackbox_exporter (Debian `prometheus-blackbox-exporter`) probing the same target at the
// same rate, driven the way Prometheus would scrape it. Figure: CPU seconds per 1,000 probes.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTelltale } from '../test/helpers/process.ts';
import { progress } from './progress.ts';

const TICKS_PER_SECOND = 100; // Linux USER_HZ for /proc/<pid>/stat

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The target, in its own process so its CPU is nobody's: log-uniform 10 ms–2 s, 1% never answer. */
async function startTarget(): Promise<{ url: string; child: ChildProcess }> {
  const code = `
    const http = require('node:http');
    const server = http.createServer((req, res) => {
      if (Math.random() < 0.01) return; // hangs until the prober gives up
      const ms = Math.exp(Math.log(10) + Math.random() * (Math.log(2000) - Math.log(10)));
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), ms);
    });
    server.keepAliveTimeout = 1000;
    server.listen(0, '127.0.0.1', () => console.log('port ' + server.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { url: `http://127.0.0.1:${/port (\d+)/.exec(chunk.toString())![1]}/health`, child };
}

async function scrapeMetric(url: string, token: string, name: string): Promise<string[]> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } })).text();
  return text.split('\n').filter((l) => l.startsWith(name));
}

/** The smallest histogram bucket bound holding at least 99% of observations. */
function p99FromBuckets(lines: string[]): number | null {
  const buckets = lines.filter((l) => l.includes('_bucket{')).map((l) => ({ le: Number(/le="([^"]+)"/.exec(l)![1]!.replace('+Inf', 'Infinity')), n: Number(l.split(' ').pop()) }));
  const total = buckets.find((b) => b.le === Infinity)?.n ?? 0;
  return total === 0 ? null : (buckets.find((b) => b.n >= 0.99 * total)?.le ?? null);
}

async function telltaleRun(dir: string, target: string, checks: number, seconds: number) {
  const checksDir = join(dir, `checks-${checks}`);
  await mkdir(checksDir, { recursive: true });
  const yaml = ['checks:'];
  for (let i = 0; i < checks; i++) {
    yaml.push(`  - { id: c${i}, name: c${i}, type: http, schedule: 1m, timeoutMs: 5000, request: { url: "${target}?c=${i}" } }`);
  }
  await writeFile(join(checksDir, 'checks.yaml'), yaml.join('\n') + '\n');
  const token = 'bench-admin-token-0123456789';
  const server = runTelltale(['serve'], {
    TELLTALE_DATA_DIR: join(dir, `data-${checks}`), TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0', TELLTALE_HOST: '127.0.0.1',
    TELLTALE_BOOTSTRAP_TOKEN: token, TELLTALE_LOG_LEVEL: 'info', TELLTALE_CHECKS_DIR: checksDir,
  });
  try {
    const [, url] = await server.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/, 120_000);
    // The first minute places every check on its slot; measure a whole minute after it.
    await new Promise((r) => setTimeout(r, 65_000));
    const runsBefore = await scrapeMetric(url!, token, 'telltale_check_runs_total');
    const cpuBefore = cpuSeconds(server.child.pid!);
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const cpu = cpuSeconds(server.child.pid!) - cpuBefore;
    const runsAfter = await scrapeMetric(url!, token, 'telltale_check_runs_total');
    const count = (lines: string[]) => lines.filter((l) => !l.includes('skipped')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    const probes = count(runsAfter) - count(runsBefore);
    const driftP99 = p99FromBuckets(await scrapeMetric(url!, token, 'telltale_check_start_drift_seconds'));
    return { probes, cpuSeconds: Math.round(cpu * 100) / 100, cpuSecondsPer1000: Math.round((cpu / probes) * 1000 * 1000) / 1000, shareOfTwoCores: Math.round((cpu / seconds / 2) * 1000) / 1000, driftP99SecondsAtMost: driftP99 };
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
}

async function blackboxRun(dir: string, target: string, checks: number, seconds: number) {
  const config = join(dir, 'blackbox.yml');
  await writeFile(config, 'modules:\n  http_2xx:\n    prober: http\n    timeout: 5s\n    http:\n      preferred_ip_protocol: ip4\n');
  const port = 19000 + Math.floor(Math.random() * 1000);
  const exporter = spawn('prometheus-blackbox-exporter', [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  try {
    await new Promise((r) => setTimeout(r, 1000));
    const started = performance.now();
    const cpuBefore = cpuSeconds(exporter.pid!);
    let probes = 0;
    const inFlight = new Set<Promise<void>>();
    // Prometheus spreads scrapes of one job across the interval: one probe every 60 s / N.
    const gapMs = 60_000 / checks;
    for (let i = 0; performance.now() - started < seconds * 1000; i++) {
      const due = started + i * gapMs;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const p = fetch(`http://127.0.0.1:${port}/probe?module=http_2xx&target=${encodeURIComponent(`${target}?c=${i % checks}`)}`)
        .then((r) => r.arrayBuffer()).then(() => { probes++; }, () => undefined);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await Promise.all(inFlight);
    const cpu = cpuSeconds(exporter.pid!) - cpuBefore;
    return { probes, cpuSeconds: Math.round(cpu * 100) / 100, cpuSecondsPer1000: Math.round((cpu / probes) * 1000 * 1000) / 1000 };
  } finally {
    exporter.kill('SIGTERM');
  }
}

export async function checksBenchmark(options: { counts: number[]; seconds: number }) {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-bench-checks-'));
  const target = await startTarget();
  try {
    const results = [];
    for (const checks of options.counts) {
      progress(`Telltale: ${checks} checks at 1m (a minute to settle, then ${options.seconds} s measured)…`);
      const telltale = await telltaleRun(dir, target.url, checks, options.seconds);
      progress(`  ${JSON.stringify(telltale)}`);
      progress(`blackbox_exporter: the same ${checks} probes per minute for ${options.seconds} s…`);
      const blackbox = await blackboxRun(dir, target.url, checks, options.seconds);
      progress(`  ${JSON.stringify(blackbox)}`);
      results.push({ checks, telltale, blackbox, telltaleToBlackboxCpu: Math.round((telltale.cpuSecondsPer1000 / blackbox.cpuSecondsPer1000) * 100) / 100 });
    }
    return results;
  } finally {
    target.child.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}
