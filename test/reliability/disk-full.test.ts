// Disk full (SQLITE_FULL) in the real process: the data folder is a small tmpfs that a filler
// file fills up. Ingest must answer 503 with Retry-After (retryable, never 500), /readyz must
// fail, nothing acknowledged may be lost, and ingest and /readyz must recover once the filler is
// deleted. Mounting needs root (CI runs as root); elsewhere the test skips and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, open, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SPANS_PER_BATCH, TOKEN, batch, send, serve, serveEnv, type Batch } from './real-process.ts';

const isRoot = process.getuid?.() === 0;

async function fill(path: string): Promise<number> {
  const handle = await open(path, 'w');
  const chunk = Buffer.alloc(256 * 1024, 1);
  let written = 0;
  try {
    for (;;) {
      try {
        written += (await handle.write(chunk)).bytesWritten;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        // Top off with small writes so not even a page is left.
        for (let size = 128 * 1024; size >= 512; size /= 2) {
          try {
            for (;;) written += (await handle.write(chunk.subarray(0, size))).bytesWritten;
          } catch { /* next smaller size */ }
        }
        return written;
      }
    }
  } finally {
    await handle.close();
  }
}

test('a full disk: ingest 503 with Retry-After, /readyz fails, nothing acknowledged lost, recovery when space returns', {
  timeout: 90_000,
  skip: isRoot ? false : 'needs root to mount a small tmpfs for the data folder (CI runs as root)',
}, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-disk-full-'));
  const mount = join(dir, 'mnt');
  await mkdir(mount);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', mount]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    t.skip(`cannot mount a tmpfs here: ${(err as Error).message.split('\n')[0]}`);
    return;
  }
  t.after(async () => {
    execFileSync('umount', ['-l', mount]);
    await rm(dir, { recursive: true, force: true });
  });
  const dataDir = join(mount, 'data');
  const { run, url } = await serve(serveEnv(dataDir));
  t.after(() => run.child.kill('SIGKILL'));
  const ready = async () => (await fetch(`${url}/readyz`)).status;

  const acknowledged: Batch[] = [];
  for (let i = 0; i < 10; i++) {
    const b = batch('before');
    assert.equal((await send(url, b))?.status, 200);
    acknowledged.push(b);
  }
  assert.equal(await ready(), 200);

  const filler = join(mount, 'filler');
  await fill(filler);
  // The WAL may still have room for a few commits; keep sending until the disk says no.
  let refused: { status: number; retryAfter: string | null } | null = null;
  for (let i = 0; i < 300 && !refused; i++) {
    const b = batch('during');
    const answer = await send(url, b);
    assert.ok(answer, 'the process must not die on a full disk');
    if (answer.status === 200) acknowledged.push(b);
    else refused = answer;
  }
  assert.ok(refused, 'ingest never noticed the full disk');
  assert.equal(refused.status, 503, 'a full disk is retryable: 503, never 500');
  assert.ok(Number(refused.retryAfter) > 0, 'with Retry-After');
  assert.equal(await ready(), 503, '/readyz fails while the disk is full');
  const queries = await fetch(`${url}/api/v1/services?from=now-2h`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(queries.status, 200, 'queries keep working');

  await unlink(filler);
  let recovered = false;
  for (let i = 0; i < 100 && !recovered; i++) {
    const b = batch('after');
    const answer = await send(url, b);
    if (answer?.status === 200) {
      acknowledged.push(b);
      recovered = true;
    } else await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(recovered, 'ingest recovers once space returns');
  for (let i = 0; i < 50 && (await ready()) !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await ready(), 200, '/readyz recovers');

  const db = new Database(join(dataDir, 'telltale.db'), { readonly: true, fileMustExist: true });
  t.after(() => db.close());
  assert.deepEqual(db.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  const spansOf = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM spans WHERE trace_id = ?');
  for (const b of acknowledged) assert.equal(spansOf.get(b.traceId)?.n, SPANS_PER_BATCH, `acknowledged batch ${b.service} ${b.traceId}`);
  t.diagnostic(`${acknowledged.length} batches acknowledged across the full disk`);
});
