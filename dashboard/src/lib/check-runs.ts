// Pure transforms for the checks pages: a run's status, the run-history strip, the latency and
// phase series of a check's runs, and the form's fields to and from a check definition.

/** The parts of a run these transforms read (api/checks.ts's CheckRun has them). */
export interface RunLike {
  ok: boolean;
  degraded: boolean;
  startedAtMs: number;
  durationMs: number;
  phases: { dnsMs: number; connectMs: number; tlsMs: number; firstByteMs: number; downloadMs: number; totalMs: number };
}

export type RunStatus = 'ok' | 'degraded' | 'failed';

export function runStatus(run: Pick<RunLike, 'ok' | 'degraded'>): RunStatus {
  if (!run.ok) return 'failed';
  return run.degraded ? 'degraded' : 'ok';
}

/** The last `count` runs oldest first (the strip reads left to right in time); `runs` come newest first. */
export function historyStrip<R extends RunLike>(runs: readonly R[], count: number): R[] {
  return runs.slice(0, count).reverse();
}

/** The p-th percentile (0–100) by nearest rank; null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * uPlot columns for latency over time: each run's latency (`phases.totalMs`) as a point, and a
 * rolling p50/p95 over the last `window` runs, oldest first, x in Unix seconds.
 */
export function latencySeries(runs: readonly RunLike[], window = 20): [number[], number[], (number | null)[], (number | null)[]] {
  const ordered = [...runs].sort((a, b) => a.startedAtMs - b.startedAtMs);
  const x: number[] = [];
  const latency: number[] = [];
  const p50: (number | null)[] = [];
  const p95: (number | null)[] = [];
  ordered.forEach((run, i) => {
    x.push(run.startedAtMs / 1000);
    latency.push(run.phases.totalMs);
    const recent = ordered.slice(Math.max(0, i - window + 1), i + 1).map((r) => r.phases.totalMs);
    p50.push(percentile(recent, 50));
    p95.push(percentile(recent, 95));
  });
  return [x, latency, p50, p95];
}

export const PHASES = [
  { key: 'dnsMs', label: 'DNS' },
  { key: 'connectMs', label: 'Connect' },
  { key: 'tlsMs', label: 'TLS' },
  { key: 'firstByteMs', label: 'First byte' },
  { key: 'downloadMs', label: 'Download' },
] as const;

export interface PhaseBar {
  startedAtMs: number;
  totalMs: number;
  /** Each phase's start and width as a share (0–1) of the largest run's total. */
  segments: { label: string; ms: number; offset: number; width: number }[];
}

/** Stacked bars of the recent runs' phases, oldest first, scaled to the slowest run. */
export function phaseBars(runs: readonly RunLike[], count: number): PhaseBar[] {
  const recent = historyStrip(runs, count);
  const totals = recent.map((r) => PHASES.reduce((sum, p) => sum + r.phases[p.key], 0));
  const scale = Math.max(0, ...totals) || 1;
  return recent.map((run, i) => {
    let offset = 0;
    const segments = PHASES.map((p) => {
      const ms = run.phases[p.key];
      const segment = { label: p.label, ms, offset: offset / scale, width: ms / scale };
      offset += ms;
      return segment;
    });
    return { startedAtMs: run.startedAtMs, totalMs: totals[i]!, segments };
  });
}

/** What the form edits; everything else of a definition is kept as it was (`extra`). */
export interface CheckFormFields {
  id: string;
  name: string;
  schedule: string;
  method: string;
  url: string;
  /** `Name: value` per line. */
  headers: string;
  /** Expected status code, empty for none. */
  status: string;
  /** Latency limit in ms, empty for none. */
  latencyMs: string;
  /** Other assertions as a JSON array. */
  otherAssertions: string;
}

export const EMPTY_FORM: CheckFormFields = {
  id: '', name: '', schedule: '1m', method: 'GET', url: 'https://', headers: '', status: '200', latencyMs: '', otherAssertions: '[]',
};

