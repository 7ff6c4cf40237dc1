// Chooses and opens the store the configuration names.
import { join } from 'node:path';
import { openSqliteStore, type Store } from '../store/index.ts';
import type { Config } from './config.ts';

export async function openStore(config: Pick<Config, 'store' | 'dataDir' | 'sqliteSynchronous'>): Promise<Store> {
  return openSqliteStore({ file: join(config.dataDir, 'telltale.db'), synchronous: config.sqliteSynchronous });
}
