// `telltale rules test FILE…`: runs rule test files (see alerts/rule-tests.ts) and exits 1 on
// any failure, so a team can test its alert rules in CI like `promtool test rules`.
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { loadRunbookLibrary } from '../../alerts/runbooks/library.ts';
import { checkRuleTestFile } from '../../alerts/rule-tests.ts';
import { SHIPPED_RUNBOOKS_DIR } from '../app.ts';
import type { Config } from '../config.ts';
import { runRuleTests } from '../alerts/rule-test-runner.ts';
import { fail } from './fail.ts';

const USAGE = 'usage: telltale rules test FILE.yaml…';

export async function rulesCommand(args: string[], config: () => Config): Promise<void> {
  const [verb, ...files] = args;
  if (verb !== 'test' || files.length === 0) fail(USAGE);
  const runbooks = loadRunbookLibrary({ shippedDir: SHIPPED_RUNBOOKS_DIR, teamDir: config().runbooksDir });
  let failed = 0;
  for (const path of files) {
    let doc: unknown;
    try {
      doc = parseYaml(await readFile(path, 'utf8'));
    } catch (err) {
      fail(`${path}: ${(err as Error).message.split('\n')[0]}`);
    }
    const checked = checkRuleTestFile(doc);
    if (!checked.ok) fail(`${path}:\n${checked.problems.map((p) => `  ${p}`).join('\n')}`);
    for (const result of await runRuleTests(checked.file, { baseDir: dirname(path), runbooks })) {
      if (result.failures.length === 0) {
        console.log(`ok    ${path}: ${result.name}`);
        continue;
      }
      failed += 1;
      console.log(`FAIL  ${path}: ${result.name}`);
      for (const line of result.failures) console.log(`        ${line}`);
    }
  }
  if (failed > 0) fail(`${failed} rule test${failed === 1 ? '' : 's'} failed`);
}
