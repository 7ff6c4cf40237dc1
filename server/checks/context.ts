// What the check verbs work with, in one object the composition root builds and tests swap:
// the store, the clock, the secret box, the address policy, and the ingest path runs take.
import { readFileSync } from 'node:fs';
import type { IngestBatch, Store } from '../../store/index.ts';
import type { AddressPolicy, AllowPrivate, Check, CheckRunResult, RunDeps } from '../../synthetic/index.ts';
import { SecretBox } from '../secrets/secret-box.ts';

/** A change to the stored checks; the scheduler follows these. `check` is as stored (secrets sealed). */
export type CheckChange = { kind: 'put'; check: Check } | { kind: 'delete'; id: string };

export interface ChecksContext {
  store: Store;
  now: () => number;
  secrets: SecretBox;
  policy: AddressPolicy;
  /** Hands a run's ApiCall and record to ingest; resolves once committed. */
  submit: (batch: IngestBatch) => Promise<void>;
  /** Extra runner dependencies (tests: CA certificates, a resolver). */
  runDeps: RunDeps;
  /** Told after every stored change. */
  listeners: Set<(change: CheckChange) => void>;
  /** Runs in flight by check id: at most one run of a check at a time, whoever asked for it. */
  running: Map<string, Promise<CheckRunResult>>;
}

export interface ChecksContextOptions {
  store: Store;
  now: () => number;
  submit: (batch: IngestBatch) => Promise<void>;
  allowPrivate?: AllowPrivate;
  secretKey?: string | null;
  dataDir?: string;
  runDeps?: RunDeps;
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'dev';
  } catch {
    return 'dev';
  }
}

export function createChecksContext(options: ChecksContextOptions): ChecksContext {
  const policy: AddressPolicy = { allowPrivate: options.allowPrivate ?? 'rfc1918' };
  return {
    store: options.store,
    now: options.now,
    secrets: new SecretBox({ key: options.secretKey ?? null, ...(options.dataDir ? { dataDir: options.dataDir } : {}) }),
    policy,
    submit: options.submit,
    runDeps: { version: packageVersion(), ...options.runDeps, policy, now: options.now },
    listeners: new Set(),
    running: new Map(),
  };
}

export function notify(ctx: ChecksContext, change: CheckChange): void {
  for (const listener of ctx.listeners) listener(change);
}