const asRecord = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? v as Record<string, unknown> : {});
const text = (v: unknown, fallback = '') => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);

/** Form fields from an http check definition. */
export function formFromCheck(check: Record<string, unknown>): CheckFormFields {
  const request = asRecord(check['request']);
  const assertions = Array.isArray(check['assertions']) ? check['assertions'].map(asRecord) : [];
  const status = assertions.find((a) => a['kind'] === 'status' && typeof a['equals'] === 'number' && Object.keys(a).length === 2);
  const latency = assertions.find((a) => a['kind'] === 'latency' && (a['phase'] === undefined || a['phase'] === 'total'));
  const others = assertions.filter((a) => a !== status && a !== latency);
  return {
    id: text(check['id']), name: text(check['name']), schedule: text(check['schedule']),
    method: text(request['method'], 'GET'), url: text(request['url']),
    headers: Object.entries(asRecord(request['headers'])).map(([k, v]) => `${k}: ${text(v)}`).join('\n'),
    status: status ? text(status['equals']) : '', latencyMs: latency ? text(latency['lessThan']) : '',
    otherAssertions: JSON.stringify(others, null, 2),
  };
}

export interface BuiltCheck {
  check: Record<string, unknown>;
  /** Problems found before asking the API, keyed by the JSON Pointer the API would use. */
  problems: { path: string; message: string }[];
}

/** A check definition from the form, over `base` (the stored definition, to keep fields the form does not show). */
export function checkFromForm(form: CheckFormFields, base: Record<string, unknown> = {}): BuiltCheck {
  const problems: { path: string; message: string }[] = [];
  const headers: Record<string, string> = {};
  form.headers.split('\n').map((l) => l.trim()).filter(Boolean).forEach((line) => {
    const colon = line.indexOf(':');
    if (colon <= 0) problems.push({ path: '/request/headers', message: `“${line}” is not “Name: value”` });
    else headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  });
  const assertions: unknown[] = [];
  if (form.status.trim()) {
    const code = Number(form.status);
    if (!Number.isInteger(code)) problems.push({ path: '/assertions', message: 'the expected status must be a whole number' });
    assertions.push({ kind: 'status', equals: code });
  }
  if (form.latencyMs.trim()) {
    const ms = Number(form.latencyMs);
    if (!Number.isFinite(ms)) problems.push({ path: '/assertions', message: 'the latency limit must be a number of ms' });
    assertions.push({ kind: 'latency', lessThan: ms });
  }
  try {
    const others: unknown = JSON.parse(form.otherAssertions.trim() || '[]');
    if (Array.isArray(others)) assertions.push(...(others as unknown[]));
    else problems.push({ path: '/assertions', message: 'other assertions must be a JSON array' });
  } catch (err) {
    problems.push({ path: '/assertions', message: `other assertions are not JSON: ${(err as Error).message}` });
  }
  const baseRequest = asRecord(base['request']);
  const request: Record<string, unknown> = { ...baseRequest, method: form.method, url: form.url.trim() };
  if (Object.keys(headers).length > 0) request['headers'] = headers;
  else delete request['headers'];
  const check: Record<string, unknown> = {
    ...base, id: form.id.trim(), name: form.name.trim(), type: 'http', schedule: form.schedule.trim(), request,
  };
  if (assertions.length > 0) check['assertions'] = assertions;
  else delete check['assertions'];
  return { check, problems };
}

/** Which form field a diagnostic's path belongs to (the field it is shown next to). */
export function fieldOfPath(path: string): keyof CheckFormFields | 'other' {
  if (path === '/id') return 'id';
  if (path === '/name') return 'name';
  if (path === '/schedule') return 'schedule';
  if (path === '/request/method') return 'method';
  if (path === '/request/url') return 'url';
  if (path.startsWith('/request/headers')) return 'headers';
  if (path.startsWith('/assertions')) return 'otherAssertions';
  return 'other';
}
