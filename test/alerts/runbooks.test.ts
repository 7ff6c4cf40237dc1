// The runbook library: the shipped runbooks load and cover every rule kind, a team folder
// replaces shipped runbooks by id, every problem across files is reported in one error, and
// hostile Markdown renders with nothing live in it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { RULE_KINDS } from '../../alerts/notification.ts';
import { MAX_RUNBOOK_BYTES, RunbookLibraryError, loadRunbookLibrary } from '../../alerts/runbooks/library.ts';
import { isSafeLink, renderRunbookMarkdown } from '../../alerts/runbooks/markdown.ts';
import { SHIPPED_RUNBOOKS_DIR } from '../../server/app.ts';

const SHIPPED_IDS = ['certificate-expiring', 'check-failing', 'high-error-rate', 'high-latency', 'no-data', 'slo-burn'];

async function folder(t: TestContext, files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'telltale-runbooks-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}

const runbook = (front: string, body = '## First steps\n\n1. Look.\n2. Act.\n') => `---\n${front}\n---\n\n${body}`;

function loadError(fn: () => unknown): RunbookLibraryError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RunbookLibraryError, String(err));
    return err;
  }
  assert.fail('expected the library to refuse to load');
}

test('every shipped runbook loads with an owner, a severity and at least five first steps', () => {
  const library = loadRunbookLibrary({ shippedDir: SHIPPED_RUNBOOKS_DIR, teamDir: null });
  assert.deepEqual(library.list().map((r) => r.id), SHIPPED_IDS);
  for (const r of library.list()) {
    assert.equal(r.origin, 'shipped');
    assert.ok(r.title.length > 0, r.id);
    assert.match(r.owner ?? '', /^[a-z-]+$/, `${r.id} names a team to escalate to`);
    assert.ok(r.severity === 'page' || r.severity === 'ticket', `${r.id} severity ${r.severity}`);
    assert.equal(r.firstSteps.length, 5, `${r.id} has 5 first steps for the email`);
    for (const step of r.firstSteps) {
      assert.ok(step.length > 20 && !/[\n*`[\]]/.test(step), `${r.id}: a first step is one line of plain text: ${step}`);
    }
    // Written for a 3 a.m. reader: where to look, what to run, why, what to do, whom to call, what to write.
    for (const section of ['First steps', 'Where to look in Telltale', 'Queries', 'Common causes', 'Mitigate', 'Escalate', 'Write in the incident']) {
      assert.match(r.markdown, new RegExp(`^## ${section}$`, 'm'), `${r.id} has a "${section}" section`);
    }
    assert.match(r.markdown, /\$TT\/api\/v1\//, `${r.id} shows API queries`);
    assert.match(r.html, /<h2 id="rb-first-steps">First steps<\/h2>/);
    assert.ok(!r.markdown.startsWith('---'), 'front matter is removed from the body');
  }
  assert.ok(library.get('certificate-expiring')?.appliesTo.includes('tls'));
  assert.equal(library.get('nope'), undefined);
});

test('every rule kind has a default runbook, and it is the one written for that kind', () => {
  const library = loadRunbookLibrary({ shippedDir: SHIPPED_RUNBOOKS_DIR, teamDir: null });
  const expected = { error_rate: 'high-error-rate', latency: 'high-latency', check_failing: 'check-failing', slo_burn: 'slo-burn', no_data: 'no-data' };
  for (const kind of RULE_KINDS) assert.equal(library.defaultFor(kind)?.id, expected[kind], kind);
});

test('a team runbook replaces the shipped one with its id, and adds its own beside them', async (t) => {
  const team = await folder(t, {
    'errors.md': runbook('id: high-error-rate\ntitle: Checkout errors, our way\nowner: checkout-team\napplies_to: [error_rate]'),
    'payments.md': runbook('id: payments-down\ntitle: Payments down\nowner: payments\nseverity: page\napplies_to: [error_rate, latency]'),
    'notes.txt': 'not a runbook: ignored',
  });
  const library = loadRunbookLibrary({ shippedDir: SHIPPED_RUNBOOKS_DIR, teamDir: team });
  assert.deepEqual(library.list().map((r) => `${r.id}:${r.origin}`), [
    'certificate-expiring:shipped', 'check-failing:shipped', 'high-error-rate:team', 'high-latency:shipped', 'no-data:shipped', 'payments-down:team', 'slo-burn:shipped',
  ]);
  const replaced = library.get('high-error-rate');
  assert.equal(replaced?.title, 'Checkout errors, our way');
  assert.equal(replaced?.owner, 'checkout-team');
  assert.equal(replaced?.severity, null);
  assert.deepEqual(replaced?.firstSteps, ['Look.', 'Act.']);
  // The replacement is the default of its kind; a new team runbook does not take a kind from a shipped one.
  assert.equal(library.defaultFor('error_rate')?.id, 'high-error-rate');
  assert.equal(library.defaultFor('error_rate')?.origin, 'team');
  assert.equal(library.defaultFor('latency')?.id, 'high-latency');
});

test('a team runbook is the default of a kind no shipped runbook applies to any more', async (t) => {
  const team = await folder(t, {
    'a.md': runbook('id: high-latency\ntitle: Latency (retired)\napplies_to: []'),
    'b.md': runbook('id: z-latency\ntitle: Our latency runbook\napplies_to: [latency]'),
    'c.md': runbook('id: y-latency\ntitle: Another latency runbook\napplies_to: [latency]'),
  });
  const library = loadRunbookLibrary({ shippedDir: SHIPPED_RUNBOOKS_DIR, teamDir: team });
  // Deterministic: team-only runbooks by id.
  assert.equal(library.defaultFor('latency')?.id, 'y-latency');
});

test('every problem across files is reported in one error naming the file and the reason', async (t) => {
  const team = await folder(t, {
    '01-bad-yaml.md': '---\nid: [unclosed\ntitle: x\n---\nbody\n',
    '02-no-title.md': runbook('id: no-title\nowner: platform'),
    '03-dup-a.md': runbook('id: twice\ntitle: First'),
    '04-dup-b.md': runbook('id: twice\ntitle: Second'),
    '05-big.md': runbook('id: big\ntitle: Big', `${'x'.repeat(MAX_RUNBOOK_BYTES)}\n`),
    '06-bad-id.md': runbook('id: Bad_ID\ntitle: Bad id'),
    '07-no-front.md': '# Just Markdown\n\n1. step\n',
    '08-unknown-key.md': runbook('id: typo\ntitle: Typo\napplies-to: [latency]'),
    '09-not-closed.md': '---\nid: open\ntitle: Open\n',
    '10-list.md': '---\n- id\n- title\n---\n',
    '11-types.md': runbook('id: types\ntitle: 42\napplies_to: error_rate'),
    '12-good.md': runbook('id: good\ntitle: Good'),
  });
  const error = loadError(() => loadRunbookLibrary({ shippedDir: SHIPPED_RUNBOOKS_DIR, teamDir: team }));
  const line = (file: string, reason: RegExp) => {
    const found = error.problems.find((p) => p.startsWith(join(team, file)) && reason.test(p));
    assert.ok(found, `no problem for ${file} matching ${reason}:\n${error.problems.join('\n')}`);
    assert.ok(error.message.includes(found), 'the message lists every problem');
  };
  line('01-bad-yaml.md', /not valid YAML/);
  line('02-no-title.md', /has no title/);
  line('04-dup-b.md', /duplicate id "twice" \(also in .*03-dup-a\.md\)/);
  line('05-big.md', /larger than the 256 KB/);
  line('06-bad-id.md', /id "Bad_ID" must be lowercase letters, digits and dashes/);
  line('07-no-front.md', /no front matter/);
  line('08-unknown-key.md', /unknown front matter key "applies-to"/);
  line('09-not-closed.md', /not closed/);
  line('10-list.md', /must be a YAML mapping/);
  line('11-types.md', /title: Expected string/);
  line('11-types.md', /applies_to: Expected array/);
  assert.ok(!error.problems.some((p) => p.includes('12-good.md') || p.includes('03-dup-a.md:')), error.problems.join('\n'));
  assert.equal(error.problems.length, 11, error.problems.join('\n'));
  assert.match(error.message, /^11 runbook problems are in the way:\n/);
});

test('a missing folder is a problem too, reported with the rest', async (t) => {
  const shipped = await folder(t, { 'x.md': runbook('id: x') });
  const error = loadError(() => loadRunbookLibrary({ shippedDir: shipped, teamDir: join(shipped, 'missing') }));
  assert.equal(error.problems.length, 2, error.problems.join('\n'));
  assert.match(error.problems[0] ?? '', /x\.md: front matter has no title/);
  assert.match(error.problems[1] ?? '', /missing: cannot read the team runbooks folder \(ENOENT\)/);
});

test('hostile Markdown renders with no script, no event handler and no javascript: or data: link', async (t) => {
  const body = [
    '## First steps', '',
    '1. <script>window.pwned = 1</script> first',
    '2. <img src=x onerror="window.pwned = 2"> second',
    '3. [x](javascript:alert(1)) and [y](data:text/html,<script>alert(1)</script>)',
    '4. [z](JaVaScRiPt:alert(1)) [t](java\tscript:alert(1)) [e](&#106;avascript:alert(1)) [p](javascript%3Aalert(1))',
    '5. <javascript:alert(1)> ![i](javascript:alert(1)) ![d](data:image/png;base64,AAAA) [v](vbscript:msgbox(1))',
    '6. [ok](https://example.com/a) [mail](mailto:oncall@example.com) [rel](/runbooks/high-latency) [frag](#first-steps)',
    '', '[ref]: javascript:alert(1)', '', 'A [reference][ref] link.', '',
    '<a href="javascript:alert(1)">raw</a> <svg onload=alert(1)> <iframe src="https://evil.example"></iframe>',
    '', '## <b onmouseover=alert(1)>Heading</b>', '',
  ].join('\n');
  const team = await folder(t, { 'evil.md': runbook('id: evil\ntitle: "<script>alert(1)</script>"', body) });
  const library = loadRunbookLibrary({ shippedDir: SHIPPED_RUNBOOKS_DIR, teamDir: team });
  const evil = library.get('evil');
  assert.ok(evil);
  const { html } = evil;
  const tags = [...html.matchAll(/<([a-z0-9]+)([^>]*)>/gi)].map((m) => ({ name: (m[1] ?? '').toLowerCase(), attrs: m[2] ?? '' }));
  const allowed = new Set(['h2', 'ol', 'li', 'p', 'a', 'code', 'strong', 'em', 'img', 'ul']);
  for (const tag of tags) {
    assert.ok(allowed.has(tag.name), `unexpected tag <${tag.name}>`);
    assert.ok(!/\son[a-z]+\s*=/i.test(tag.attrs), `event handler in <${tag.name}${tag.attrs}>`);
    for (const [, attr, value] of tag.attrs.matchAll(/\s([a-z]+)="([^"]*)"/gi)) {
      if (attr === 'href' || attr === 'src') assert.ok(isSafeLink(value ?? ''), `unsafe ${attr} ${value}`);
    }
  }
  assert.deepEqual(tags.filter((t) => t.name === 'a').map((t) => /href="([^"]*)"/.exec(t.attrs)?.[1]), [
    'https://example.com/a', 'mailto:oncall@example.com', '/runbooks/high-latency', '#rb-first-steps',
  ]);
  assert.ok(!tags.some((t) => t.name === 'img'), 'no image with a javascript: or data: source');
  assert.ok(!/<script|<svg|<iframe|javascript:[^<]*"|href="data:/i.test(html.replace(/&lt;[^&]*&gt;/g, '')));
  // The text is kept, escaped: the reader sees what the author wrote.
  assert.match(html, /&lt;script&gt;window\.pwned = 1&lt;\/script&gt; first/);
  assert.match(html, /&lt;img src=x onerror=&quot;window\.pwned = 2&quot;&gt;/);
  assert.match(html, /\[x\]\(javascript:alert\(1\)\)/);
  assert.match(html, /<h2 id="rb-b-onmouseover-alert-1-heading-b">&lt;b onmouseover=alert\(1\)&gt;Heading&lt;\/b&gt;<\/h2>/);
  // The title is data, never markup: it is not rendered here, and the API and email escape it.
  assert.equal(evil.title, '<script>alert(1)</script>');
  assert.equal(evil.firstSteps[0], '<script>window.pwned = 1</script> first');
});

