// Durability of the real process: SIGKILL in the middle of sustained ingest from concurrent
// senders, then a restart. Every batch answered 200 must be stored exactly once (spans, calls
// and the rollups the API answers from), every batch is all-or-nothing, and the SQLite file
// passes `PRAGMA integrity_check` right after the kill.
//
// Lives elsewhere: the alert outbox across a SIGKILL (no resend, one resolved mail) in
// test/e2e/alert-email.test.ts; the SIGTERM drain in test/server/main.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SPANS_PER_BATCH, authGet, batch, send, serve, serveEnv, type Batch } from './real-process.ts';

const SENDERS = 4;

test('SIGKILL during sustained ingest: every acknowledged batch is stored exactly once, batches are atomic, the file is intact', { timeout: 90_000 }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-sigkill-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const dataDir = join(dir, 'data');
  const first = await serve(serveEnv(dataDir));
  t.after(() => first.run.child.kill('SIGKILL'));

  const acknowledged: Batch[] = [];
  const unacknowledged: Batch[] = [];
  let killed = false;
  const sender = async (k: number) => {
    while (!killed) {
      const b = batch(`sender-${k}`);
      const answer = await send(first.url, b);
      if (answer?.status === 200) acknowledged.push(b);
      else unacknowledged.push(b);
    }
  };
  const senders = Array.from({ length: SENDERS }, (_, k) => sender(k));
  // Kill once ingest is well under way: enough acknowledged batches that a lost one would show.
  const deadline = Date.now() + 30_000;
  while (acknowledged.length < 40 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  first.run.child.kill('SIGKILL');
  killed = true;
  await first.run.exited;
  await Promise.all(senders);
  assert.ok(acknowledged.length >= 5, `only ${acknowledged.length} batches acknowledged before the kill`);

  const file = join(dataDir, 'telltale.db');
  {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
    db.close();
  }

  const second = await serve(serveEnv(dataDir));
  t.after(() => second.run.child.kill('SIGKILL'));
  const db = new Database(file, { readonly: true, fileMustExist: true });
  t.after(() => db.close());
  const spansOf = db.prepare<[string], { n: number; uniq: number }>('SELECT COUNT(*) AS n, COUNT(DISTINCT span_id) AS uniq FROM spans WHERE trace_id = ?');
  const callsOf = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM calls WHERE trace_id = ?');
  for (const b of acknowledged) {
    assert.deepEqual(spansOf.get(b.traceId), { n: SPANS_PER_BATCH, uniq: SPANS_PER_BATCH }, `acknowledged batch ${b.traceId}: spans`);
    assert.equal(callsOf.get(b.traceId)?.n, SPANS_PER_BATCH, `acknowledged batch ${b.traceId}: calls`);
  }
  // One transaction per group of batches: a batch the kill interrupted is all there or not at all.
  let storedUnacknowledged = 0;
  for (const b of unacknowledged) {
    const n = spansOf.get(b.traceId)!.n;
    assert.ok(n === 0 || n === SPANS_PER_BATCH, `batch ${b.traceId} half stored: ${n} spans`);
    assert.equal(callsOf.get(b.traceId)?.n, n);
    if (n > 0) storedUnacknowledged++;
  }

  // The rollups the API answers from agree with the raw rows, per sender.
  const { body } = await authGet(second.url, '/api/v1/services?from=now-2h');
  const services = body.services as { service: string; calls: number }[];
  for (let k = 0; k < SENDERS; k++) {
    const service = `sender-${k}`;
    const raw = (db.prepare('SELECT COUNT(*) AS n FROM calls WHERE service = ?').get(service) as { n: number }).n;
    const mine = acknowledged.filter((b) => b.service === service).length * SPANS_PER_BATCH;
    assert.ok(raw >= mine, `${service}: ${raw} calls stored, ${mine} acknowledged`);
    assert.equal(services.find((s) => s.service === service)?.calls ?? 0, raw, `${service}: rollups vs raw rows`);
  }
  t.diagnostic(`${acknowledged.length} acknowledged, ${unacknowledged.length} unacknowledged of which ${storedUnacknowledged} stored`);

  // The client retries what it was not told about: re-sending an acknowledged batch changes nothing.
  const retried = acknowledged[0]!;
  assert.equal((await send(second.url, retried))?.status, 200);
  assert.equal(spansOf.get(retried.traceId)?.n, SPANS_PER_BATCH);
  const after = await authGet(second.url, '/api/v1/services?from=now-2h');
  assert.deepEqual(after.body.services, body.services);
});
