// The README stays true: its configuration table is the schema's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { configTable } from '../server/config.ts';

test('the README configuration table matches the config schema', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  assert.ok(readme.includes(configTable()), 'regenerate the table with configTable() (server/config.ts)');
  assert.match(readme, /npm ci && npm start/);
  assert.match(readme, /npm ci && npm test/);
});
