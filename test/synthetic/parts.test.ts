// The pure parts under the runner: the bounded regex rules and engine, the small JSON path, and
// template parsing and rendering.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundedExec, regexProblem, REGEX_LIMITS } from '../../synthetic/bounded-regex.ts';
import { parseJsonPath, queryJsonPath } from '../../synthetic/json-path.ts';
import { renderJsonTemplate, renderTemplate, templateRefs, type StepOutput, type TemplateScope } from '../../synthetic/template.ts';

test('bounded regex: exponential shapes, backreferences and lookaround are refused; ordinary patterns pass', () => {
  for (const ok of ['^req-\\d+$', 'token=([A-Za-z0-9._-]+)', '(ab|cd)', '(?:abc)+', '[a-z]+@[a-z]+\\.com', '(\\d{4})-(\\d{2})', 'a{2,5}', '(?<id>\\d+)', '[(+*]', '(ab)?c+']) {
    assert.equal(regexProblem(ok), null, ok);
  }
  const refused: Array<[string, RegExp]> = [
    ['(a+)+$', /nested quantifiers/], ['(\\d*x)*', /nested quantifiers/], ['((ab)*c)+', /nested quantifiers/], ['(a|aa)+', /repeated alternation/],
    ['(x+x+)+y', /nested quantifiers/], ['(\\w+)\\1', /backreferences/], ['(?<n>a)\\k<n>', /backreferences/], ['a(?=b)', /lookahead/],
    ['(?<!a)b', /lookahead and lookbehind/], ['a{1,5000}', /repeat counts/], ['(', /invalid/], ['x'.repeat(300), /longer than/],
  ];
  for (const [pattern, why] of refused) assert.match(regexProblem(pattern) ?? 'accepted', why, pattern);
});

test('bounded regex engine: a runaway match is stopped by the time limit; input is capped', () => {
  // Built directly, past the static rules, to prove the time limit holds on its own.
  const started = performance.now();
  const runaway = boundedExec(/^(a+)+$/, `${'a'.repeat(40)}!`);
  assert.equal(runaway.ok, false);
  assert.ok(performance.now() - started < REGEX_LIMITS.matchTimeoutMs * 10);
  const tail = boundedExec(/needle/, `${'x'.repeat(REGEX_LIMITS.maxInputChars)}needle`);
  assert.deepEqual(tail, { ok: true, match: null }, 'text past the cap is not searched');
  const found = boundedExec(/id=(\d+)/, 'a id=42 b');
  assert.ok(found.ok && found.match?.[1] === '42');
});

test('json path: members, indexes, quoted names, digit members on arrays', () => {
  const doc = { a: { 'b-c': [10, { d: 'x' }] }, 'x y': 1 };
  assert.deepEqual(queryJsonPath(doc, "$.a['b-c'][1].d"), { found: true, value: 'x' });
  assert.deepEqual(queryJsonPath(doc, 'a.b-c.0'), { found: true, value: 10 });
  assert.deepEqual(queryJsonPath(doc, '$["x y"]'), { found: true, value: 1 });
  assert.deepEqual(queryJsonPath(doc, '$'), { found: true, value: doc });
  assert.deepEqual(queryJsonPath(doc, '$.a.missing'), { found: false });
  assert.deepEqual(queryJsonPath(doc, '$.a.b-c[5]'), { found: false });
  assert.deepEqual(queryJsonPath({ constructor: 1 }, '$.toString'), { found: false }, 'own properties only');
  assert.equal(parseJsonPath('$.a[*]').ok, false);
  assert.equal(parseJsonPath('$..a').ok, false);
});

test('templates: references parse, render with their values, and a missing value is an error', () => {
  const login: StepOutput = {
    statusCode: 200, headers: { 'x-token': 'h-1' }, bodyText: '{"token":"t-9","user":{"id":7}}',
    json: () => ({ ok: true, value: { token: 't-9', user: { id: 7 } } }),
  };
  const scope: TemplateScope = { steps: new Map([['login', login]]), vars: new Map([['base', 'https://x.test']]) };
  assert.deepEqual(renderTemplate('{{vars.base}}/u/{{ steps.login.json.user.id }}?t={{ steps.login.headers.X-Token }}&s={{ steps.login.status }}', scope),
    { ok: true, value: 'https://x.test/u/7?t=h-1&s=200' });
  assert.deepEqual(renderTemplate('{{ steps.login.json.user }}', scope), { ok: true, value: '{"id":7}' });
  assert.deepEqual(renderJsonTemplate({ id: '{{ steps.login.json.user.id }}', label: 'user {{ steps.login.json.user.id }}', list: ['{{ vars.base }}'] }, scope),
    { ok: true, value: { id: 7, label: 'user 7', list: ['https://x.test'] } });
  const missing = renderTemplate('{{ steps.signup.json.id }}', scope);
  assert.equal(missing.ok, false);
  assert.match(missing.ok ? '' : missing.error, /step "signup" has not run/);
  assert.match(renderTemplate('{{ vars.nope }}', scope).ok ? '' : 'error', /error/);
  const refs = templateRefs('{{ steps.a.json.x }} {{ vars.y }} {{ nonsense }} {{ steps.a.status.more }}');
  assert.equal(refs.errors.length, 2);
  assert.match(templateRefs('{{ vars.a ').errors[0] ?? '', /unclosed/);
});
