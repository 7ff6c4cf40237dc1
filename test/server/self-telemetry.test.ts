// Self-telemetry pointed at Telltale itself: its API requests arrive as traces of service
// "telltale", and its own ingest requests are never traced (no feedback loop).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTelltale } from '../helpers/process.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

test('Telltale traces its own API requests into itself without tracing its ingest', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-self-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const port = await freePort();
  const token = 'self-telemetry-admin-token';
  const url = `http://127.0.0.1:${port}`;
  const server = runTelltale(['serve'], {
    TELLTALE_DATA_DIR: dir, TELLTALE_PORT: String(port), TELLTALE_OTLP_PORT: '0', TELLTALE_HOST: '127.0.0.1',
    TELLTALE_BOOTSTRAP_TOKEN: token, OTEL_EXPORTER_OTLP_ENDPOINT: url,
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${token}`, OTEL_BSP_SCHEDULE_DELAY: '100',
  });
  t.after(() => server.child.kill('SIGKILL'));
  await server.waitFor(/Server listening at/);
  const auth = { authorization: `Bearer ${token}` };

  let routes: Array<{ service: string; method: string; route: string; calls: number }> = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    const response = await fetch(`${url}/api/v1/routes?service=telltale&from=now-10m`, { headers: auth });
    routes = ((await response.json()) as { routes: typeof routes }).routes;
    if (routes.some((r) => r.route === '/api/v1/routes')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(routes.some((r) => r.method === 'GET' && r.route === '/api/v1/routes'), `own API requests traced: ${JSON.stringify(routes)}`);
  assert.ok(!routes.some((r) => r.route.startsWith('/v1/')), 'ingest requests are not traced');
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, 0);
});
