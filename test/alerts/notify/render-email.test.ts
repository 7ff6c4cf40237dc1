import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertMailMessage, alertSubject, renderAlertEmail } from '../../../alerts/notify/index.ts';
import { formatDuration, formatValue, oneLine, safeHref, sparkline } from '../../../alerts/notify/text.ts';
import { T0, sampleAlert, sampleNotification } from './fixtures.ts';

test('the subject says state, count, service, summary and where', () => {
  const two = sampleNotification({ alerts: [sampleAlert(), sampleAlert({ fingerprint: 'f2', labels: { ...sampleAlert().labels, route: '/cart' } })] });
  assert.equal(alertSubject(two), '[FIRING 2] checkout: error rate 12.4% > 5% on POST /orders');
  const resolved = sampleNotification({
    status: 'resolved',
    alerts: [sampleAlert({ status: 'resolved', endsAtMs: T0 + 23 * 60_000 })],
  });
  assert.equal(alertSubject(resolved), '[RESOLVED] checkout: error rate 12.4% > 5% on POST /orders (lasted 23m)');
  const noRoute = sampleNotification({ alerts: [sampleAlert({ labels: { alertname: 'x', service: 'billing' }, annotations: {} })] });
  assert.equal(alertSubject(noRoute), '[FIRING 1] billing: Checkout errors');
  const check = sampleNotification({ groupLabels: { alertname: 'down' }, alerts: [sampleAlert({ kind: 'check_failing', labels: { alertname: 'down', check: 'shop-order' }, annotations: { summary: '3 consecutive failed runs ≥ 3' } })] });
  assert.equal(alertSubject(check), '[FIRING 1] check shop-order: 3 consecutive failed runs ≥ 3', 'no service: the check names who is in trouble');
  const acked = sampleNotification({ alerts: [sampleAlert({ acknowledged: true })] });
  assert.match(alertSubject(acked), /^\[FIRING 1, acknowledged\]/);
});

