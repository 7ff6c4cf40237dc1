// Hand-built OTLP/JSON bodies, for cases the SDK would never send.
import { randomBytes } from 'node:crypto';

export interface JsonSpanOptions {
  traceId?: string;
  spanId?: string;
  name?: string;
  kind?: number;
  startMs?: number;
  durationMs?: number;
  attributes?: Record<string, string | number>;
}

export const newTraceId = () => randomBytes(16).toString('hex');
export const newSpanId = () => randomBytes(8).toString('hex');

export function jsonSpan(o: JsonSpanOptions = {}): object {
  const startNs = BigInt(Math.round((o.startMs ?? Date.now() - 60_000) * 1000)) * 1000n;
  const endNs = startNs + BigInt(Math.round((o.durationMs ?? 10) * 1e6));
  const attributes = Object.entries(o.attributes ?? { 'http.request.method': 'GET', 'http.route': '/items/{id}', 'http.response.status_code': 200 })
    .map(([key, v]) => ({ key, value: typeof v === 'number' ? { intValue: String(v) } : { stringValue: v } }));
  return {
    traceId: o.traceId ?? newTraceId(), spanId: o.spanId ?? newSpanId(), name: o.name ?? 'GET /items/{id}', kind: o.kind ?? 2,
    startTimeUnixNano: startNs.toString(), endTimeUnixNano: endNs.toString(), attributes, status: {},
  };
}

export function jsonRequest(service: string, spans: object[]): string {
  return JSON.stringify({
    resourceSpans: [{
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [{ scope: { name: 'test' }, spans }],
    }],
  });
}
