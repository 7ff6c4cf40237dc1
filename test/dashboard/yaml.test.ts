// The dashboard's tiny YAML emitter: what it writes, read back by the `yaml` package the server
// loads checks with, is the value it was given; strings YAML would misread are quoted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { toYaml, yamlScalar } from '../../dashboard/src/lib/yaml.ts';

test('a check definition round-trips through the server’s YAML reader', () => {
  const check = {
    id: 'shop-health', name: 'Shop: health', type: 'http', schedule: '1m', retries: 2, enabled: true,
    request: { method: 'POST', url: 'https://shop.example/health?x=1&y=#z', headers: { 'X-Api-Key': '${SHOP_KEY}', Accept: 'application/json' }, json: { a: [1, { b: null }] } },
    assertions: [{ kind: 'status', equals: 200 }, { kind: 'status', range: [200, 299] }, { kind: 'latency', lessThan: 0.5 }, { kind: 'body', contains: '- ok: yes' }],
    tags: [], nested: [[1, 2], [], {}],
  };
  assert.deepEqual(parse(toYaml(check)), check);
});

test('strings a YAML reader would take for something else are quoted', () => {
  const tricky = ['yes', 'No', 'on', 'null', '~', '', '123', '1e3', '0x1f', '.5', '-1', ' lead', 'trail ', 'a: b', 'a #b', '- x', '[x]', '{x}', '*ref', '&a', '!tag', '%p', '@x', '`x', '"q"', "'q'", 'multi\nline', 'tab\there', 'é ü', '1m', '*/5 * * * *'];
  for (const s of tricky) assert.equal(parse(`v: ${yamlScalar(s)}`).v, s, `${JSON.stringify(s)} as ${yamlScalar(s)}`);
  assert.equal(yamlScalar('shop-health'), 'shop-health');
  assert.equal(yamlScalar('1m'), '1m');
  assert.equal(yamlScalar('yes'), '"yes"');
});

test('scalars, empty containers and keys that need quoting', () => {
  assert.equal(toYaml({ a: 1, b: false, c: null, d: [], e: {}, 'x y': 1, true: 2, undef: undefined }), 'a: 1\nb: false\nc: null\nd: []\ne: {}\n"x y": 1\n"true": 2\n');
  assert.equal(toYaml([{ a: 1, b: [2] }, 3]), '- a: 1\n  b:\n    - 2\n- 3\n');
  assert.deepEqual(parse(toYaml({ n: Number.NaN })), { n: null });
});
