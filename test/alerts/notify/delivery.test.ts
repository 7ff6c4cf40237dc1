import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { OutboxDelivery, type DeliveryResult, type Notifier, type OutboxDeliveryOptions } from '../../../alerts/notify/index.ts';
import type { ControlStore } from '../../../store/index.ts';
import { SimulatedTime, settle } from '../../helpers/simulated-time.ts';
import { T0 } from './fixtures.ts';
import { enqueue, tempControl } from './outbox.ts';

/** A notifier whose attempts wait until the test answers them. */
class ManualNotifier implements Notifier {
  readonly calls: Array<{ body: unknown; answer: (r: DeliveryResult) => void }> = [];
  closed = false;
  constructor(readonly channel: string) {}
  deliver(body: unknown): Promise<DeliveryResult> {
    return new Promise((resolve) => this.calls.push({ body, answer: resolve }));
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

async function setup(t: TestContext, notifiers: Notifier[], extra: Partial<OutboxDeliveryOptions> = {}) {
  const time = new SimulatedTime(T0);
  const control = await tempControl(t);
  const settled: string[] = [];
  const errors: unknown[] = [];
  const delivery = new OutboxDelivery({
    control, now: time.now, timers: time.timers, random: () => 0.5, pollIntervalMs: 5_000, notifiers,
    onSettled: (channel, status) => settled.push(`${channel}:${status}`), onError: (e) => errors.push(e), ...extra,
  });
  t.after(() => delivery.close());
  return { time, control, delivery, settled, errors };
}

const flush = async (): Promise<void> => {
  for (let i = 0; i < 5; i++) await settle();
};

async function statusOf(control: ControlStore, id: string) {
  const m = await control.message(id);
  return { status: m!.status, attempts: m!.attempts, nextAttemptAtMs: m!.nextAttemptAtMs, lastError: m!.lastError };
}

test('a message in flight is never delivered a second time by polls or kicks', async (t) => {
  const slow = new ManualNotifier('webhook');
  const { time, control, delivery, settled } = await setup(t, [slow]);
  await enqueue(control, 'm1', 'webhook', { n: 1 }, time.now());
  delivery.start();
  await flush();
  assert.equal(slow.calls.length, 1);
  // The attempt hangs for a minute of polls and a burst of kicks.
  for (let i = 0; i < 5; i++) delivery.kick();
  await time.advance(60_000);
  await flush();
  assert.equal(slow.calls.length, 1, 'still one attempt');
  assert.equal(delivery.inFlight, 1);
  slow.calls[0]!.answer({ outcome: 'sent' });
  await delivery.idle();
  assert.deepEqual(await statusOf(control, 'm1'), { status: 'sent', attempts: 1, nextAttemptAtMs: T0, lastError: null });
  await time.advance(60_000);
  await delivery.idle();
  assert.equal(slow.calls.length, 1);
  assert.deepEqual(settled, ['webhook:sent']);
});

test('at most `concurrency` attempts run at once; a freed slot takes the next message at once', async (t) => {
  const slow = new ManualNotifier('webhook');
  const { time, control, delivery } = await setup(t, [slow], { concurrency: 2 });
  for (let i = 0; i < 5; i++) await enqueue(control, `m${i}`, 'webhook', { i }, time.now());
  delivery.start();
  await flush();
  assert.equal(slow.calls.length, 2);
  slow.calls[0]!.answer({ outcome: 'sent' });
  await flush();
  assert.equal(slow.calls.length, 3, 'no wait for the next poll');
  for (const c of slow.calls.slice(1)) c.answer({ outcome: 'sent' });
  await flush();
  for (const c of slow.calls.slice(3)) c.answer({ outcome: 'sent' });
  await delivery.idle();
  assert.equal(slow.calls.length, 5);
  assert.deepEqual(slow.calls.map((c) => (c.body as { i: number }).i).sort(), [0, 1, 2, 3, 4]);
});

test('a channel whose attempts hang does not hold up another channel', async (t) => {
  const mail = new ManualNotifier('email');
  const hook = new ManualNotifier('webhook');
  const { time, control, delivery } = await setup(t, [mail, hook], { concurrency: 2 });
  for (let i = 0; i < 6; i++) await enqueue(control, `mail${i}`, 'email', { i }, time.now());
  await enqueue(control, 'hook', 'webhook', {}, time.now() + 1);
  await time.advance(1);
  delivery.start();
  await flush();
  assert.equal(mail.calls.length, 2, 'two mails at a time');
  assert.equal(hook.calls.length, 1, 'the webhook did not wait behind the mails');
  hook.calls[0]!.answer({ outcome: 'sent' });
  for (const c of mail.calls) c.answer({ outcome: 'sent' });
  await flush();
  for (const c of mail.calls.slice(2)) c.answer({ outcome: 'sent' });
  await flush();
  for (const c of mail.calls.slice(4)) c.answer({ outcome: 'sent' });
  await delivery.idle();
  assert.equal(mail.calls.length, 6);
  assert.equal((await control.messages({ status: 'sent', limit: 10 })).length, 7);
});

test('kick() delivers a newly enqueued message without waiting for the poll', async (t) => {
  const fast: Notifier = { channel: 'webhook', deliver: async () => ({ outcome: 'sent' }), close: async () => {} };
  const { time, control, delivery } = await setup(t, [fast], { pollIntervalMs: 600_000 });
  delivery.start();
  await delivery.idle();
  await enqueue(control, 'late', 'webhook', {}, time.now());
  delivery.kick();
  await delivery.idle();
  assert.equal((await statusOf(control, 'late')).status, 'sent');
});

test('retries follow the backoff until the maximum age, then the message fails', async (t) => {
  let calls = 0;
  const down: Notifier = { channel: 'webhook', deliver: async () => (calls++, { outcome: 'retryable', error: 'ECONNREFUSED' }), close: async () => {} };
  const { time, control, delivery, settled } = await setup(t, [down], { maxAgeMs: 3_600_000 });
  await enqueue(control, 'm', 'webhook', {}, time.now());
  delivery.start();
  await delivery.idle();
  assert.deepEqual(await statusOf(control, 'm'), { status: 'pending', attempts: 1, nextAttemptAtMs: T0 + 5_000, lastError: 'ECONNREFUSED' });
  await time.advance(5_000);
  await delivery.idle();
  assert.deepEqual(await statusOf(control, 'm'), { status: 'pending', attempts: 2, nextAttemptAtMs: T0 + 15_000, lastError: 'ECONNREFUSED' });
  // Half an hour later the ceiling is capped: every retry waits 5 min (0.5 × 10 min).
  for (let i = 0; i < 12; i++) {
    await time.advance(300_000);
    await delivery.idle();
  }
  const m = await control.message('m');
  assert.equal(m!.status, 'failed');
  assert.equal(m!.settledAtMs, T0 + 3_600_000, 'the last attempt is at the maximum age');
  assert.match(m!.lastError!, new RegExp(`^gave up after ${m!.attempts} attempts: ECONNREFUSED$`));
  assert.equal(calls, m!.attempts);
  assert.ok(calls >= 10 && calls <= 20, `${calls} attempts in an hour`);
  assert.deepEqual(settled, ['webhook:failed']);
});

test('a channel with no notifier waits without burning attempts, then is sent once configured', async (t) => {
  const { time, control, delivery } = await setup(t, [], { maxAgeMs: 3_600_000 });
  await enqueue(control, 'mail', 'email', { to: ['a@example.com'] }, time.now());
  await enqueue(control, 'chat', 'pager', {}, time.now());
  delivery.start();
  await delivery.idle();
  assert.deepEqual(await statusOf(control, 'mail'), { status: 'pending', attempts: 0, nextAttemptAtMs: T0 + 60_000, lastError: 'no mail server configured (set TELLTALE_SMTP_URL)' });
  assert.equal((await statusOf(control, 'chat')).lastError, 'no notifier configured for channel "pager"');
  for (let i = 0; i < 30; i++) {
    await time.advance(60_000);
    await delivery.idle();
  }
  assert.deepEqual(await statusOf(control, 'mail'), { status: 'pending', attempts: 0, nextAttemptAtMs: T0 + 31 * 60_000, lastError: 'no mail server configured (set TELLTALE_SMTP_URL)' });
  await delivery.close();

  // A restart with a mail server configured sends what waited.
  const sent: unknown[] = [];
  const mail: Notifier = { channel: 'email', deliver: async (b) => (sent.push(b), { outcome: 'sent' }), close: async () => {} };
  const restarted = new OutboxDelivery({ control, now: time.now, timers: time.timers, random: () => 0.5, notifiers: [mail], maxAgeMs: 3_600_000 });
  t.after(() => restarted.close());
  restarted.start();
  await restarted.idle();
  assert.equal(sent.length, 0, 'not due yet: it is looked at again within a minute');
  await time.advance(60_000);
  await restarted.idle();
  assert.equal(sent.length, 1);
  assert.deepEqual(await statusOf(control, 'mail'), { status: 'sent', attempts: 1, nextAttemptAtMs: T0 + 31 * 60_000, lastError: null });
  // The channel nobody configures fails at its maximum age.
  for (let i = 0; i < 30; i++) {
    await time.advance(60_000);
    await restarted.idle();
  }
  const chat = await control.message('chat');
  assert.equal(chat!.status, 'failed');
  assert.equal(chat!.attempts, 0);
  assert.equal(chat!.settledAtMs, T0 + 3_600_000);
});

test('a notifier that throws counts as a retryable attempt; the loop survives', async (t) => {
  const broken: Notifier = { channel: 'webhook', deliver: () => Promise.reject(new Error('bug\nin notifier')), close: async () => {} };
  const { time, control, delivery } = await setup(t, [broken]);
  await enqueue(control, 'm', 'webhook', {}, time.now());
  delivery.start();
  await delivery.idle();
  assert.deepEqual(await statusOf(control, 'm'), { status: 'pending', attempts: 1, nextAttemptAtMs: T0 + 5_000, lastError: 'notifier error: bug in notifier' });
});

test('close() waits for the attempt in flight, records it and closes the notifiers', async (t) => {
  const slow = new ManualNotifier('webhook');
  const { time, control, delivery } = await setup(t, [slow]);
  await enqueue(control, 'm', 'webhook', {}, time.now());
  delivery.start();
  await flush();
  let closed = false;
  const closing = delivery.close().then(() => (closed = true));
  await flush();
  assert.equal(closed, false, 'waits for the attempt');
  slow.calls[0]!.answer({ outcome: 'sent' });
  await closing;
  assert.equal(slow.closed, true);
  assert.equal((await statusOf(control, 'm')).status, 'sent');
  assert.equal(time.pendingTimers, 0, 'no poll left armed');
  delivery.kick();
  await enqueue(control, 'after', 'webhook', {}, time.now());
  await time.advance(60_000);
  assert.equal(slow.calls.length, 1, 'nothing runs after close');
});

test('a store fault is reported and the message stays pending to be retried (at least once)', async (t) => {
  const ok: Notifier = { channel: 'webhook', deliver: async () => ({ outcome: 'sent' }), close: async () => {} };
  const time = new SimulatedTime(T0);
  const control = await tempControl(t);
  let failRecord = true;
  const flaky: ControlStore = Object.assign(Object.create(control) as ControlStore, {
    dueMessages: control.dueMessages.bind(control),
    recordAttempt: (id: string, a: Parameters<ControlStore['recordAttempt']>[1]) => (failRecord ? Promise.reject(new Error('disk I/O error')) : control.recordAttempt(id, a)),
  });
  const errors: unknown[] = [];
  let delivered = 0;
  const counting: Notifier = { ...ok, deliver: async () => (delivered++, { outcome: 'sent' }) };
  const delivery = new OutboxDelivery({ control: flaky, now: time.now, timers: time.timers, notifiers: [counting], pollIntervalMs: 5_000, onError: (e) => errors.push(e) });
  t.after(() => delivery.close());
  await enqueue(control, 'm', 'webhook', {}, time.now());
  delivery.start();
  await delivery.idle();
  assert.equal(delivered, 1);
  assert.equal(errors.length, 1);
  assert.equal((await control.message('m'))!.status, 'pending');
  failRecord = false;
  await time.advance(5_000);
  await delivery.idle();
  assert.equal(delivered, 2, 'sent again: a duplicate, not a loss');
  assert.equal((await control.message('m'))!.status, 'sent');
});
