import assert from 'node:assert/strict';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { test, type TestContext } from 'node:test';
import { OutboxDelivery, alertMailMessage, classifySmtpError, createEmailNotifier, type Notifier } from '../../../alerts/notify/index.ts';
import { SimulatedTime } from '../../helpers/simulated-time.ts';
import { selfSignedCert } from '../../helpers/tls-certs.ts';
import { T0, sampleAlert, sampleNotification } from './fixtures.ts';
import { leaves, decodeWords, parseMime } from './mime.ts';
import { enqueue, tempControl } from './outbox.ts';
import { freePort } from '../../helpers/ports.ts';
import { startSmtpCatcher, type CatcherOptions, type SmtpCatcher } from './smtp-catcher.ts';

async function catcher(t: TestContext, options: CatcherOptions = {}): Promise<SmtpCatcher> {
  const smtp = await startSmtpCatcher(options);
  t.after(() => smtp.close());
  return smtp;
}

function notifier(port: number): Notifier {
  return createEmailNotifier({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'Telltale <alerts@telltale.example.com>', connectionTimeoutMs: 5_000, greetingTimeoutMs: 5_000, socketTimeoutMs: 5_000 });
}

async function setup(t: TestContext, port: number) {
  const time = new SimulatedTime(T0);
  const control = await tempControl(t);
  const settled: string[] = [];
  const delivery = new OutboxDelivery({
    control, now: time.now, timers: time.timers, random: () => 0.5, pollIntervalMs: 5_000, notifiers: [notifier(port)],
    onSettled: (channel, status) => settled.push(`${channel}:${status}`),
  });
  t.after(() => delivery.close());
  return { time, control, delivery, settled };
}

test('an alert email arrives with both parts, its headers and its content', async (t) => {
  const smtp = await catcher(t);
  const { time, control, delivery, settled } = await setup(t, smtp.port);
  const message = alertMailMessage(sampleNotification(), ['oncall@example.com', 'lead@example.com']);
  await enqueue(control, 'n1/email/0', 'email', message, time.now());
  delivery.start();
  await delivery.idle();

  const m = await control.message('n1/email/0');
  assert.equal(m!.status, 'sent');
  assert.equal(m!.attempts, 1);
  assert.deepEqual(settled, ['email:sent']);
  assert.equal(smtp.mails.length, 1);
  const mail = smtp.mails[0]!;
  assert.equal(mail.mailFrom, 'alerts@telltale.example.com');
  assert.deepEqual(mail.rcptTo, ['oncall@example.com', 'lead@example.com']);

  const root = parseMime(mail.raw);
  assert.equal(decodeWords(root.header('subject')!), '[FIRING 1] checkout: error rate 12.4% > 5% on POST /orders');
  assert.equal(root.header('from'), 'Telltale <alerts@telltale.example.com>');
  assert.equal(root.header('to'), 'oncall@example.com, lead@example.com');
  assert.equal(root.header('auto-submitted'), 'auto-generated');
  assert.match(message.messageId!, /^<n-checkout-1\.[0-9a-f]{8}@telltale\.example\.com>$/);
  assert.equal(root.header('message-id'), message.messageId, 'stable: a re-send is recognisably the same mail');
  assert.equal(root.header('references'), message.references![0]);
  assert.equal(root.header('in-reply-to'), message.references![0]);
  assert.match(root.contentType, /^multipart\/alternative/);
  const [text, html] = leaves(root);
  assert.match(text!.contentType, /^text\/plain; charset=utf-8/);
  assert.match(html!.contentType, /^text\/html; charset=utf-8/);
  // Decoded, the parts are exactly what the renderer produced (nodemailer normalises line ends to CRLF).
  assert.equal(text!.text.replace(/\r\n/g, '\n'), message.text);
  assert.equal(html!.text.replace(/\r\n/g, '\n'), message.html);
  assert.match(text!.text, /Trend: {5}▁▁▁▂ ▅▇█/);
  assert.match(text!.text, /What to do — High error rate \(escalate to payments-oncall\)/);
  assert.match(html!.text, /<a href="https:\/\/telltale\.example\.com\/traces\/4bf92f3577b34da6a3ce929d0e0e4736"/);
});

