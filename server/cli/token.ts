// `telltale token create|list`: token administration against the store, no server needed.
import { parseArgs } from 'node:util';
import { TOKEN_SCOPES, type TokenScope } from '../../store/index.ts';
import { createToken } from '../auth/tokens.ts';
import type { Config } from '../config.ts';
import { openStore } from '../open-store.ts';
import { fail } from './fail.ts';

export async function tokenCommand(args: string[], config: Config): Promise<void> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { scope: { type: 'string' }, name: { type: 'string' } } });
  const action = positionals[0];
  if (action !== 'create' && action !== 'list') fail('usage: telltale token create --scope ingest|read|write|admin --name NAME | telltale token list');
  const scope = values.scope as TokenScope;
  if (action === 'create' && !TOKEN_SCOPES.includes(scope)) fail(`--scope must be one of ${TOKEN_SCOPES.join(', ')}`);
  const store = await openStore(config);
  try {
    if (action === 'create') {
      const { token } = await createToken(store, scope, values.name ?? `${scope} token`);
      console.log(token);
    } else {
      for (const t of await store.listTokens()) console.log(`${t.id}  ${t.scope.padEnd(6)}  ${new Date(t.createdAtMs).toISOString()}  ${t.name}`);
    }
  } finally {
    await store.close();
  }
}
