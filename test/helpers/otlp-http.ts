// Raw OTLP/HTTP requests against a test Telltale, and what the receivers' answers and
// counters say: shared by the trace and log receiver conformance tests.
import type { TestTelltale } from './telltale.ts';

export const JSON_TYPE = 'application/json';
export const PROTOBUF = 'application/x-protobuf';

export interface OtlpPost {
  path: '/v1/traces' | '/v1/logs';
  headers: Record<string, string>;
  /** Default: the ingest token; '' sends none. */
  token?: string;
  /** Default: the OTLP port. */
  base?: string;
}

export async function postOtlp(telltale: TestTelltale, body: Buffer | string, options: OtlpPost) {
  const token = options.token ?? telltale.tokens.ingest;
  const response = await fetch(`${options.base ?? telltale.otlpUrl}${options.path}`, {
    method: 'POST', body: typeof body === 'string' ? body : new Uint8Array(body),
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...options.headers },
  });
  return { status: response.status, type: response.headers.get('content-type') ?? '', retryAfter: response.headers.get('retry-after'), bytes: Buffer.from(await response.arrayBuffer()) };
}

/** Calls stored for a service in the last two hours, read back through the query API. */
export async function callCount(telltale: TestTelltale, service: string): Promise<number> {
  const { body } = await telltale.get('/api/v1/services?from=now-2h');
  return body.services.find((s: { service: string }) => s.service === service)?.calls ?? 0;
}

/** telltale_ingest_discarded_total for one receiver and reason. */
export async function discarded(telltale: TestTelltale, receiver: string, reason: string): Promise<number> {
  const text = await telltale.runtime.metrics.registry.getSingleMetricAsString('telltale_ingest_discarded_total');
  const line = text.split('\n').find((l) => l.includes(`receiver="${receiver}"`) && l.includes(`reason="${reason}"`));
  return line ? Number(line.split(' ').pop()) : 0;
}

/** Reads google.rpc.Status{1: code, 2: message} from protobuf bytes. */
export function decodeStatus(bytes: Buffer): { code: number; message: string } {
  let pos = 0;
  let code = 0;
  let message = '';
  while (pos < bytes.length) {
    const tag = bytes[pos++]!;
    if (tag === 0x08) code = bytes[pos++]!;
    else if (tag === 0x12) {
      const length = bytes[pos++]!;
      message = bytes.subarray(pos, pos + length).toString('utf8');
      pos += length;
    } else throw new Error(`unexpected tag ${tag}`);
  }
  return { code, message };
}
