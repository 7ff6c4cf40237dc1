// Runs a rule test file: for each test, a fresh in-memory store gets the series' traffic and
// the real evaluator runs over it on simulated time, so a rule passes here exactly when it
// would behave that way in Telltale.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { DOC, type InstanceDoc, type StoredRule } from '../../alerts/documents.ts';
import { parseDuration } from '../../alerts/duration.ts';
import { evaluateAlerts } from '../../alerts/evaluator.ts';
import { compareAlerts, trafficOf, type ObservedAlert, type RuleTestCase, type RuleTestFile } from '../../alerts/rule-tests.ts';
import type { RunbookLibrary } from '../../alerts/runbooks/library.ts';
import { openSqliteControlStore, openSqliteStore } from '../../store/index.ts';
import { validateCodeRules } from './verbs.ts';

/** Where the simulated time of every test starts: a Monday midnight UTC, so windows line up. */
export const RULE_TEST_START_MS = Date.UTC(2026, 0, 5);

export interface RuleTestResult {
  name: string;
  /** One line per difference; empty when the test passed. */
  failures: string[];
}

/** The rules under test: inline, or the `alertRules` of each rule file (relative to the test file). */
export async function rulesOf(file: RuleTestFile, baseDir: string): Promise<unknown[]> {
  const rules = [...(file.rules ?? [])];
  for (const path of file.ruleFiles ?? []) {
    const doc = parseYaml(await readFile(resolve(baseDir, path), 'utf8')) as { alertRules?: unknown[] } | null;
    rules.push(...(doc?.alertRules ?? []));
  }
  return rules;
}

export async function runRuleTests(file: RuleTestFile, options: { baseDir: string; runbooks: RunbookLibrary }): Promise<RuleTestResult[]> {
  const rules = await rulesOf(file, options.baseDir);
  const problems = validateCodeRules(options, rules);
  if (problems.length > 0) return [{ name: 'rules', failures: problems }];
  const evalMs = parseDuration(file.evaluationInterval ?? '15s') ?? 15_000;
  const results: RuleTestResult[] = [];
  for (const [i, test] of file.tests.entries()) {
    results.push({ name: test.name ?? `test ${i + 1}`, failures: await runOne(test, rules, evalMs, options.runbooks) });
  }
  return results;
}

async function runOne(test: RuleTestCase, rules: readonly unknown[], evalMs: number, runbooks: RunbookLibrary): Promise<string[]> {
  const store = await openSqliteStore({ file: ':memory:', writer: 'inline' });
  const control = await openSqliteControlStore({ file: ':memory:' });
  try {
    const start = RULE_TEST_START_MS;
    // Traffic arrives as time passes: an evaluation sees only calls and runs before its instant,
    // as in a running Telltale, never the rest of a minute that has not happened yet.
    const { calls, checkRuns } = trafficOf(test, start);
    calls.sort((a, b) => a.timeUnixMs - b.timeUnixMs);
    checkRuns.sort((a, b) => a.startedAtMs - b.startedAtMs);
    let sentCalls = 0;
    let sentRuns = 0;
    const arriveUntil = async (nowMs: number) => {
      const callsEnd = calls.findIndex((c) => c.timeUnixMs >= nowMs);
      const runsEnd = checkRuns.findIndex((r) => r.startedAtMs > nowMs);
      const c = callsEnd < 0 ? calls.length : callsEnd;
      const r = runsEnd < 0 ? checkRuns.length : runsEnd;
      if (c > sentCalls || r > sentRuns) await store.append({ calls: calls.slice(sentCalls, c), spans: [], checkRuns: checkRuns.slice(sentRuns, r) });
      sentCalls = Math.max(sentCalls, c);
      sentRuns = Math.max(sentRuns, r);
    };
    await control.commit({
      put: rules.map((rule) => {
        const body: StoredRule = { rule: rule as StoredRule['rule'], origin: 'code', createdAtMs: start, updatedAtMs: start };
        return { kind: DOC.rule, id: (rule as { id: string }).id, body, updatedAtMs: start };
      }),
    });
    const deps = { store, control, runbooks, publicUrl: 'http://localhost', render: () => ({ channel: 'none', body: null }) };
    const checkpoints = [...test.alerts].sort((a, b) => (parseDuration(a.at) ?? 0) - (parseDuration(b.at) ?? 0));
    const failures: string[] = [];
    let t = 0;
    for (const expect of checkpoints) {
      const atMs = parseDuration(expect.at) ?? 0;
      // Every evaluation up to and including the checkpoint, as the server would have run them.
      for (; t <= atMs; t += evalMs) {
        await arriveUntil(start + t);
        await evaluateAlerts(deps, start + t);
      }
      const observed: ObservedAlert[] = (await control.documents(DOC.instance)).map((d) => d.body as InstanceDoc)
        .filter((d) => d.state.status !== 'inactive')
        .map((d) => ({ state: d.state.status as ObservedAlert['state'], labels: d.labels }));
      failures.push(...compareAlerts(expect, observed));
    }
    return failures;
  } finally {
    await control.close();
    await store.close();
  }
}