test('a label carrying CR/LF and a Bcc header creates no header and reaches no extra recipient', async (t) => {
  const smtp = await catcher(t);
  const { time, control, delivery } = await setup(t, smtp.port);
  const n = sampleNotification({
    alerts: [sampleAlert({
      labels: { service: 'checkout\r\nBcc: evil@x.example', route: '/orders\nCc: evil2@x.example' },
      annotations: { summary: 'rate\r\n\r\n<html>body injection' },
    })],
  });
  await enqueue(control, 'inj', 'email', alertMailMessage(n, ['oncall@example.com']), time.now());
  delivery.start();
  await delivery.idle();
  assert.equal((await control.message('inj'))!.status, 'sent');
  assert.deepEqual(smtp.rcptSeen, ['oncall@example.com']);
  assert.deepEqual(smtp.mails[0]!.rcptTo, ['oncall@example.com']);
  const root = parseMime(smtp.mails[0]!.raw);
  const names = root.headers.map(([k]) => k);
  assert.ok(!names.includes('bcc') && !names.includes('cc'), `headers: ${names.join(', ')}`);
  assert.equal(decodeWords(root.header('subject')!), '[FIRING 1] checkout Bcc: evil@x.example: rate <html>body injection on /orders Cc: evil2@x.example');
  const html = leaves(root)[1]!.text;
  assert.doesNotMatch(html, /<html>body/);
  assert.match(html, /&#60;html&#62;body injection/);
});

test('an injected recipient in the stored body fails the message instead of reaching anyone', async (t) => {
  const smtp = await catcher(t);
  const { time, control, delivery } = await setup(t, smtp.port);
  const message = { ...alertMailMessage(sampleNotification(), ['oncall@example.com']), to: ['oncall@example.com\r\nBcc: evil@x.example'] };
  await enqueue(control, 'bad-to', 'email', message, time.now());
  await enqueue(control, 'bad-subject', 'email', { ...message, to: ['oncall@example.com'], subject: 'a\r\nBcc: evil@x.example' }, time.now());
  await enqueue(control, 'not-mail', 'email', { hello: 'world' }, time.now());
  await enqueue(control, 'bad-id', 'email', { ...message, to: ['oncall@example.com'], messageId: '<a@b>\r\nBcc: evil@x.example' }, time.now());
  delivery.start();
  await delivery.idle();
  for (const id of ['bad-to', 'bad-subject', 'not-mail', 'bad-id']) assert.equal((await control.message(id))!.status, 'failed', id);
  assert.match((await control.message('bad-to'))!.lastError!, /^malformed email body: invalid recipient/);
  assert.deepEqual(smtp.rcptSeen, []);
});

test('HTML escaping of <script> and quotes survives the trip through SMTP', async (t) => {
  const smtp = await catcher(t);
  const { time, control, delivery } = await setup(t, smtp.port);
  const evil = '<script>alert("x")</script>';
  const base = sampleAlert();
  const n = sampleNotification({
    alerts: [sampleAlert({
      labels: { ...base.labels, team: `"${evil}` },
      annotations: { summary: `rate "12%" ${evil}` },
      runbook: { ...base.runbook!, firstSteps: [`Run ${evil}`, 'Say "hi"'] },
    })],
  });
  await enqueue(control, 'esc', 'email', alertMailMessage(n, ['oncall@example.com']), time.now());
  delivery.start();
  await delivery.idle();
  const [text, html] = leaves(parseMime(smtp.mails[0]!.raw));
  assert.doesNotMatch(html!.text, /<script/i);
  assert.match(html!.text, /team=&#34;&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62;/);
  assert.match(html!.text, /rate &#34;12%&#34; &#60;script&#62;/);
  assert.match(html!.text, /<li style="margin:2px 0">Run &#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62;<\/li>/);
  assert.match(html!.text, /Say &#34;hi&#34;/);
  // The plain-text part shows the text as it is: nothing there is interpreted.
  assert.match(text!.text, /1\. Run <script>alert\("x"\)<\/script>/);
});

test('the mail server down during the alert and back later: delivered exactly once, attempts recorded', async (t) => {
  const port = await freePort();
  const { time, control, delivery, settled } = await setup(t, port);
  await enqueue(control, 'outage', 'email', alertMailMessage(sampleNotification(), ['oncall@example.com']), time.now());
  delivery.start();
  await delivery.idle();
  let m = await control.message('outage');
  assert.equal(m!.status, 'pending');
  assert.equal(m!.attempts, 1);
  assert.match(m!.lastError!, /ECONNREFUSED/);
  assert.equal(m!.nextAttemptAtMs, T0 + 5_000, 'full jitter with random 0.5 over a 10 s ceiling');

  // Still down for the next two retries.
  await time.advance(5_000);
  await delivery.idle();
  m = await control.message('outage');
  assert.equal(m!.attempts, 2);
  assert.equal(m!.nextAttemptAtMs, T0 + 5_000 + 10_000);

  const smtp = await catcher(t, { port });
  await time.advance(10_000);
  await delivery.idle();
  m = await control.message('outage');
  assert.equal(m!.status, 'sent');
  assert.equal(m!.attempts, 3);
  assert.equal(m!.settledAtMs, T0 + 15_000);
  assert.equal(m!.lastError, null);
  assert.equal(smtp.mails.length, 1);

  await time.advance(3_600_000);
  await delivery.idle();
  assert.equal(smtp.mails.length, 1, 'exactly once');
  assert.deepEqual(settled, ['email:sent']);
});

test('a 550 for the only recipient fails the message with the server reason in the outbox', async (t) => {
  const smtp = await catcher(t, { refuse: (a) => (a === 'nobody@example.com' ? { code: 550, message: '5.1.1 unknown user nobody@example.com' } : null) });
  const { time, control, delivery, settled } = await setup(t, smtp.port);
  await enqueue(control, 'unknown', 'email', alertMailMessage(sampleNotification(), ['nobody@example.com']), time.now());
  await enqueue(control, 'partial', 'email', alertMailMessage(sampleNotification(), ['nobody@example.com', 'oncall@example.com']), time.now());
  delivery.start();
  await delivery.idle();
  const unknown = await control.message('unknown');
  assert.equal(unknown!.status, 'failed');
  assert.equal(unknown!.attempts, 1);
  assert.match(unknown!.lastError!, /550 5\.1\.1 unknown user nobody@example\.com/);
  const partial = await control.message('partial');
  assert.equal(partial!.status, 'sent', 'the other recipient got it');
  assert.match(partial!.lastError!, /refused by the mail server: nobody@example\.com/);
  assert.equal(smtp.mails.length, 1);
  assert.deepEqual(smtp.mails[0]!.rcptTo, ['oncall@example.com']);
  assert.deepEqual(settled.sort(), ['email:failed', 'email:sent']);
  await time.advance(3_600_000);
  await delivery.idle();
  assert.equal(smtp.rcptSeen.filter((a) => a === 'nobody@example.com').length, 2, 'no retry of a permanent refusal');
});

test('SMTP errors are classified: 4xx and connection faults retry, 5xx for the message fails', () => {
  assert.equal(classifySmtpError({ code: 'EENVELOPE', responseCode: 450, response: '450 4.2.1 mailbox busy' }).outcome, 'retryable');
  assert.equal(classifySmtpError({ code: 'EENVELOPE', responseCode: 550, response: '550 5.1.1 unknown user' }).outcome, 'failed');
  assert.equal(classifySmtpError({ code: 'EMESSAGE', responseCode: 552, response: '552 too big' }).outcome, 'failed');
  assert.equal(classifySmtpError({ code: 'EPROTOCOL', responseCode: 503, response: '503 bad sequence' }).outcome, 'retryable');
  assert.equal(classifySmtpError({ code: 'EAUTH', responseCode: 535, response: '535 bad credentials' }).outcome, 'retryable', 'a config fault: keep it for after the fix');
  assert.equal(classifySmtpError({ code: 'ETIMEDOUT', message: 'Greeting never received' }).outcome, 'retryable');
  assert.equal(classifySmtpError({ code: 'ESOCKET', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED' }).outcome, 'retryable');
  assert.equal(classifySmtpError(new Error('weird')).outcome, 'retryable');
  const r = classifySmtpError({ code: 'EENVELOPE', command: 'RCPT TO', responseCode: 550, response: '550 5.1.1 unknown\r\nuser' });
  assert.deepEqual(r, { outcome: 'failed', error: 'EENVELOPE at RCPT TO: 550 5.1.1 unknown user' });
});

test('smtp:// upgrades with STARTTLS when the server offers it, then authenticates with the URL credentials', async (t) => {
  const cert = selfSignedCert(3);
  const smtp = await catcher(t, { tls: cert, auth: { user: 'telltale', pass: 'p@ss word' } });
  const mail = createEmailNotifier({
    smtpUrl: `smtp://telltale:${encodeURIComponent('p@ss word')}@localhost:${smtp.port}`, from: 'alerts@telltale.example.com', tls: { ca: cert.cert },
  });
  t.after(() => mail.close());
  const r = await mail.deliver(alertMailMessage(sampleNotification(), ['oncall@example.com']));
  assert.deepEqual(r, { outcome: 'sent' });
  assert.equal(smtp.mails[0]!.secure, true, 'upgraded before the message');
  assert.equal(smtp.mails[0]!.user, 'telltale');

  const wrong = createEmailNotifier({ smtpUrl: `smtp://telltale:nope@localhost:${smtp.port}`, from: 'alerts@telltale.example.com', tls: { ca: cert.cert } });
  t.after(() => wrong.close());
  const refused = await wrong.deliver(alertMailMessage(sampleNotification(), ['oncall@example.com']));
  assert.equal(refused.outcome, 'retryable', 'a wrong password is fixed in config; the alert waits for it');
  assert.match((refused as { error: string }).error, /^EAUTH/);
  assert.doesNotMatch((refused as { error: string }).error, /nope/, 'no credentials in errors');

  const untrusted = createEmailNotifier({ smtpUrl: `smtp://telltale:${encodeURIComponent('p@ss word')}@localhost:${smtp.port}`, from: 'alerts@telltale.example.com' });
  t.after(() => untrusted.close());
  const tlsFault = await untrusted.deliver(alertMailMessage(sampleNotification(), ['oncall@example.com']));
  assert.equal(tlsFault.outcome, 'retryable', 'an untrusted certificate is not accepted');
  assert.equal(smtp.mails.length, 1);
});

test('a mail server that accepts and never greets is given up on within the greeting timeout', async (t) => {
  const sockets: Socket[] = [];
  const silent = createNetServer((s) => sockets.push(s));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => {
    for (const s of sockets) s.destroy();
    silent.close(() => resolve());
  }));
  const port = (silent.address() as AddressInfo).port;
  const mail = createEmailNotifier({ smtpUrl: `smtp://127.0.0.1:${port}`, from: 'alerts@telltale.example.com', greetingTimeoutMs: 300 });
  t.after(() => mail.close());
  const started = performance.now();
  const r = await mail.deliver(alertMailMessage(sampleNotification(), ['oncall@example.com']));
  assert.equal(r.outcome, 'retryable');
  assert.match((r as { error: string }).error, /^ETIMEDOUT/);
  assert.ok(performance.now() - started < 5_000);
});

test('?requireTLS=true refuses a server that offers no STARTTLS instead of sending in the clear', async (t) => {
  const smtp = await catcher(t);
  const strict = createEmailNotifier({ smtpUrl: `smtp://127.0.0.1:${smtp.port}?requireTLS=true`, from: 'alerts@telltale.example.com' });
  t.after(() => strict.close());
  const r = await strict.deliver(alertMailMessage(sampleNotification(), ['oncall@example.com']));
  assert.equal(r.outcome, 'retryable');
  assert.equal(smtp.mails.length, 0);
});
