// Chooses and opens the stores the configuration names: telemetry in SQLite or ClickHouse,
// the control plane always in SQLite in the data folder (see store/control.ts for why).
import { join } from 'node:path';
import { openClickHouseStore, openSqliteControlStore, openSqliteStore, type ControlStore, type Store } from '../store/index.ts';
import type { Config } from './config.ts';

export interface Stores {
  store: Store;
  control: ControlStore;
  close(): Promise<void>;
}

type StoreConfig = Pick<Config, 'store' | 'dataDir' | 'sqliteSynchronous' | 'clickhouse'>;

/** The telemetry store alone (the CLI's import and token commands need no more). */
export function openStore(config: StoreConfig): Promise<Store> {
  if (config.store === 'clickhouse') {
    const { url, user, password, database } = config.clickhouse;
    return openClickHouseStore({ url, user, password, database });
  }
  return openSqliteStore({ file: join(config.dataDir, 'telltale.db'), synchronous: config.sqliteSynchronous });
}

/** Where the control plane lives: beside the telemetry in SQLite mode, a file of its own otherwise. */
export function controlFile(config: Pick<Config, 'store' | 'dataDir'>): string {
  return join(config.dataDir, config.store === 'clickhouse' ? 'control.db' : 'telltale.db');
}

export async function openStores(config: StoreConfig): Promise<Stores> {
  const store = await openStore(config);
  const control = await openSqliteControlStore({ file: controlFile(config), synchronous: config.sqliteSynchronous }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  return { store, control, close: async () => { await control.close(); await store.close(); } };
}
