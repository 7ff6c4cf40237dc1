// Sealing secrets: the key (variable or key file), what counts as a secret, values bound to
// their place, and a lost key that degrades to "unknown" instead of breaking the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, SecretKeyError } from '../../server/secrets/secret-box.ts';
import { isSecretName, mask, maskSecrets, openSecrets, resolveMasks, sealSecrets } from '../../server/checks/seal.ts';

const check = {
  id: 'c', name: 'c', type: 'http', schedule: '1m',
  request: { url: 'https://example.com/', headers: { Authorization: 'Bearer abcdefgh12345678', Accept: 'application/json' } },
};

test('names that look secret, and masks that show at most the last four characters of long values', () => {
  for (const name of ['authorization', 'Proxy-Authorization', 'cookie', 'x-api-key', 'X-Auth-Token', 'client_secret', 'password', 'x-session-id']) assert.ok(isSecretName(name), name);
  for (const name of ['accept', 'content-type', 'x-request-id', 'user-agent', 'base']) assert.ok(!isSecretName(name), name);
  assert.equal(mask('Bearer abcdefgh12345678'), '••••5678');
  assert.equal(mask('short-pass'), '••••');
  assert.equal(mask('••••5678'), '••••5678');
});

test('the key file is created once with mode 0600 and read back; TELLTALE_SECRET_KEY overrides it', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-secret-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const first = new SecretBox({ dataDir: dir });
  const sealed = first.seal('s3cret-value', 'c\u0000request/headers/authorization');
  assert.match(sealed, /^enc:v1:/);
  assert.equal((await stat(join(dir, 'secret.key'))).mode & 0o777, 0o600);
  assert.equal(Buffer.from((await readFile(join(dir, 'secret.key'), 'utf8')).trim(), 'base64').length, 32);
  assert.equal(new SecretBox({ dataDir: dir }).open(sealed, 'c\u0000request/headers/authorization'), 's3cret-value', 'a restart reads the same key');
  assert.throws(() => first.open(sealed, 'other\u0000request/headers/authorization'), SecretKeyError, 'bound to its check and place');
  const raw = Buffer.from(sealed.slice('enc:v1:'.length), 'base64url');
  raw[raw.length - 1]! ^= 1;
  const tampered = `enc:v1:${raw.toString('base64url')}`;
  assert.throws(() => first.open(tampered, 'c\u0000request/headers/authorization'), SecretKeyError);
  const fromEnv = new SecretBox({ key: randomBytes(32).toString('base64'), dataDir: dir });
  assert.throws(() => fromEnv.open(sealed, 'c\u0000request/headers/authorization'), /does not open with this key/);
  assert.equal(first.open('not sealed', 'x'), 'not sealed');
});

test('definitions: sealed for storage, opened to run, masked to show; a lost key reads as unknown', () => {
  const box = new SecretBox({ key: randomBytes(32).toString('base64') });
  const sealed = sealSecrets(box, 'c', check);
  assert.match(sealed.request.headers.Authorization, /^enc:v1:/);
  assert.equal(sealed.request.headers.Accept, 'application/json');
  assert.deepEqual(openSecrets(box, 'c', sealed), check);
  assert.equal(maskSecrets(box, 'c', sealed).request.headers.Authorization, '••••5678');
  assert.deepEqual(check.request.headers.Authorization, 'Bearer abcdefgh12345678', 'the input is not modified');

  const shown = maskSecrets(box, 'c', sealed);
  const back = resolveMasks(box, 'c', { ...shown, request: { ...shown.request, headers: { authorization: '••••5678' } } }, sealed);
  assert.ok(back.ok);
  assert.equal((back.definition as { request: { headers: Record<string, string> } }).request.headers.authorization, 'Bearer abcdefgh12345678', 'header names match whatever their case');

  const lostKey = new SecretBox({ key: randomBytes(32).toString('base64') });
  assert.equal(maskSecrets(lostKey, 'c', sealed).request.headers.Authorization, '••••');
  const refused = resolveMasks(lostKey, 'c', shown, sealed);
  assert.deepEqual(refused.ok ? [] : refused.diagnostics.map((d) => d.path), ['/request/headers/Authorization']);
});
