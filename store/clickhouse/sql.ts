// SQL text for ClickHouse. Debian's clickhouse-server 18.16 has no query parameters
// ({name:Type} arrived in 19.x), so values are written into the text as literals here and
// only here: strings quoted and escaped, numbers checked to be finite. Identifiers come from
// our own code or from the configuration's pattern (letters, digits, underscore).

/** A ClickHouse string literal: backslash and quote escaped, so any value stays data. */
export function str(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\0/g, '\\0')}'`;
}

/** A numeric literal; refuses NaN and infinities, which would otherwise turn into identifiers. */
export function num(value: number | bigint): string {
  if (typeof value === 'bigint') return value.toString();
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  return String(value);
}

/** A backquoted identifier; only names matching the configuration's pattern are accepted. */
export function ident(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new RangeError(`invalid ClickHouse identifier: ${name}`);
  return `\`${name}\``;
}

/** An AND-ed WHERE clause of literal fragments. */
export class Conditions {
  readonly #clauses: string[] = [];

  add(clause: string): this {
    this.#clauses.push(clause);
    return this;
  }

  /** Adds `column = 'value'` when the value is set; `column` must be a literal from our code. */
  equals(column: string, value: string | undefined): this {
    return value === undefined ? this : this.add(`${column} = ${str(value)}`);
  }

  toString(): string {
    return this.#clauses.length === 0 ? '1' : this.#clauses.join(' AND ');
  }
}

/**
 * Splits tuples for an `IN (…)` list into chunks that stay well under the server's
 * max_query_size (256 KiB by default), so a batch of any size checks its keys in a few queries.
 */
export function chunkLiterals(literals: readonly string[], maxBytes = 100_000): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const literal of literals) {
    if (current.length > 0 && size + literal.length + 2 > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(literal);
    size += literal.length + 2;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
