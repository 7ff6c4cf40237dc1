// Chooses and opens the stores the configuration names: telemetry in SQLite or ClickHouse,
// the control plane always in SQLite in the data folder (see store/control.ts for why).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openClickHouseStore, openSqliteControlStore, openSqliteStore, type ControlStore, type Store } from '../store/index.ts';
import type { Config } from './config.ts';

export interface Stores {
  store: Store;
  control: ControlStore;
  close(): Promise<void>;
}

type StoreConfig = Pick<Config, 'store' | 'dataDir' | 'sqliteSynchronous' | 'sqliteCacheMiB' | 'clickhouse'>;

/** The telemetry store alone (the CLI's import and token commands need no more). */
export function openStore(config: StoreConfig): Promise<Store> {
  if (config.store === 'clickhouse') {
    const { url, user, password, database } = config.clickhouse;
    return openClickHouseStore({ url, user, password, database });
  }
  return openSqliteStore({ file: join(config.dataDir, 'telltale.db'), synchronous: config.sqliteSynchronous, cacheMiB: config.sqliteCacheMiB });
}

/**
 * Where the control plane lives: beside the telemetry in SQLite mode, a file of its own in
 * ClickHouse mode; except that an installation moved from SQLite (`telltale migrate`) keeps
 * using its telltale.db, which holds its alert rules, silences, history and outbox.
 */
export function controlFile(config: Pick<Config, 'store' | 'dataDir'>): string {
  const shared = join(config.dataDir, 'telltale.db');
  const own = join(config.dataDir, 'control.db');
  if (config.store === 'sqlite') return shared;
  return !existsSync(own) && existsSync(shared) ? shared : own;
}

export async function openStores(config: StoreConfig): Promise<Stores> {
  const store = await openStore(config);
  const control = await openSqliteControlStore({ file: controlFile(config), synchronous: config.sqliteSynchronous }).catch(async (err: unknown) => {
    await store.close();
    throw err;
  });
  return { store, control, close: async () => { await control.close(); await store.close(); } };
}
