// A tiny YAML emitter for JSON values (objects, arrays, strings, numbers, booleans, null), so a
// check made in the dashboard can be pasted into a repository's checks folder. Strings that a
// YAML reader would take for something else (numbers, booleans, `key: value`, leading `-`…)
// are double-quoted; block style throughout, `{}`/`[]` for empty containers.

const PLAIN = /^[A-Za-z0-9_./$][A-Za-z0-9_ ./(){}$@=+-]*$/;
const RESERVED = /^(?:true|false|yes|no|on|off|null|~|y|n)$/i;
const NUMBERISH = /^[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$|^0x|^0o|^[-+]?\.(?:inf|nan)$/i;

/** A scalar as YAML text. */
export function yamlScalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  if (text !== '' && PLAIN.test(text) && !RESERVED.test(text) && !NUMBERISH.test(text) && !text.endsWith(' ')) return text;
  return JSON.stringify(text);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isContainer = (v: unknown) => (Array.isArray(v) && v.length > 0) || (isObject(v) && Object.keys(v).length > 0);
const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k));
const inline = (v: unknown) => (Array.isArray(v) ? '[]' : isObject(v) ? '{}' : yamlScalar(v));

function lines(value: unknown, indent: string): string[] {
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (!isContainer(item)) return [`${indent}- ${inline(item)}`];
      // The first line of a nested block sits after the dash, the rest align under it.
      const inner = lines(item, `${indent}  `);
      return Array.isArray(item) ? [`${indent}-`, ...inner] : [`${indent}- ${inner[0]!.trimStart()}`, ...inner.slice(1)];
    });
  }
  if (isObject(value)) {
    return Object.entries(value).filter(([, v]) => v !== undefined).flatMap(([k, v]) =>
      isContainer(v) ? [`${indent}${key(k)}:`, ...lines(v, `${indent}  `)] : [`${indent}${key(k)}: ${inline(v)}`]);
  }
  return [`${indent}${inline(value)}`];
}

/** A JSON value as a YAML document (ending in a newline). */
export function toYaml(value: unknown): string {
  return `${lines(value, '').join('\n')}\n`;
}
