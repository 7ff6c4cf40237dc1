// Chooses and opens the stores the configuration names: telemetry in SQLite or ClickHouse,
// the control plane always in SQLite in the data folder.
import { join } from 'node:path';
import { openSqliteControlStore, openSqliteStore, type ControlStore, type Store } from '../store/index.ts';
import type { Config } from './config.ts';

export interface Stores {
  store: Store;
  control: ControlStore;
  close(): Promise<void>;
}

type StoreConfig = Pick<Config, 'store' | 'dataDir' | 'sqliteSynchronous'>;

/** The telemetry store alone (the CLI's import and token commands need no more). */
export function openStore(config: StoreConfig): Promise<Store> {
  return openSqliteStore({ file: join(config.dataDir, 'telltale.db'), synchronous: config.sqliteSynchronous });
}

export async function openStores(config: StoreConfig): Promise<Stores> {
  const store = await openStore(config);
  const control = await openSqliteControlStore({ file: join(config.dataDir, 'telltale.db'), synchronous: config.sqliteSynchronous }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  return { store, control, close: async () => { await control.close(); await store.close(); } };
}
