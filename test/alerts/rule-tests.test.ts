// `telltale rules test`: the series notation, the shipped example file passing, a wrong
// expectation failing with a line that says what differed, and the CLI's exit code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { checkRuleTestFile, expandSeries, type RuleTestFile } from '../../alerts/rule-tests.ts';
import { loadRunbookLibrary } from '../../alerts/runbooks/library.ts';
import { SHIPPED_RUNBOOKS_DIR } from '../../server/app.ts';
import { runRuleTests } from '../../server/alerts/rule-test-runner.ts';
import { runTelltale } from '../helpers/process.ts';

const EXAMPLE = fileURLToPath(new URL('../../examples/alert-rules.test.yaml', import.meta.url));
const runbooks = loadRunbookLibrary({ shippedDir: SHIPPED_RUNBOOKS_DIR, teamDir: null });

async function example(): Promise<RuleTestFile> {
  const checked = checkRuleTestFile(parseYaml(await readFile(EXAMPLE, 'utf8')));
  assert.ok(checked.ok, JSON.stringify(checked));
  return checked.file;
}

test('series notation expands as promtool does', () => {
  assert.deepEqual(expandSeries('1x3'), [1, 1, 1, 1]);
  assert.deepEqual(expandSeries('0+10x3 _ 5'), [0, 10, 20, 30, null, 5]);
  assert.deepEqual(expandSeries('10-2x2'), [10, 8, 6]);
  assert.deepEqual(expandSeries('_x2'), [null, null, null]);
  assert.match(expandSeries('1y3') as string, /not a value/);
  assert.match(expandSeries('1x1000000') as string, /more than 100000/);
});

test('a bad test file names every problem', () => {
  const checked = checkRuleTestFile({
    evaluationInterval: '15s',
    tests: [{ series: [{ service: 's', calls: '1x5 oops' }], checkRuns: [{ check: 'c', results: '+' }], alerts: [{ at: '10s', alertname: 'a' }] }],
  });
  assert.ok(!checked.ok);
  assert.deepEqual(checked.problems.map((p) => p.split(':')[0]).sort(), [
    '/', '/tests/0/alerts/0/at', '/tests/0/checkRuns/0/results', '/tests/0/series/0/calls',
  ]);
});

test('the example rule tests pass against the example config', async () => {
  const results = await runRuleTests(await example(), { baseDir: join(EXAMPLE, '..'), runbooks });
  assert.equal(results.length, 4);
  for (const r of results) assert.deepEqual(r.failures, [], r.name);
});

test('a wrong expectation fails with what differed', async () => {
  const file = await example();
  const burst = file.tests[0]!;
  // The alert is pending at 12m, not firing.
  const wrong: RuleTestFile = { ...file, tests: [{ ...burst, alerts: [{ at: '12m', alertname: 'checkout-errors', firing: [{ route: '/checkout' }] }] }] };
  const [result] = await runRuleTests(wrong, { baseDir: join(EXAMPLE, '..'), runbooks });
  assert.deepEqual(result?.failures, ['at 12m: expected checkout-errors firing with {"route":"/checkout"}, got none']);
});

test('the CLI exits 0 when every test passes and 1 when one fails', async (t) => {
  const ok = runTelltale(['rules', 'test', EXAMPLE], {});
  assert.equal(await ok.exited, 0, ok.output());
  assert.match(ok.output(), /ok +.*one failed call at night does not page/);

  const dir = await mkdtemp(join(tmpdir(), 'telltale-rules-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const failing = join(dir, 'failing.yaml');
  await writeFile(failing, [
    'rules:',
    '  - { id: quiet, name: Quiet, kind: no_data, selector: { service: api }, window: 5m }',
    'tests:',
    '  - series: [{ service: api, calls: 10x20 }]',
    '    alerts: [{ at: 10m, alertname: quiet, firing: [{ service: api }] }]',
  ].join('\n'));
  const bad = runTelltale(['rules', 'test', failing], {});
  assert.equal(await bad.exited, 1);
  assert.match(bad.output(), /FAIL .*test 1\n +at 10m: expected quiet firing with \{"service":"api"\}, got none/);
  assert.match(bad.output(), /1 rule test failed/);
});
