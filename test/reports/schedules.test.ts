// Scheduled reports with an injected clock and timers: a due schedule enqueues one email (HTML
// body, CSV attached) whose id is its period, and neither a second fire nor a restart adds another.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { OutboxMessage, Store } from '../../store/index.ts';
import type { MailMessage } from '../../alerts/notify/mail-message.ts';
import { scheduleDocument, validateSchedule } from '../../reports/schedule-schema.ts';
import { fireSchedule, startReportSchedules, type ReportTimers } from '../../reports/schedules.ts';
import { nextFireAfter } from '../../reports/schedule-time.ts';
import { sloDocument } from '../../reports/slo-registry.ts';
import { validateSlo } from '../../reports/slo-schema.ts';
import { tempStores } from '../helpers/stores.ts';

const stores = (t: TestContext) => tempStores(t);

/** Timers that only fire when the test says so. */
function manualTimers(): ReportTimers & { pending: number } {
  const handles = new Set<object>();
  return {
    setTimeout: () => {
      const h = {};
      handles.add(h);
      return h;
    },
    clearTimeout: (h) => handles.delete(h as object),
    get pending() {
      return handles.size;
    },
  };
}

const schedule = (() => {
  const v = validateSchedule({ id: 'weekly', name: 'Shop weekly', cron: '0 8 * * 1', timeZone: 'Europe/Berlin', recipients: ['sre@example.com', 'cto@example.com'], scope: 'all', period: 'previous-week' });
  if (!v.ok) throw new Error('bad fixture');
  return v.schedule;
})();

test('next fire times are read in the zone, across a DST change', () => {
  // Mondays 08:00 Berlin: 23 March is CET (07:00 UTC); 30 March is CEST (06:00 UTC).
  assert.equal(new Date(nextFireAfter('0 8 * * 1', 'Europe/Berlin', Date.UTC(2026, 2, 20))).toISOString(), '2026-03-23T07:00:00.000Z');
  assert.equal(new Date(nextFireAfter('0 8 * * 1', 'Europe/Berlin', Date.UTC(2026, 2, 23, 7))).toISOString(), '2026-03-30T06:00:00.000Z');
  // 02:30 does not exist on 29 March in Berlin: that day is skipped.
  assert.equal(new Date(nextFireAfter('30 2 * * *', 'Europe/Berlin', Date.UTC(2026, 2, 28, 12))).toISOString(), '2026-03-30T00:30:00.000Z');
});

test('a due schedule enqueues one email with the HTML report and the CSV; a second fire and a restart add nothing', async (t) => {
  const { store, control } = await stores(t);
  const slo = validateSlo({ id: 'shop', name: 'Shop <b>availability</b>', target: 99, window: '7d', indicator: { type: 'availability', selector: { service: 'shop' } } });
  assert.ok(slo.ok);
  // One error in 200 calls during the previous week (16–22 March, Berlin).
  const base = Date.UTC(2026, 2, 18, 12);
  await store.append({
    spans: [],
    calls: Array.from({ length: 200 }, (_, i) => ({
      id: `c${i}`, timeUnixMs: base + i * 1000, service: 'shop', method: 'GET', route: '/', statusCode: i === 0 ? 500 : 200, durationMs: 20,
      source: 'trace' as const, traceId: null, spanId: null, consumer: null, error: i === 0,
    })),
  });
  const created = Date.UTC(2026, 2, 20);
  await control.commit({ put: [sloDocument({ slo: slo.slo, origin: 'api', createdAtMs: created, updatedAtMs: created }), scheduleDocument({ schedule, origin: 'api', createdAtMs: created, updatedAtMs: created })] });

  let now = Date.UTC(2026, 2, 22, 12); // Sunday: not due
  const timers = manualTimers();
  const enqueued: OutboxMessage[] = [];
  const opts = { store, control, now: () => now, timers, publicUrl: 'https://telltale.example', onEnqueued: (m: OutboxMessage) => enqueued.push(m) };
  const scheduler = startReportSchedules(opts);
  await scheduler.tick();
  assert.equal(enqueued.length, 0);

  now = Date.UTC(2026, 2, 23, 7, 0, 5); // Monday 08:00:05 in Berlin
  await scheduler.tick();
  assert.equal(enqueued.length, 1);
  const message = enqueued[0]!;
  assert.equal(message.id, 'report:weekly:2026-03-15T23:00:00.000Z/2026-03-22T23:00:00.000Z');
  assert.equal(message.channel, 'email');
  assert.equal(message.status, 'pending');
  const mail = message.body as MailMessage;
  assert.deepEqual(mail.to, ['sre@example.com', 'cto@example.com']);
  assert.equal(mail.subject, 'Shop weekly 2026-03-16 – 2026-03-22: 1 of 1 SLOs met');
  assert.ok(mail.html.startsWith('<!DOCTYPE html>'));
  assert.ok(mail.html.includes('Shop &lt;b&gt;availability&lt;/b&gt;'));
  assert.match(mail.text, /Shop <b>availability<\/b>: 99\.5% \(target 99%\)/);
  const csv = mail.attachments?.[0];
  assert.equal(csv?.filename, 'sla-report-2026-03-16-to-2026-03-22.csv');
  assert.match(csv?.content ?? '', /^kind,id,name,/);
  assert.match(csv?.content ?? '', /\r\nslo,shop,Shop <b>availability<\/b>,availability of service=shop,99,99\.5,true,/);
  assert.equal((await control.messages({ channel: 'email', limit: 10 })).length, 1);

  // The same minute again, and a fire for the same period after a restart that lost its state.
  await scheduler.tick();
  await scheduler.close();
  assert.equal(await fireSchedule(opts, schedule, Date.UTC(2026, 2, 23, 7, 0)), null);
  await control.commit({ delete: [{ kind: 'report-schedule-state', id: 'weekly' }] });
  const again = startReportSchedules(opts);
  await again.tick();
  await again.close();
  assert.equal(enqueued.length, 1);
  assert.equal((await control.messages({ channel: 'email', limit: 10 })).length, 1);

  // A week later (the process was down at the fire time, back 3 hours late): it catches up once.
  now = Date.UTC(2026, 2, 30, 9);
  const third = startReportSchedules(opts);
  await third.tick();
  await third.tick();
  await third.close();
  assert.equal(enqueued.length, 2);
  assert.equal(enqueued[1]!.id, 'report:weekly:2026-03-22T23:00:00.000Z/2026-03-29T22:00:00.000Z');
  assert.equal(timers.pending >= 0, true);
});

