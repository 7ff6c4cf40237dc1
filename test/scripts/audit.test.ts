// The CI audit gate (`npm run audit`) with the real npm client, pointed at a local advisory
// server that answers the bulk advisory endpoint as the npm registry does: the gate must fail
// on a high or critical advisory in a production dependency, pass on moderate ones, and say
// loudly when the endpoint gives no report (as the registry proxy of this machine does).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

type Answer = (asked: Record<string, string[]>) => { status: number; body: unknown };

async function advisoryServer(answer: Answer): Promise<{ url: string; server: Server; asked: string[][] }> {
  const asked: string[][] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method === 'POST' && req.url?.endsWith('/-/npm/v1/security/advisories/bulk')) {
        const raw = Buffer.concat(chunks);
        const body = JSON.parse((req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString()) as Record<string, string[]>;
        asked.push(Object.keys(body));
        const { status, body: out } = answer(body);
        res.writeHead(status, { 'content-type': 'application/json' }).end(status === 200 ? JSON.stringify(out) : '');
        return;
      }
      // Packuments (asked for while working out fixes) are not needed for the verdict.
      res.writeHead(404, { 'content-type': 'application/json' }).end('{}');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, server, asked };
}

async function runAudit(registry: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  // A cache of its own: npm keeps advisories it has seen, which would leak between cases.
  const cache = await mkdtemp(join(tmpdir(), 'telltale-audit-cache-'));
  const child = spawn(process.execPath, ['scripts/audit.mjs', `--registry=${registry}`, `--cache=${cache}`], { env: { ...process.env, ...env } });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  await rm(cache, { recursive: true, force: true });
  return { code, output };
}

// npm ranks by the CVSS score when there is one, so each severity comes with a score of its band.
const advisory = (severity: 'moderate' | 'critical') => ({
  id: 1, url: 'https://github.com/advisories/GHSA-xxxx-test', title: 'Prototype pollution', severity,
  vulnerable_versions: '<99.0.0', cwe: ['CWE-1321'], cvss: { score: severity === 'critical' ? 9.8 : 5.3, vectorString: null },
});

void test('npm audit gate: a critical advisory in a production dependency fails the run, naming the package', async (t) => {
  const { url, server, asked } = await advisoryServer((body) => ({ status: 200, body: body.ajv ? { ajv: [advisory('critical')] } : {} }));
  t.after(() => server.close());
  const { code, output } = await runAudit(url);
  assert.equal(code, 1, output);
  assert.match(output, /high or critical advisories/);
  assert.match(output, /ajv \(critical/);
  // Only production dependencies were asked about (--omit=dev): no test-only package.
  assert.ok(asked[0]!.includes('fastify'));
  assert.ok(!asked[0]!.includes('fast-check') && !asked[0]!.includes('smtp-server'), asked[0]!.join(','));
});

void test('npm audit gate: moderate advisories are reported but do not fail the run', async (t) => {
  const { url, server } = await advisoryServer((body) => ({ status: 200, body: body.ajv ? { ajv: [advisory('moderate')] } : {} }));
  t.after(() => server.close());
  const { code, output } = await runAudit(url);
  assert.equal(code, 0, output);
  assert.match(output, /no high or critical advisories \(low 0, moderate \d+\)/);
  assert.doesNotMatch(output, /moderate 0\)/);
});

void test('npm audit gate: an endpoint that refuses (405) is reported as not checked, and fails when the audit is required', async (t) => {
  const { url, server } = await advisoryServer(() => ({ status: 405, body: null }));
  t.after(() => server.close());
  const relaxed = await runAudit(url);
  assert.equal(relaxed.code, 0, relaxed.output);
  assert.match(relaxed.output, /ADVISORIES NOT CHECKED — 405 Method Not Allowed/);
  const required = await runAudit(url, { TELLTALE_AUDIT_REQUIRED: '1' });
  assert.equal(required.code, 1, required.output);
});
