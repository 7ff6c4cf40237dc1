// Small runtime guards for API responses. A guard returns the value typed, or throws a
// ShapeError naming the path that did not match, so a server/dashboard mismatch shows up as
// one clear message instead of `undefined` deep in a table.

export class ShapeError extends Error {
  constructor(readonly path: string, expected: string, value: unknown) {
    super(`${path || 'response'}: expected ${expected}, got ${describe(value)}`);
    this.name = 'ShapeError';
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

export type Guard<T> = (value: unknown, path: string) => T;
export type Infer<G> = G extends Guard<infer T> ? T : never;

export const str: Guard<string> = (v, path) => {
  if (typeof v !== 'string') throw new ShapeError(path, 'a string', v);
  return v;
};

export const num: Guard<number> = (v, path) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ShapeError(path, 'a number', v);
  return v;
};

export const bool: Guard<boolean> = (v, path) => {
  if (typeof v !== 'boolean') throw new ShapeError(path, 'a boolean', v);
  return v;
};

/** Any JSON value (span attributes are free-form). */
export const unknownValue: Guard<unknown> = (v) => v;

export function nullable<T>(guard: Guard<T>): Guard<T | null> {
  return (v, path) => (v === null ? null : guard(v, path));
}

export function arrayOf<T>(guard: Guard<T>): Guard<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) throw new ShapeError(path, 'an array', v);
    return v.map((item, i) => guard(item, `${path}[${i}]`));
  };
}

export function recordOf<T>(guard: Guard<T>): Guard<Record<string, T>> {
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ShapeError(path, 'an object', v);
    const out: Record<string, T> = {};
    for (const [key, item] of Object.entries(v)) out[key] = guard(item, `${path}.${key}`);
    return out;
  };
}

type Shape = Record<string, Guard<unknown>>;
type ObjectOf<S extends Shape> = { [K in keyof S]: Infer<S[K]> };

/** An object with at least these fields; extra fields the server adds later are dropped. */
export function objectOf<S extends Shape>(shape: S): Guard<ObjectOf<S>> {
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ShapeError(path, 'an object', v);
    const source = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const [key, guard] of Object.entries(shape)) out[key] = guard(source[key], path ? `${path}.${key}` : key);
    return out as ObjectOf<S>;
  };
}
