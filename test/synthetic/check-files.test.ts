// Checks as code: the YAML shapes a file may take, every diagnostic with its file and line,
// ids unique across files, and an export that loads back unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checksToYaml, formatDiagnostic, parseCheckFiles } from '../../synthetic/index.ts';

const http = (id: string) => ({ id, name: id, type: 'http', schedule: '1m', request: { url: `https://${id}.example.com/health` } });

test('a list, a `checks:` mapping, one check, and several documents all load', () => {
  const result = parseCheckFiles([
    { file: 'list.yaml', text: '- id: a\n  name: A\n  type: http\n  schedule: 1m\n  request: { url: "https://a.example.com/" }\n' },
    { file: 'mapping.yaml', text: 'checks:\n  - id: b\n    name: B\n    type: tcp\n    schedule: 30s\n    host: db.internal\n    port: 5432\n' },
    { file: 'one.yml', text: 'id: c\nname: C\ntype: dns\nschedule: "*/5 * * * *"\ndomain: example.com\nrecordType: A\n---\n- id: d\n  name: D\n  type: tls\n  schedule: 1h\n  host: example.com\n' },
    { file: 'telltale.yaml', kind: 'config', text: 'sources: []\nchecks:\n  - id: e\n    name: E\n    type: http\n    schedule: 5m\n    request: { url: "https://e.example.com/" }\n' },
    { file: 'empty.yaml', text: '' },
  ]);
  assert.deepEqual(result.diagnostics, []);
  assert.deepEqual(result.checks.map((c) => [c.check.id, c.file, c.line]), [
    ['a', 'list.yaml', 1], ['b', 'mapping.yaml', 2], ['c', 'one.yml', 1], ['d', 'one.yml', 8], ['e', 'telltale.yaml', 3],
  ]);
});

test('every problem in every file is reported with its file, line and path', () => {
  const result = parseCheckFiles([
    { file: 'checks/api.yaml', text: [
      'checks:',
      '  - id: Bad_Id',
      '    name: bad',
      '    type: http',
      '    schedule: every minute',
      '    request:',
      '      url: ftp://example.com/',
      '      headers:',
      '        "bad header": x',
      '    assertions:',
      '      - kind: status',
      '        equals: 200',
      '        in: [200, 201]',
      '  - id: dup',
      '    name: first',
      '    type: tcp',
      '    schedule: 1m',
      '    host: example.com',
      '    port: 443',
      'extra: true',
    ].join('\n') },
    { file: 'checks/other.yaml', text: '- id: dup\n  name: second\n  type: tcp\n  schedule: 1m\n  host: example.com\n  port: 80\n- id: nothing\n' },
    { file: 'checks/broken.yaml', text: 'checks:\n  - id: x\n    name: [unclosed\n' },
  ]);
  assert.equal(result.ok, false);
  assert.deepEqual(result.checks, [], 'nothing loads while anything is wrong');
  const lines = result.diagnostics.map(formatDiagnostic);
  const expectLine = (pattern: RegExp) => assert.ok(lines.some((l) => pattern.test(l)), `${pattern} in\n${lines.join('\n')}`);
  expectLine(/^checks\/api\.yaml:20 \/extra: is not a known field/);
  expectLine(/^checks\/api\.yaml:2 \/checks\/0\/id: /);
  expectLine(/^checks\/api\.yaml:5 \/checks\/0\/schedule: not an interval/);
  expectLine(/^checks\/other\.yaml:1 \/0\/id: id "dup" is already defined at checks\/api\.yaml:14/);
  expectLine(/^checks\/other\.yaml:7 \/1\/type: is required/);
  expectLine(/^checks\/other\.yaml:7 \/1\/name: is required/);
  expectLine(/^checks\/broken\.yaml:\d+ \/: not valid YAML/);
});

test('semantic problems are found once the schema passes, at their line', () => {
  const result = parseCheckFiles([{ file: 'c.yaml', text: [
    '- id: ok-shape',
    '  name: n',
    '  type: http',
    '  schedule: 1m',
    '  request:',
    '    url: ftp://example.com/',
    '    headers:',
    '      "bad header": x',
    '  assertions:',
    '    - kind: status',
    '      equals: 200',
    '      in: [200, 201]',
  ].join('\n') }]);
  const lines = result.diagnostics.map(formatDiagnostic);
  assert.ok(lines.some((l) => /^c\.yaml:6 \/0\/request\/url: /.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^c\.yaml:8 \/0\/request\/headers\/bad header: /.test(l)), lines.join('\n'));
  assert.ok(lines.some((l) => /^c\.yaml:1[0-2] \/0\/assertions\/0/.test(l)), lines.join('\n'));
});

test('exported YAML loads back as the same checks', () => {
  const checks = [http('one'), { ...http('two'), request: { url: 'https://two.example.com/', headers: { authorization: '••••1234' } }, tags: ['a', 'b: c'], assertions: [{ kind: 'jsonPath', path: '$.ok', equals: true }] }];
  const yaml = checksToYaml(checks, 'Exported from Telltale\nat some time');
  assert.match(yaml, /^# Exported from Telltale\n# at some time\nchecks:/);
  const back = parseCheckFiles([{ file: 'export.yaml', text: yaml }]);
  assert.deepEqual(back.diagnostics, []);
  assert.deepEqual(back.checks.map((c) => c.check), checks);
});
