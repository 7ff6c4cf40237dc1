// `telltale report sla`: the SLA report of a period on stdout, as CSV, JSON or HTML, read from
// the data folder (or ClickHouse) the configuration names. SLOs are the stored ones, with the
// config file's `slos:` as they are now (so a CI job sees its edits before a deploy).
import { parseArgs } from 'node:util';
import { openStores } from '../open-store.ts';
import type { Config } from '../config.ts';
import { parseTime } from '../query/time.ts';
import { isTimeZone } from '../../reports/index.ts';
import { renderCsv } from '../../reports/index.ts';
import { renderHtml } from '../../reports/index.ts';
import { renderJson } from '../../reports/index.ts';
import { buildSlaReport, parseScope } from '../../reports/index.ts';
import { listSlos } from '../../reports/index.ts';
import { validateSlo, type Slo } from '../../reports/index.ts';
import { fail } from './fail.ts';

const USAGE = `usage: telltale report sla [--from TIME] [--to TIME] [--format csv|json|html] [--scope all|tag:TAG|service:NAME] [--time-zone ZONE]
TIME is ISO-8601, epoch ms or now-30d (default: --from now-30d --to now). Default format: csv.`;

const FORMATS = ['csv', 'json', 'html'] as const;

function codeSlos(config: Config): Slo[] {
  const problems: string[] = [];
  const slos: Slo[] = [];
  (config.file.slos ?? []).forEach((input, i) => {
    const v = validateSlo(input);
    if (v.ok) slos.push(v.slo);
    else problems.push(...v.diagnostics.map((d) => `slos[${i}]${d.path}: ${d.message}`));
  });
  if (problems.length > 0) fail(`invalid SLOs in the config file:\n  ${problems.join('\n  ')}`);
  return slos;
}

export async function reportCommand(args: string[], config: Config): Promise<void> {
  const [sub, ...rest] = args;
  if (sub !== 'sla') fail(USAGE);
  let values: { from?: string; to?: string; format?: string; scope?: string; 'time-zone'?: string };
  try {
    ({ values } = parseArgs({
      args: rest,
      options: { from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, scope: { type: 'string' }, 'time-zone': { type: 'string' } },
      strict: true,
    }));
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`);
  }
  const nowMs = Date.now();
  const fromMs = parseTime(values.from ?? 'now-30d', nowMs);
  const toMs = parseTime(values.to ?? 'now', nowMs);
  if (fromMs === null || toMs === null || toMs <= fromMs) fail('--from and --to must be times (ISO-8601, epoch ms or now-30d) with --from before --to');
  const format = values.format ?? 'csv';
  if (!(FORMATS as readonly string[]).includes(format)) fail(`--format must be csv, json or html, not ${format}`);
  const scope = parseScope(values.scope);
  if (!scope) fail('--scope must be all, tag:TAG or service:NAME');
  const timeZone = values['time-zone'] ?? 'UTC';
  if (!isTimeZone(timeZone)) fail(`--time-zone: unknown zone ${timeZone}`);
  const fromCode = codeSlos(config);
  const stores = await openStores(config);
  try {
    const codeIds = new Set(fromCode.map((s) => s.id));
    const stored = (await listSlos(stores.control)).filter((s) => s.origin === 'api' && !codeIds.has(s.slo.id)).map((s) => s.slo);
    const slos = [...stored, ...fromCode].sort((a, b) => a.id.localeCompare(b.id));
    const report = await buildSlaReport({ store: stores.store, control: stores.control, period: { fromMs, toMs }, scope, timeZone, nowMs, publicUrl: config.publicUrl, slos });
    const out = format === 'json' ? renderJson(report) : format === 'html' ? renderHtml(report) : renderCsv(report);
    await new Promise<void>((resolve, reject) => process.stdout.write(out, (err) => (err ? reject(err) : resolve())));
  } finally {
    await stores.close();
  }
}
