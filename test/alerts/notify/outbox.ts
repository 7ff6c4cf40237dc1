// A fresh SQLite control store on a temp file per test, and a way to enqueue one message.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { openSqliteControlStore, type ControlStore } from '../../../store/index.ts';

export async function tempControl(t: TestContext): Promise<ControlStore> {
  const dir = mkdtempSync(join(tmpdir(), 'telltale-notify-'));
  const control = await openSqliteControlStore({ file: join(dir, 'control.db') });
  t.after(async () => {
    await control.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return control;
}

export function enqueue(control: ControlStore, id: string, channel: string, body: unknown, nowMs: number): Promise<void> {
  return control.commit({
    enqueue: [{ id, channel, body, createdAtMs: nowMs, status: 'pending', attempts: 0, nextAttemptAtMs: nowMs, lastError: null, settledAtMs: null }],
  });
}

