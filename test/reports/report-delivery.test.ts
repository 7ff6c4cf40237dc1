// A scheduled report goes out through the same outbox and mail pipeline as alerts and arrives at
// a real SMTP server: HTML body, plain-text part, CSV attached and readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutboxDelivery, createEmailNotifier, parseMailMessage } from '../../alerts/notify/index.ts';
import { openSqliteControlStore, openSqliteStore } from '../../store/index.ts';
import { validateSchedule } from '../../reports/schedule-schema.ts';
import { fireSchedule } from '../../reports/schedules.ts';
import { sloDocument } from '../../reports/slo-registry.ts';
import { validateSlo } from '../../reports/slo-schema.ts';
import { decodeWords, leaves, parseMime } from '../alerts/notify/mime.ts';
import { startSmtpCatcher } from '../alerts/notify/smtp-catcher.ts';

test('a report email is delivered over SMTP with its HTML, text and CSV parts', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-report-mail-'));
  const store = await openSqliteStore({ file: join(dir, 'telltale.db') });
  const control = await openSqliteControlStore({ file: join(dir, 'telltale.db') });
  const smtp = await startSmtpCatcher();
  t.after(async () => {
    await smtp.close();
    await control.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  const slo = validateSlo({ id: 'api', name: 'API availability', target: 99.9, window: 'month', timeZone: 'America/New_York', indicator: { type: 'availability', selector: { service: 'api' } } });
  const schedule = validateSchedule({ id: 'monthly', cron: '0 7 1 * *', timeZone: 'America/New_York', recipients: ['sre@example.com'], period: 'previous-month' });
  assert.ok(slo.ok && schedule.ok);
  const t0 = Date.UTC(2026, 1, 10);
  await store.append({
    spans: [],
    calls: Array.from({ length: 1000 }, (_, i) => ({
      id: `c${i}`, timeUnixMs: t0 + i * 1000, service: 'api', method: 'GET', route: '/v1/things', statusCode: i < 2 ? 500 : 200, durationMs: 40,
      source: 'trace' as const, traceId: null, spanId: null, consumer: null, error: i < 2,
    })),
  });
  await control.commit({ put: [sloDocument({ slo: slo.slo, origin: 'api', createdAtMs: t0, updatedAtMs: t0 })] });
  const now = Date.UTC(2026, 2, 1, 12); // 1 March, 07:00 in New York (EST)
  const message = await fireSchedule({ store, control, now: () => now, publicUrl: 'https://telltale.example' }, schedule.schedule, now);
  assert.ok(message);
  assert.ok(parseMailMessage(message.body).ok, 'the mail pipeline accepts the body');

  const delivery = new OutboxDelivery({
    control, now: () => now, notifiers: [createEmailNotifier({ smtpUrl: `smtp://127.0.0.1:${smtp.port}`, from: 'Telltale <reports@telltale.example>' })],
  });
  t.after(() => delivery.close());
  delivery.start();
  await delivery.idle();
  assert.equal((await control.message(message.id))?.status, 'sent');
  assert.equal(smtp.mails.length, 1);
  const root = parseMime(smtp.mails[0]!.raw);
  // February in New York: 998/1000 = 99.8 % < 99.9 %.
  assert.equal(decodeWords(root.header('subject')!), 'SLA report 2026-02-01 – 2026-02-28: 0 of 1 SLOs met');
  const parts = leaves(root);
  const html = parts.find((p) => p.contentType.startsWith('text/html'));
  const csv = parts.find((p) => p.contentType.startsWith('text/csv'));
  assert.ok(html?.text.includes('API availability'));
  assert.match(csv?.text ?? '', /\r\nslo,api,API availability,availability of service=api,99\.9,99\.8,false,/);
  assert.ok(parts.some((p) => p.contentType.startsWith('text/plain') && p.text.includes('API availability: 99.8%')));
});
