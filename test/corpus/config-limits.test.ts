// The ingest limits added for issue 9 parse from the environment, with their documented defaults,
// and a bad value stops start with a line naming the variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../server/config.ts';

test('accepted window and memory watermark: defaults, parsing, and bad values', () => {
  const defaults = loadConfig({}, '/nonexistent');
  assert.equal(defaults.ingestMaxAgeMs, 7 * 86_400_000);
  assert.equal(defaults.ingestMaxFutureMs, 10 * 60_000);
  assert.equal(defaults.ingestMemoryMaxBytes, 0);
  const set = loadConfig({ TELLTALE_INGEST_MAX_AGE: '30d', TELLTALE_INGEST_MAX_FUTURE: '90s', TELLTALE_INGEST_MEMORY_MAX_MB: '512' }, '/nonexistent');
  assert.equal(set.ingestMaxAgeMs, 30 * 86_400_000);
  assert.equal(set.ingestMaxFutureMs, 90_000);
  assert.equal(set.ingestMemoryMaxBytes, 512 * 1024 * 1024);
  assert.throws(() => loadConfig({ TELLTALE_INGEST_MAX_AGE: 'forever' }, '/nonexistent'), (err: unknown) => err instanceof ConfigError && /TELLTALE_INGEST_MAX_AGE/.test(err.message));
  assert.throws(() => loadConfig({ TELLTALE_INGEST_MEMORY_MAX_MB: '-1' }, '/nonexistent'), (err: unknown) => err instanceof ConfigError && /TELLTALE_INGEST_MEMORY_MAX_MB/.test(err.message));
});
