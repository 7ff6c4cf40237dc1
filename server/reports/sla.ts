// GET /reports/sla: parse the period and scope, build the report, render it in the asked format.
import type { ControlStore, Store } from '../../store/index.ts';
import { isTimeZone } from '../../reports/index.ts';
import { buildSlaReport, parseScope } from '../../reports/index.ts';
import { renderCsv } from '../../reports/index.ts';
import { renderHtml } from '../../reports/index.ts';
import { toJsonReport } from '../../reports/index.ts';
import type { SlaReportJson } from '../../reports/index.ts';
import { TelltaleError } from '../errors.ts';
import { parseTime } from '../query/time.ts';

/** Longest report period: a year and a month, within hour-rollup retention by default. */
export const MAX_REPORT_DAYS = 400;

export interface SlaRequest {
  store: Store;
  control: ControlStore;
  nowMs: number;
  publicUrl: string;
  from?: string;
  to?: string;
  scope?: string;
  format?: 'json' | 'csv' | 'html';
  timeZone?: string;
}

export type SlaResponse =
  | { kind: 'json'; body: SlaReportJson; contentType: string }
  | { kind: 'text'; body: string; contentType: string };

export async function slaReportResponse(req: SlaRequest): Promise<SlaResponse> {
  const fromMs = parseTime(req.from ?? 'now-30d', req.nowMs);
  const toMs = parseTime(req.to ?? 'now', req.nowMs);
  if (fromMs === null || toMs === null || toMs <= fromMs) throw new TelltaleError('TELLTALE_ERR_BAD_TIME_RANGE', 'from and to must be times (ISO-8601, epoch ms or now-…) with from before to');
  if (toMs - fromMs > MAX_REPORT_DAYS * 86_400_000) throw new TelltaleError('TELLTALE_ERR_BAD_TIME_RANGE', `a report covers at most ${MAX_REPORT_DAYS} days`);
  const scope = parseScope(req.scope);
  if (!scope) throw new TelltaleError('TELLTALE_ERR_BAD_REQUEST', 'scope must be all, tag:<tag> or service:<name>');
  const timeZone = req.timeZone ?? 'UTC';
  if (!isTimeZone(timeZone)) throw new TelltaleError('TELLTALE_ERR_BAD_REQUEST', `unknown time zone "${timeZone}"`);
  const report = await buildSlaReport({ store: req.store, control: req.control, period: { fromMs, toMs }, scope, timeZone, nowMs: req.nowMs, publicUrl: req.publicUrl });
  switch (req.format ?? 'json') {
    case 'csv': return { kind: 'text', body: renderCsv(report), contentType: 'text/csv; charset=utf-8' };
    case 'html': return { kind: 'text', body: renderHtml(report), contentType: 'text/html; charset=utf-8' };
    case 'json': return { kind: 'json', body: toJsonReport(report), contentType: 'application/json; charset=utf-8' };
  }
}
