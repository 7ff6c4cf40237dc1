import { test } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, redactAttributes } from '../../collector/redact.ts';

test('secret-looking attributes are redacted; ordinary ones are kept', () => {
  const attributes = {
    'http.request.header.authorization': ['Bearer abc'], 'http.request.header.cookie': ['s=1'],
    'http.request.header.x-api-key': ['k-123'], 'db.password': 'hunter2', 'app.session_token': 'tok',
    'http.request.method': 'GET', 'http.route': '/users/{id}', 'enduser.id': 'u-9', 'tokenizer.name': 'bpe',
  };
  assert.equal(redactAttributes(attributes), 5);
  assert.deepEqual(attributes, {
    'http.request.header.authorization': REDACTED, 'http.request.header.cookie': REDACTED,
    'http.request.header.x-api-key': REDACTED, 'db.password': REDACTED, 'app.session_token': REDACTED,
    'http.request.method': 'GET', 'http.route': '/users/{id}', 'enduser.id': 'u-9', 'tokenizer.name': 'bpe',
  });
});

test('URLs lose credentials and signature values, and keep everything else', () => {
  const attributes = {
    'url.full': 'https://alice:s3cret@api.example.com/v1/files/7?X-Amz-Signature=abcd&X-Amz-Date=20261126&part=2#frag',
    'http.url': 'http://cdn.example.com/a.png?sig=zzz&w=100',
    'url.query': 'access_token=xyz&page=3',
    'http.target': '/search?q=shoes&api_key=k1',
  };
  redactAttributes(attributes);
  assert.deepEqual(attributes, {
    'url.full': `https://${REDACTED}@api.example.com/v1/files/7?X-Amz-Signature=${REDACTED}&X-Amz-Date=20261126&part=2#frag`,
    'http.url': `http://cdn.example.com/a.png?sig=${REDACTED}&w=100`,
    'url.query': `access_token=${REDACTED}&page=3`,
    'http.target': `/search?q=shoes&api_key=${REDACTED}`,
  });
  const plain = { 'url.full': 'https://example.com/ok?x=1' };
  assert.equal(redactAttributes(plain), 0);
});