test('nothing from labels or annotations can break the subject into headers', () => {
  const hostile = sampleNotification({
    alerts: [sampleAlert({
      labels: { service: 'checkout\r\nBcc: evil@x', method: 'POST\u0000', route: '/orders\u2028X-Evil: 1' },
      annotations: { summary: 'boom\nSubject: fake\u0085\u001b[31m' },
    })],
  });
  const subject = alertSubject(hostile);
  assert.doesNotMatch(subject, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  assert.equal(subject, '[FIRING 1] checkout Bcc: evil@x: boom Subject: fake [31m on POST /orders X-Evil: 1');
  assert.equal(oneLine('a'.repeat(500), 10).length, 10);
});

test('values are formatted in the rule unit', () => {
  assert.equal(formatValue(0.124, 'ratio'), '12.4%');
  assert.equal(formatValue(0.05, 'ratio'), '5%');
  assert.equal(formatValue(850, 'ms'), '850 ms');
  assert.equal(formatValue(1234, 'ms'), '1.23 s');
  assert.equal(formatValue(3, 'count'), '3');
  assert.equal(formatValue(14.4, 'burn'), '14.4×');
  assert.equal(formatValue(null, 'ms'), 'no data');
  assert.equal(formatDuration(45_000), '45s');
  assert.equal(formatDuration(17 * 60_000), '17m');
  assert.equal(formatDuration(125 * 60_000), '2h 5m');
  assert.equal(formatDuration(76 * 3_600_000), '3d 4h');
});

test('the sparkline scales points against the threshold and leaves gaps', () => {
  const series = [0, 0.05, null, 0.1].map((value, i) => ({ timeMs: i, value }));
  assert.equal(sparkline(series, 0.2), '▁▃ ▅');
  assert.equal(sparkline(series), '▁▅ █');
  assert.equal(sparkline([{ timeMs: 0, value: null }]), ' ');
});

test('the text part puts what, how bad, since when and what to do first, then each alert', () => {
  const n = sampleNotification({ alerts: [sampleAlert(), sampleAlert({ fingerprint: 'f2', status: 'resolved', endsAtMs: T0 + 5 * 60_000, labels: { ...sampleAlert().labels, route: '/cart' } })] });
  const { text } = renderAlertEmail(n);
  const lines = text.split('\n');
  assert.equal(lines[0], 'FIRING · page · 1 firing, 1 resolved');
  assert.equal(lines[1], 'checkout: error rate 12.4% > 5% on POST /orders');
  assert.equal(lines[2], 'Now 12.4% against a threshold of 5%, 2.5× the threshold.');
  assert.equal(lines[3], 'Since 2026-11-26T02:41:00Z (firing for 17m).');
  assert.match(text, /What to do — High error rate \(escalate to payments-oncall\)\n {2}1\. Open the route view/);
  assert.match(text, / {2}Full runbook: https:\/\/telltale\.example\.com\/runbooks\/high-error-rate/);
  assert.ok(text.indexOf('What to do') < text.indexOf('1. FIRING'), 'the runbook comes before the details');
  assert.match(text, /1\. FIRING {2}Checkout errors on POST \/orders — error rate 12\.4% > 5%/);
  assert.match(text, /2\. RESOLVED {2}Checkout errors on POST \/cart — /);
  assert.match(text, /route=\/cart/);
  assert.match(text, /2026-11-26T02:41:00Z → 2026-11-26T02:46:00Z \(lasted 5m\)/);
  assert.match(text, /Trend: {5}▁▁▁▂ ▅▇█ {2}\(8 points over 7m, min 0\.2%, max 12\.4%\)/);
  assert.match(text, /POST \/orders: 120 errors of 950 calls \(12\.6%\)/);
  assert.match(text, /https:\/\/telltale\.example\.com\/traces\/4bf92f3577b34da6a3ce929d0e0e4736/);
  assert.doesNotMatch(text, /ffffffffffffffffffffffffffffffff/, 'three example traces at most');
  assert.match(text, /checkout 1\.4\.2 at 2026-11-26T02:35:00Z \(6m before it started\)/);
  assert.match(text, /Silence: {3}https:\/\/telltale\.example\.com\/silences\/new/);
  assert.match(text, /Dashboard: https:\/\/telltale\.example\.com\/services\/checkout/);
});

test('a resolved email says how long it lasted and offers no silence link', () => {
  const n = sampleNotification({ status: 'resolved', alerts: [sampleAlert({ status: 'resolved', endsAtMs: T0 + 23 * 60_000, value: 0.01 })] });
  const { text, html } = renderAlertEmail(n);
  assert.match(text, /^RESOLVED/);
  assert.match(text, /Was firing 2026-11-26T02:41:00Z → 2026-11-26T03:04:00Z \(lasted 23m\)/);
  assert.match(text, /last value 1% \(threshold 5%\)/);
  assert.doesNotMatch(text, /Silence/);
  assert.doesNotMatch(html, /Silence/);
  assert.match(html, /lasted 23m/);
});

test('every unit reads naturally in the headline', () => {
  const latency = renderAlertEmail(sampleNotification({ alerts: [sampleAlert({ kind: 'latency', unit: 'ms', value: 1840, threshold: 500, annotations: { summary: 'p99 latency 1.84 s > 500 ms' } })] }));
  assert.match(latency.text, /Now 1\.84 s against a threshold of 500 ms, 3\.7× the threshold\./);
  const burn = renderAlertEmail(sampleNotification({ alerts: [sampleAlert({ kind: 'slo_burn', unit: 'burn', value: 15.2, threshold: 14.4 })] }));
  assert.match(burn.text, /Now 15\.2× against a threshold of 14\.4×\./);
});

test('the acknowledged marker shows in both parts', () => {
  const { text, html } = renderAlertEmail(sampleNotification({ alerts: [sampleAlert({ acknowledged: true })] }));
  assert.match(text, /Acknowledged: someone is on it/);
  assert.match(text, /\[acknowledged\]/);
  assert.match(html, /Acknowledged: someone is on it/);
});

test('the HTML part escapes everything and links only http(s) URLs', () => {
  const evil = '<script>alert("x")</script>';
  const n = sampleNotification({
    groupKey: `{service="${evil}"}`,
    alerts: [sampleAlert({
      ruleName: `Rule ${evil}`,
      labels: { service: `svc"><img src=x onerror=alert(1)>`, route: evil, 'x"y': 'a\'b' },
      annotations: { summary: `error "rate" ${evil}`, description: `line1\n${evil}` },
      contributors: [{ label: evil, calls: 2, errors: 1 }],
      exampleTraceIds: ['"><script>t</script>'],
      deploys: [{ timeMs: T0, service: evil, version: '"v1"' }],
      runbook: { id: 'r', title: `Title ${evil}`, owner: `team "${evil}"`, url: 'javascript:alert(1)', firstSteps: [`Step ${evil}`, 'Run "kubectl rollout undo"'] },
      dashboardUrl: 'https://telltale.example.com/d?a=1&b="2"',
      silenceUrl: 'data:text/html,<script>alert(1)</script>',
    })],
  });
  const { html } = renderAlertEmail(n);
  assert.doesNotMatch(html, /<script/i);
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /javascript:/i);
  assert.doesNotMatch(html, /href="data:/i);
  // No attribute can be closed early: every quote from the data arrives as an entity.
  assert.doesNotMatch(html, /onerror=alert\(1\)>/);
  assert.match(html, /&#60;script&#62;alert\(&#34;x&#34;\)&#60;\/script&#62;/);
  assert.match(html, /Run &#34;kubectl rollout undo&#34;/);
  assert.match(html, /error &#34;rate&#34;/);
  assert.match(html, /href="https:\/\/telltale\.example\.com\/d\?a=1&#38;b=%222%22"/);
  assert.match(html, /link omitted: not an http\(s\) URL/);
  assert.match(html, /href="https:\/\/telltale\.example\.com\/traces\/%22%3E%3Cscript%3Et%3C%2Fscript%3E"/);
  // Every href in the document is http(s).
  for (const m of html.matchAll(/href="([^"]*)"/g)) assert.match(m[1]!, /^https?:\/\//);
});

test('the HTML chart is table cells with heights, no SVG, scripts or style blocks', () => {
  const { html } = renderAlertEmail(sampleNotification());
  assert.doesNotMatch(html, /<svg|<script|<style|<img/i);
  const bars = [...html.matchAll(/<div style="height:(\d+)px;width:6px;background-color:(#[0-9a-f]{6})/g)];
  assert.equal(bars.length, 7, 'one bar per known point; the gap is an empty cell');
  assert.equal(Number(bars[bars.length - 1]![1]), 48, 'the highest point fills the chart');
  assert.equal(bars[bars.length - 1]![2], '#b91c1c', 'above the threshold in red');
  assert.equal(bars[0]![2], '#9ca3af', 'below it in grey');
  assert.match(html, /<a href="https:\/\/telltale\.example\.com\/traces\/4bf92f3577b34da6a3ce929d0e0e4736"/);
  assert.match(html, /What to do — High error rate/);
  assert.match(html, /<li style="margin:2px 0">Open the route view and find the failing status codes\.<\/li>/);
});

test('alertMailMessage adds the recipients to the rendered email', () => {
  const m = alertMailMessage(sampleNotification(), ['oncall@example.com']);
  assert.deepEqual(m.to, ['oncall@example.com']);
  assert.equal(m.subject, '[FIRING 1] checkout: error rate 12.4% > 5% on POST /orders');
  assert.equal(m.messageId, alertMailMessage(sampleNotification(), ['oncall@example.com']).messageId, 'stable per notification');
  assert.notEqual(m.messageId, alertMailMessage(sampleNotification(), ['other@example.com']).messageId, 'distinct per recipient list');
  assert.notEqual(m.messageId, alertMailMessage(sampleNotification({ id: 'n-checkout-2' }), ['oncall@example.com']).messageId);
  assert.deepEqual(m.references, alertMailMessage(sampleNotification({ id: 'n-checkout-2', status: 'resolved' }), ['x@example.com']).references, 'one thread per group');
  const hostile = alertMailMessage(sampleNotification({ id: 'n\r\nBcc: x', receiver: '<a>@b', externalUrl: 'not a url' }), ['a@example.com']);
  assert.match(hostile.messageId!, /^<n\.Bcc\.x\.[0-9a-f]{8}@telltale\.invalid>$/);
  assert.match(hostile.references![0]!, /^<group\.a\.b\.[0-9a-f]{8}@telltale\.invalid>$/);
  assert.equal(safeHref('javascript:alert(1)'), null);
  assert.equal(safeHref('https://x.example/a b'), 'https://x.example/a%20b');
});

test('fifty alerts in one email: each listed, the first twenty in full', () => {
  const alerts = Array.from({ length: 50 }, (_, i) => sampleAlert({ fingerprint: `f${i}`, labels: { ...sampleAlert().labels, route: `/r${i}` } }));
  const n = sampleNotification({ alerts });
  const { subject, text, html } = renderAlertEmail(n);
  assert.match(subject, /^\[FIRING 50\] checkout: .* on POST \/r0$/);
  for (let i = 0; i < 50; i++) assert.match(text, new RegExp(`route=/r${i}\\b|POST /r${i}:`), `alert ${i} in text`);
  for (let i = 0; i < 50; i++) assert.ok(html.includes(`/r${i}`), `alert ${i} in html`);
  assert.match(text, /30 more alerts in this group:\n21\. FIRING POST \/r20: error rate 12\.4% > 5% — 2026-11-26T02:41:00Z \(firing for 17m\)/);
  assert.equal((text.match(/Trend:/g) ?? []).length, 20);
  assert.match(html, /<ol start="21"/);
});
