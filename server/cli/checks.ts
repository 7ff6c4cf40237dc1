// `telltale checks validate|plan|apply|export`: checks as code from the command line.
// validate works offline; plan, apply and export talk to a running Telltale's API, so a CI job
// needs only its URL and a token (read for plan and export, write for apply).
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import {
  canonicalJson, checksToYaml, formatDiagnostic, parseAllowPrivate, parseCheckFiles, type Check, type CheckFile, type CheckFilesResult,
} from '../../synthetic/index.ts';
import type { Config } from '../config.ts';
import { checkFilesIn, readCheckFiles } from '../checks/code-checks.ts';
import { maskSecrets } from '../checks/seal.ts';
import { SecretBox } from '../secrets/secret-box.ts';
import { ApiError, checksClient, type ChecksClient, type RemoteCheck } from './checks-client.ts';
import { fail } from './fail.ts';

const USAGE = `usage: telltale checks validate [FILE|DIR…]
       telltale checks plan|apply --url URL --token TOKEN [--prune] [FILE|DIR…]
       telltale checks export --url URL --token TOKEN
Without files: the config file's checks: and the checks folder (TELLTALE_CONFIG, TELLTALE_CHECKS_DIR).
--url and --token default to TELLTALE_URL and TELLTALE_TOKEN.`;

async function filesFrom(paths: string[], config: () => Config): Promise<CheckFile[]> {
  if (paths.length === 0) {
    const cfg = config();
    return readCheckFiles({ configFile: cfg.configFile, checksDir: cfg.checksDir });
  }
  const files: CheckFile[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => fail(`${path}: no such file or folder`));
    const names = info.isDirectory() ? await checkFilesIn(path) : [path];
    for (const file of names) {
      // The config file has other sections; a check file has only checks.
      const kind = /^telltale(\.[\w-]+)?\.ya?ml$/i.test(basename(file)) ? 'config' : 'checks';
      files.push({ file, text: await readFile(file, 'utf8'), kind });
    }
  }
  return files;
}

async function loadValid(paths: string[], config: () => Config): Promise<CheckFilesResult> {
  const allowPrivate = parseAllowPrivate(process.env.TELLTALE_CHECKS_ALLOW_PRIVATE);
  if (!allowPrivate) fail('TELLTALE_CHECKS_ALLOW_PRIVATE must be false, rfc1918 or all');
  const result = parseCheckFiles(await filesFrom(paths, config), { policy: { allowPrivate } });
  if (!result.ok) {
    for (const d of result.diagnostics) console.error(formatDiagnostic(d));
    fail(`${result.diagnostics.length} problem${result.diagnostics.length === 1 ? '' : 's'}; nothing was changed`);
  }
  return result;
}

interface Plan {
  create: Check[];
  change: Check[];
  remove: string[];
  unchanged: string[];
  /** API checks not in the files, kept without --prune. */
  kept: string[];
}

// Plaintext local values are masked the way the API masks them; no key is needed to do so.
const LOCAL = new SecretBox({});
const shown = (check: Check) => canonicalJson(maskSecrets(LOCAL, check.id, check));
const hasSecrets = (check: Check) => shown(check) !== canonicalJson(check);

async function makePlan(client: ChecksClient, local: Check[], prune: boolean): Promise<Plan> {
  const remote = new Map<string, RemoteCheck>((await client.list()).map((r) => [r.check.id, r]));
  const owned = local.filter((c) => remote.get(c.id)?.origin === 'code').map((c) => c.id);
  if (owned.length > 0) fail(`defined in code on the server (its config file or checks folder), so not changeable here: ${owned.join(', ')}`);
  const plan: Plan = { create: [], change: [], remove: [], unchanged: [], kept: [] };
  for (const check of local) {
    const there = remote.get(check.id);
    if (!there) plan.create.push(check);
    else if (shown(check) !== canonicalJson(there.check)) plan.change.push(check);
    // Equal once masked: only the server can tell whether the secrets behind the masks differ.
    else if (hasSecrets(check) && await client.replace(check, true)) plan.change.push(check);
    else plan.unchanged.push(check.id);
  }
  const ids = new Set(local.map((c) => c.id));
  for (const [id, there] of remote) {
    if (there.origin !== 'api' || ids.has(id)) continue;
    (prune ? plan.remove : plan.kept).push(id);
  }
  return plan;
}

function printPlan(plan: Plan, applied: boolean): void {
  const verb = (future: string, past: string) => (applied ? past : future);
  for (const c of plan.create) console.log(`+ ${verb('create', 'created')}  ${c.id}`);
  for (const c of plan.change) console.log(`~ ${verb('change', 'changed')}  ${c.id}`);
  for (const id of plan.remove) console.log(`- ${verb('delete', 'deleted')}  ${id}`);
  const [created, changed, deleted, unchanged] = [plan.create.length, plan.change.length, plan.remove.length, plan.unchanged.length];
  console.log(applied
    ? `${created} created, ${changed} changed, ${deleted} deleted, ${unchanged} unchanged`
    : `${created} to create, ${changed} to change, ${deleted} to delete, ${unchanged} unchanged`);
  if (plan.kept.length > 0) console.log(`${plan.kept.length} check${plan.kept.length === 1 ? '' : 's'} in Telltale not in these files kept (--prune deletes them): ${plan.kept.join(', ')}`);
}

async function apply(client: ChecksClient, plan: Plan): Promise<void> {
  for (const check of plan.create) await client.create(check);
  for (const check of plan.change) await client.replace(check);
  for (const id of plan.remove) await client.remove(id);
}

function remoteArgs(values: { url?: string; token?: string }): { url: string; token: string } {
  const url = values.url ?? process.env.TELLTALE_URL;
  const token = values.token ?? process.env.TELLTALE_TOKEN;
  if (!url || !token) fail(`--url and --token (or TELLTALE_URL and TELLTALE_TOKEN) are needed\n${USAGE}`);
  return { url, token };
}

export async function checksCommand(args: string[], config: () => Config): Promise<void> {
  const { values, positionals } = parseArgs({
    args, allowPositionals: true,
    options: { url: { type: 'string' }, token: { type: 'string' }, prune: { type: 'boolean', default: false } },
  });
  const [action, ...paths] = positionals;
  try {
    switch (action) {
      case 'validate': {
        const { checks } = await loadValid(paths, config);
        console.log(`${checks.length} check${checks.length === 1 ? '' : 's'} valid`);
        return;
      }
      case 'plan':
      case 'apply': {
        const { url, token } = remoteArgs(values);
        const { checks } = await loadValid(paths, config);
        const client = checksClient(url, token);
        const plan = await makePlan(client, checks.map((c) => c.check), values.prune ?? false);
        if (action === 'apply') await apply(client, plan);
        printPlan(plan, action === 'apply');
        return;
      }
      case 'export': {
        const { url, token } = remoteArgs(values);
        const mine = (await checksClient(url, token).list()).filter((r) => r.origin === 'api').map((r) => r.check);
        // Secret values come masked; applying the file again keeps the secrets stored in Telltale.
        process.stdout.write(checksToYaml(mine, `Checks exported from ${url} at ${new Date().toISOString()}.\nSecret values are masked: applying this file keeps the stored secrets.`));
        return;
      }
      default:
        fail(USAGE);
    }
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    for (const d of err.diagnostics) console.error(`  ${d.path}: ${d.message}`);
    fail(err.message);
  }
}