test('the timer drives the fires: armed for the next due time, never longer than a minute', async (t) => {
  const { store, control } = await stores(t);
  const created = Date.UTC(2026, 2, 21, 5); // after yesterday's fire: nothing to catch up
  await control.commit({ put: [scheduleDocument({ schedule: { ...schedule, id: 'daily', cron: '0 6 * * *', timeZone: 'UTC', period: 'last-30-days' }, origin: 'api', createdAtMs: created, updatedAtMs: created })] });
  let now = Date.UTC(2026, 2, 21, 5, 59, 30);
  const armed: Array<{ fn: () => void; ms: number }> = [];
  const timers: ReportTimers = { setTimeout: (fn, ms) => armed.push({ fn, ms }), clearTimeout: () => undefined };
  let resolveFire: (m: OutboxMessage) => void = () => undefined;
  const fired = new Promise<OutboxMessage>((resolve) => (resolveFire = resolve));
  const scheduler = startReportSchedules({ store, control, now: () => now, timers, publicUrl: 'http://t', onEnqueued: (m) => resolveFire(m) });
  t.after(() => scheduler.close());
  // The first wake-up is immediate; it loads the schedule and arms for 06:00, 30 s away.
  assert.equal(armed[0]?.ms, 0);
  armed[0].fn();
  await scheduler.tick();
  await new Promise((r) => setImmediate(r));
  assert.equal(armed[1]?.ms, 30_000);
  now = Date.UTC(2026, 2, 21, 6, 0, 1);
  armed[1].fn();
  const message = await fired;
  assert.equal(message.id, 'report:daily:2026-02-19T00:00:00.000Z/2026-03-21T00:00:00.000Z');
  await scheduler.tick();
  await new Promise((r) => setImmediate(r));
  // Next fire is a day away: the timer sleeps at most a minute, to see API changes.
  assert.equal(armed[armed.length - 1]?.ms, 60_000);
});

test('a report that fails to build is retried a minute later for the same period', async (t) => {
  const { store, control } = await stores(t);
  const created = Date.UTC(2026, 2, 21, 5);
  await control.commit({ put: [scheduleDocument({ schedule: { ...schedule, id: 'daily', cron: '0 6 * * *', timeZone: 'UTC', period: 'last-30-days' }, origin: 'api', createdAtMs: created, updatedAtMs: created })] });
  let now = Date.UTC(2026, 2, 21, 6, 0, 1);
  let broken = true;
  // The real store, with listChecks failing while `broken`.
  const failing: Store = Object.assign(Object.create(store) as Store, {
    listChecks: () => (broken ? Promise.reject(new Error('store unavailable')) : store.listChecks()),
  });
  const errors: string[] = [];
  const enqueued: OutboxMessage[] = [];
  const scheduler = startReportSchedules({
    store: failing, control, now: () => now, timers: manualTimers(), publicUrl: 'http://t',
    onEnqueued: (m) => enqueued.push(m), onError: (id, err) => errors.push(`${id}: ${(err as Error).message}`),
  });
  t.after(() => scheduler.close());
  await scheduler.tick();
  assert.deepEqual(errors, ['daily: store unavailable']);
  now += 30_000;
  await scheduler.tick();
  assert.equal(errors.length, 1, 'not before the retry delay');
  broken = false;
  now = Date.UTC(2026, 2, 21, 6, 2);
  await scheduler.tick();
  // The period is the one due at 06:00, although it was built at 06:02.
  assert.deepEqual(enqueued.map((m) => m.id), ['report:daily:2026-02-19T00:00:00.000Z/2026-03-21T00:00:00.000Z']);
});
