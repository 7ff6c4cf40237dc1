// Raw paths → low-cardinality route templates, for spans that carry no `http.route`. Every
// distinct route becomes a rollup row and a dashboard line, so a raw id left in a route is a
// cardinality leak; a real word wrongly replaced only merges two routes. The rules lean toward
// replacing.
//
// A segment becomes `{id}` when it is:
//   - all digits (`42`, `0`);
//   - a UUID (8-4-4-4-12 hex);
//   - hex of 8+ characters with at least one digit (hashes, object ids; `deadbeef` stays a word);
//   - an email address (`a@b.c`);
//   - or contains an alphanumeric run of 16+ characters mixing letters and digits (base62 and
//     base64url tokens, API keys; `oauth2-callback-handler` is split by `-` and stays);
//   - or contains a run of 3+ digits (`order-12345`, `2024-01-15`, `user123`, `file001.png`);
//   - or contains 3+ separate digit runs (`a1b2c3`, `1.2.3`).
// So short words with a digit or two stay: `v1`, `v10`, `2fa`, `oauth2`, `i18n`, `s3`, `ipv6`,
// `e2e`, `utf-8`, `md5`. The price: `sha256`, `x509` and `h264` become `{id}`.
// Segments that are already placeholders (`{id}`, `:id`, `<id>`, `*`) are kept, so templated
// span names pass through unchanged. Percent-encoding is not decoded.
// Everything is a single forward scan per segment, linear in the path, with no regular
// expressions to backtrack; work stops once the template passes MAX_ROUTE_LENGTH.

/** Longest route returned; longer templates are cut and end in `…`. */
export const MAX_ROUTE_LENGTH = 256;
/** What a high-cardinality segment is replaced with. */
export const ID_PLACEHOLDER = '{id}';

const SLASH = 47;

/** Turns a raw URL path into a route template such as `/users/{id}/orders`. */
export function routeTemplate(path: string): string {
  let end = path.length;
  const query = path.indexOf('?');
  if (query !== -1) end = query;
  const fragment = path.indexOf('#');
  if (fragment !== -1 && fragment < end) end = fragment;

  let out = '';
  let i = 0;
  while (i < end && out.length <= MAX_ROUTE_LENGTH) {
    while (i < end && path.charCodeAt(i) === SLASH) i++;
    if (i >= end) break;
    let j = i;
    while (j < end && path.charCodeAt(j) !== SLASH) j++;
    out += '/' + (isIdSegment(path, i, j) ? ID_PLACEHOLDER : path.slice(i, Math.min(j, i + MAX_ROUTE_LENGTH + 1)));
    i = j;
  }
  if (out === '') return '/';
  return out.length > MAX_ROUTE_LENGTH ? out.slice(0, MAX_ROUTE_LENGTH - 1) + '…' : out;
}

function isIdSegment(s: string, start: number, end: number): boolean {
  const length = end - start;
  const first = s.charCodeAt(start);
  const last = s.charCodeAt(end - 1);
  if ((first === 123 /* { */ && last === 125 /* } */) || (first === 60 /* < */ && last === 62 /* > */) || first === 58 /* : */) return false;

  let digits = 0;
  let digitRuns = 0;
  let digitRun = 0;
  let allHex = true;
  let at = -1;
  let dotAfterAt = false;
  // The current alphanumeric run: its length and whether it has letters and digits.
  let alnumRun = 0;
  let runLetters = false;
  let runDigits = false;
  let longMixedRun = false;

  for (let k = start; k < end; k++) {
    const c = s.charCodeAt(k);
    const isDigit = c >= 48 && c <= 57;
    const isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
    if (isDigit) {
      digits++;
      if (digitRun === 0) digitRuns++;
      digitRun++;
      if (digitRun >= 3) return true;
    } else {
      digitRun = 0;
    }
    if (!isDigit && !((c >= 65 && c <= 70) || (c >= 97 && c <= 102))) allHex = false;
    if (isDigit || isLetter) {
      alnumRun++;
      if (isDigit) runDigits = true;
      else runLetters = true;
      if (alnumRun >= 16 && runLetters && runDigits) longMixedRun = true;
    } else {
      alnumRun = 0;
      runLetters = false;
      runDigits = false;
    }
    if (c === 64 /* @ */ && at === -1) at = k;
    else if (c === 46 /* . */ && at !== -1 && k > at + 1) dotAfterAt = true;
  }

  if (at > start && dotAfterAt) return true;
  if (digits === 0) return false;
  if (digits === length) return true;
  if (allHex && length >= 8) return true;
  if (length === 36 && isUuid(s, start)) return true;
  return longMixedRun || digitRuns >= 3;
}

function isUuid(s: string, start: number): boolean {
  for (let k = 0; k < 36; k++) {
    const c = s.charCodeAt(start + k);
    if (k === 8 || k === 13 || k === 18 || k === 23) {
      if (c !== 45 /* - */) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102))) {
      return false;
    }
  }
  return true;
}
