// The control store on a real SQLite file: documents, history and the outbox survive a reopen,
// a change commits all or nothing, and a message enqueued twice is kept once.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteControlStore, type OutboxMessage } from '../../store/index.ts';

async function tempFile(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-control-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return join(dir, 'telltale.db');
}

const message = (id: string, overrides: Partial<OutboxMessage> = {}): OutboxMessage => ({
  id, channel: 'email', body: { to: ['a@example.com'] }, createdAtMs: 1000, status: 'pending', attempts: 0,
  nextAttemptAtMs: 1000, lastError: null, settledAtMs: null, ...overrides,
});

test('documents, events and messages survive closing and reopening the file', async (t) => {
  const file = await tempFile(t);
  const first = await openSqliteControlStore({ file });
  await first.commit({
    put: [{ kind: 'alert-rule', id: 'b', body: { threshold: 0.05 }, updatedAtMs: 5 }, { kind: 'alert-rule', id: 'a', body: { n: 1 }, updatedAtMs: 6 }],
    events: [{ kind: 'alert', key: 'fp1', atMs: 10, body: { to: 'pending' } }, { kind: 'alert', key: 'fp1', atMs: 10, body: { to: 'firing' } }],
    enqueue: [message('m1')],
  });
  await first.close();
  const store = await openSqliteControlStore({ file });
  t.after(() => store.close());
  assert.deepEqual((await store.documents('alert-rule')).map((d) => [d.id, d.body]), [['a', { n: 1 }], ['b', { threshold: 0.05 }]]);
  assert.deepEqual((await store.document('alert-rule', 'b'))?.updatedAtMs, 5);
  assert.equal(await store.document('alert-rule', 'zz'), null);
  // Same millisecond: newest written first.
  assert.deepEqual((await store.events({ kind: 'alert', key: 'fp1', fromMs: 0, toMs: 100, limit: 10 })).map((e) => e.body), [{ to: 'firing' }, { to: 'pending' }]);
  assert.deepEqual((await store.messages({ limit: 10 })).map((m) => m.id), ['m1']);
});

test('a change that fails part-way writes nothing', async (t) => {
  const store = await openSqliteControlStore({ file: await tempFile(t) });
  t.after(() => store.close());
  const circular: Record<string, unknown> = {};
  circular.self = circular;
  await assert.rejects(store.commit({
    put: [{ kind: 'slo', id: 'kept?', body: { ok: true }, updatedAtMs: 1 }],
    events: [{ kind: 'alert', key: 'k', atMs: 1, body: circular }],
  }), /circular/i);
  assert.deepEqual(await store.documents('slo'), []);
  await store.commit({ put: [{ kind: 'slo', id: 'x', body: 1, updatedAtMs: 1 }] });
  await store.commit({ delete: [{ kind: 'slo', id: 'x' }, { kind: 'slo', id: 'never-there' }] });
  assert.deepEqual(await store.documents('slo'), []);
});

test('the outbox keeps the first of a duplicated message, hands out due ones, records attempts', async (t) => {
  const store = await openSqliteControlStore({ file: await tempFile(t) });
  t.after(() => store.close());
  await store.commit({ enqueue: [message('m1', { nextAttemptAtMs: 2000 }), message('m2', { nextAttemptAtMs: 1500, channel: 'webhook' })] });
  await store.commit({ enqueue: [message('m1', { body: 'second copy', nextAttemptAtMs: 0 })] });
  assert.deepEqual((await store.message('m1'))?.body, { to: ['a@example.com'] });
  assert.deepEqual((await store.dueMessages(1499, 10)).map((m) => m.id), []);
  assert.deepEqual((await store.dueMessages(2000, 10)).map((m) => m.id), ['m2', 'm1']);
  assert.equal(await store.recordAttempt('m2', { status: 'pending', attempts: 1, nextAttemptAtMs: 9000, lastError: 'connection refused', settledAtMs: null }), true);
  assert.deepEqual((await store.dueMessages(2000, 10)).map((m) => m.id), ['m1']);
  await store.recordAttempt('m1', { status: 'sent', attempts: 1, nextAttemptAtMs: 2000, lastError: null, settledAtMs: 2001 });
  assert.deepEqual((await store.dueMessages(10_000, 10)).map((m) => m.id), ['m2']);
  assert.deepEqual((await store.messages({ status: 'sent', limit: 5 })).map((m) => m.id), ['m1']);
  assert.deepEqual((await store.messages({ channel: 'webhook', limit: 5 })).map((m) => [m.id, m.lastError]), [['m2', 'connection refused']]);
  assert.equal(await store.recordAttempt('nope', { status: 'sent', attempts: 1, nextAttemptAtMs: 0, lastError: null, settledAtMs: 0 }), false);
  await assert.rejects(store.messages({ limit: 0 }), RangeError);
  // Pruning drops settled messages and old history, never a pending message.
  await store.commit({ events: [{ kind: 'alert', key: 'k', atMs: 100, body: {} }, { kind: 'alert', key: 'k', atMs: 5000, body: {} }] });
  assert.equal(await store.prune(3000), 2);
  assert.deepEqual((await store.messages({ limit: 5 })).map((m) => m.id), ['m2']);
  assert.equal((await store.events({ kind: 'alert', fromMs: 0, toMs: 10_000, limit: 10 })).length, 1);
});
