// A deliberately small JSON path: `$.items[0].id`, `$['x-y']`, `data.items.0.id`. Only member
// and index steps — no wildcards, filters or scripts — so a path reads one value, predictably.

export type JsonPathSegment = string | number;

const MAX_PATH_LENGTH = 512;
const NAME = /^[^.[\]\s'"]+/;

/** Parses a path into segments, or says what is wrong with it. A leading `$` is optional. */
export function parseJsonPath(path: string): { ok: true; segments: JsonPathSegment[] } | { ok: false; error: string } {
  if (path.length > MAX_PATH_LENGTH) return { ok: false, error: `path is longer than ${MAX_PATH_LENGTH} characters` };
  let rest = path.startsWith('$') ? path.slice(1) : path.length > 0 && !/^[.[]/.test(path) ? `.${path}` : path;
  const segments: JsonPathSegment[] = [];
  while (rest.length > 0) {
    if (rest.startsWith('.')) {
      const name = NAME.exec(rest.slice(1));
      if (!name) return { ok: false, error: `expected a member name after "." in ${path}` };
      segments.push(name[0]);
      rest = rest.slice(1 + name[0].length);
      continue;
    }
    const index = /^\[(\d+)\]/.exec(rest);
    if (index) {
      segments.push(Number(index[1]));
      rest = rest.slice(index[0].length);
      continue;
    }
    const quoted = /^\[(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\]/.exec(rest);
    if (quoted) {
      segments.push((quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1'));
      rest = rest.slice(quoted[0].length);
      continue;
    }
    return { ok: false, error: `unexpected "${rest.slice(0, 20)}" in ${path}` };
  }
  return { ok: true, segments };
}

/** Reads the value at `segments`; a digit-only member name also indexes an array (`items.0`). */
export function readJsonPath(value: unknown, segments: readonly JsonPathSegment[]): { found: true; value: unknown } | { found: false } {
  let current: unknown = value;
  for (const segment of segments) {
    if (Array.isArray(current)) {
      const index = typeof segment === 'number' ? segment : /^\d+$/.test(segment) ? Number(segment) : -1;
      if (index < 0 || index >= current.length) return { found: false };
      current = current[index] as unknown;
    } else if (typeof current === 'object' && current !== null) {
      const key = String(segment);
      if (!Object.prototype.hasOwnProperty.call(current, key)) return { found: false };
      current = (current as Record<string, unknown>)[key];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

/** Parse and read in one step; a bad path reads as not found. */
export function queryJsonPath(value: unknown, path: string): { found: true; value: unknown } | { found: false } {
  const parsed = parseJsonPath(path);
  return parsed.ok ? readJsonPath(value, parsed.segments) : { found: false };
}
