// Table cells for the API's numbers: formatted for reading, with the exact value on hover.
import { formatCount, formatMs, formatPercent, formatRps } from '../lib/format.ts';

const exact = (value: number | null) => (value === null ? 'no timed calls' : String(value));

export function MsCell({ value }: { value: number | null }) {
  return <td className="num" title={exact(value)}>{formatMs(value)}</td>;
}

export function CountCell({ value }: { value: number }) {
  return <td className="num" title={String(value)}>{formatCount(value)}</td>;
}

export function RpsCell({ value }: { value: number }) {
  return <td className="num" title={`${value} requests per second`}>{formatRps(value)}</td>;
}

/** Error rate; highlighted from 1% and again from 5%, the usual alerting thresholds. */
export function RateCell({ value }: { value: number }) {
  const level = value >= 0.05 ? 'bad' : value >= 0.01 ? 'warn' : '';
  return <td className={`num ${level}`} title={String(value)}>{formatPercent(value)}</td>;
}

export function MethodBadge({ method }: { method: string }) {
  return <span className={`method method-${method.toLowerCase()}`}>{method}</span>;
}

export function StatusBadge({ status }: { status: number }) {
  const cls = status >= 500 || status === 0 ? 'bad' : status >= 400 ? 'warn' : 'ok';
  return <span className={`status ${cls}`}>{status === 0 ? 'none' : status}</span>;
}