test('links: only http, https, mailto and relative targets', () => {
  for (const url of ['https://a.example/x', 'http://a.example', 'mailto:a@b.example', '/runbooks/x', 'x.md', '../x', '?q=1', '#part', '//cdn.example/x']) {
    assert.equal(isSafeLink(url), true, url);
  }
  for (const url of ['javascript:alert(1)', ' JAVASCRIPT:x', 'java\nscript:x', 'java\u0000script:x', 'javascript%3Ax', 'data:text/html,x', 'data:image/png;base64,AA', 'vbscript:x', 'file:///etc/passwd', 'ftp://x', 'foo:bar', '%zz']) {
    assert.equal(isSafeLink(url), false, JSON.stringify(url));
  }
});

test('first steps: the first ordered list only, markup stripped, nested lists left out, at most five', () => {
  const { firstSteps, html } = renderRunbookMarkdown([
    'Intro with a bullet list:', '', '- not a step', '',
    '## First steps', '',
    '1. Open **the route view** at `/routes` and',
    '   read the [chart](https://example.com).',
    '   - a detail that is not a step',
    '2. Second', '3. Third', '4. Fourth', '5. Fifth', '6. Sixth', '',
    '## First steps', '', '1. Another list',
  ].join('\n'));
  assert.deepEqual(firstSteps, ['Open the route view at /routes and read the chart.', 'Second', 'Third', 'Fourth', 'Fifth']);
  // Repeated headings get distinct ids, so in-page links stay unambiguous.
  assert.match(html, /id="rb-first-steps"[\s\S]*id="rb-first-steps-2"/);
  assert.deepEqual(renderRunbookMarkdown('No list here.').firstSteps, []);
});
