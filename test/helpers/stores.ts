// A telemetry store and a control store on one fresh SQLite file, removed with the test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { openSqliteControlStore, openSqliteStore, type ControlStore, type SqliteStoreOptions, type Store } from '../../store/index.ts';

export async function tempStores(t: Pick<TestContext, 'after'>, writer?: SqliteStoreOptions['writer']): Promise<{ store: Store; control: ControlStore; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-stores-'));
  const file = join(dir, 'telltale.db');
  const store = await openSqliteStore({ file, ...(writer ? { writer } : {}) });
  const control = await openSqliteControlStore({ file });
  t.after(async () => {
    await control.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { store, control, file };
}
