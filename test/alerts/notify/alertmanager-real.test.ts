// Pushing to a real Alertmanager (Debian's prometheus-alertmanager): what Telltale posts to
// /api/v2/alerts is accepted, shows up with its labels, annotations and generator URL, and a
// resolved push ends it there.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alertmanagerPostableAlerts, createAlertmanagerNotifier } from '../../../alerts/notify/index.ts';
import { sampleAlert, sampleNotification } from './fixtures.ts';
import { freePort } from '../../helpers/ports.ts';

const BINARY = '/usr/bin/prometheus-alertmanager';

async function startAlertmanager(t: TestContext): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-am-'));
  await writeFile(join(dir, 'alertmanager.yml'), 'route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n');
  const port = await freePort();
  const child = spawn(BINARY, [
    `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${dir}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr.on('data', (c: Buffer) => { log += c.toString(); });
  t.after(async () => {
    child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i += 1) {
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return url;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`alertmanager did not start:\n${log}`);
}

interface AmAlert { labels: Record<string, string>; annotations: Record<string, string>; generatorURL: string; status: { state: string } }

test('a real Alertmanager takes Telltale\'s firing push and ends the alert on the resolved one', async (t) => {
  const url = await startAlertmanager(t);
  const notifier = createAlertmanagerNotifier();
  t.after(() => notifier.close());
  const startsAtMs = Date.now() - 60_000;
  const firing = sampleNotification({ alerts: [sampleAlert({ startsAtMs })] });
  assert.deepEqual(await notifier.deliver({ url, alerts: alertmanagerPostableAlerts(firing) }), { outcome: 'sent' });

  const active = (await (await fetch(`${url}/api/v2/alerts`)).json()) as AmAlert[];
  assert.equal(active.length, 1);
  assert.deepEqual(active[0]!.labels, sampleAlert().labels);
  assert.equal(active[0]!.annotations.summary, 'error rate 12.4% > 5%');
  assert.equal(active[0]!.status.state, 'active');
  assert.match(active[0]!.generatorURL, /^https:\/\/telltale\.example\.com\//);

  const resolved = sampleNotification({ status: 'resolved', alerts: [sampleAlert({ startsAtMs, status: 'resolved', endsAtMs: Date.now() - 1000 })] });
  assert.deepEqual(await notifier.deliver({ url, alerts: alertmanagerPostableAlerts(resolved) }), { outcome: 'sent' });
  const after = (await (await fetch(`${url}/api/v2/alerts`)).json()) as AmAlert[];
  assert.deepEqual(after, [], 'the resolved push ends it in Alertmanager');
});
