// The real Telltale process for the reliability tests, and batches that are findable as a unit.
import { runTelltale, type Running } from '../helpers/process.ts';
import { jsonRequest, jsonSpan, newTraceId } from '../helpers/otlp-json.ts';

export const TOKEN = 'reliability-bootstrap-token-0123';
export const SPANS_PER_BATCH = 50;

export async function serve(env: Record<string, string>): Promise<{ run: Running; url: string }> {
  const run = runTelltale(['serve'], { TELLTALE_LOG_LEVEL: 'info', ...env });
  const [, url] = await run.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  return { run, url: url! };
}

export const serveEnv = (dataDir: string): Record<string, string> => ({
  TELLTALE_DATA_DIR: dataDir, TELLTALE_PORT: '0', TELLTALE_OTLP_PORT: '0', TELLTALE_HOST: '127.0.0.1', TELLTALE_BOOTSTRAP_TOKEN: TOKEN,
});

export interface Batch {
  service: string;
  traceId: string;
  body: string;
}

/** A batch of spans that all share one fresh trace id, so the batch is findable as a unit. */
export function batch(service: string): Batch {
  const traceId = newTraceId();
  const startMs = Date.now() - 30_000;
  const spans = Array.from({ length: SPANS_PER_BATCH }, (_, i) => jsonSpan({ traceId, startMs: startMs + i, durationMs: 1 + (i % 7) }));
  return { service, traceId, body: jsonRequest(service, spans) };
}

export async function send(url: string, b: Batch): Promise<{ status: number; retryAfter: string | null } | null> {
  try {
    const response = await fetch(`${url}/v1/traces`, { method: 'POST', body: b.body, headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' } });
    await response.arrayBuffer();
    return { status: response.status, retryAfter: response.headers.get('retry-after') };
  } catch {
    return null; // the connection died with the process: not acknowledged
  }
}

export const authGet = async (url: string, path: string) => {
  const response = await fetch(url + path, { headers: { authorization: `Bearer ${TOKEN}` } });
  return { status: response.status, body: await response.json() as Record<string, unknown> };
};
