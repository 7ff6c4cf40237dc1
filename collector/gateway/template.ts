// A line template: literal text with fields between, the shape of nginx `log_format` and Envoy's
// text format alike. Matching walks the line once, left to right, and records where each field
// starts and ends; turning ranges into values is left to the format, which only slices what it
// needs. No regular expression, so no backtracking: every step moves the cursor forward.

/** How the end of a field is found. */
export const Stop = {
  /** At the first occurrence of the literal that follows. */
  literal: 0,
  /** At the first `"` not escaped by a backslash (nginx writes `"` inside values as `\x22`). */
  quoted: 1,
  /** At the end of the line, trailing whitespace trimmed (the template's last field). */
  rest: 2,
  /** After a fixed number of characters (`$time_local` holds a space, so no literal can end it). */
  fixed: 3,
  /** After a list such as `0.010, 0.020` or `0.010 : 0.020` (nginx `$upstream_*`). */
  list: 4,
} as const;
/** One of the Stop values. */
export type StopKind = (typeof Stop)[keyof typeof Stop];

/** One field of a template. */
export interface TemplateField {
  /** Where its range is recorded; formats give each role a slot and park fields they ignore in slot 0. */
  slot: number;
  stop: StopKind;
  /** Stop.fixed only. */
  width: number;
  /** The literal text that must follow the field ('' for the last field). */
  after: string;
  /** The rejection reason when the field cannot be delimited (precomputed: failure allocates nothing). */
  reason: string;
}

/** A compiled template. */
export interface Template {
  prefix: string;
  fields: readonly TemplateField[];
  slotCount: number;
}

/** Field ranges of the last matched line: start -1 means the template has no such field. */
export class Slots {
  readonly start: Int32Array;
  readonly end: Int32Array;
  /** 1 when the field holds a backslash, so it needs decoding (rare; most fields are sliced as is). */
  readonly escaped: Uint8Array;

  constructor(count: number) {
    this.start = new Int32Array(count).fill(-1);
    this.end = new Int32Array(count);
    this.escaped = new Uint8Array(count);
  }
}

/** Builds a field, precomputing the reason given when the line does not fit. */
export function field(name: string, slot: number, stop: StopKind, after: string, width = 0): TemplateField {
  const reason = stop === Stop.quoted ? `${name}: no closing quote` : after === '' ? `${name}: missing` : `${name}: not followed by '${after}'`;
  return { slot, stop, width, after, reason };
}

function listEnd(line: string, pos: number): number {
  let i = pos;
  for (;;) {
    let c = line.charCodeAt(i);
    while (i < line.length && c > 0x20 && c !== 0x2c) c = line.charCodeAt(++i);
    if (line.startsWith(', ', i)) i += 2;
    else if (line.startsWith(' : ', i)) i += 3;
    else return i;
  }
}

/** Matches a line against a template, filling `slots`; null on success, else a short reason. */
export function matchTemplate(template: Template, line: string, slots: Slots): string | null {
  if (line.length === 0) return 'empty line';
  if (!line.startsWith(template.prefix)) return `line does not start with '${template.prefix}'`;
  let pos = template.prefix.length;
  let backslash = line.indexOf('\\', pos);
  const fields = template.fields;
  for (let f = 0; f < fields.length; f++) {
    const { slot, stop, after } = fields[f]!;
    let end: number;
    let escaped = 0;
    switch (stop) {
      case Stop.quoted:
        end = line.indexOf('"', pos);
        if (backslash !== -1 && backslash < (end === -1 ? line.length : end)) {
          escaped = 1;
          end = pos;
          for (let c = line.charCodeAt(end); end < line.length && c !== 0x22; c = line.charCodeAt(end)) end += c === 0x5c ? 2 : 1;
          if (end >= line.length) end = -1;
          else backslash = line.indexOf('\\', end);
        }
        break;
      case Stop.literal:
        end = line.indexOf(after, pos);
        break;
      case Stop.rest:
        end = line.length;
        while (end > pos && line.charCodeAt(end - 1) <= 0x20) end--;
        break;
      case Stop.fixed:
        end = pos + fields[f]!.width <= line.length ? pos + fields[f]!.width : -1;
        break;
      default:
        end = listEnd(line, pos);
    }
    // Stop.literal ends where `after` was found; the others still have to meet it.
    if (end === -1 || (stop !== Stop.literal && !line.startsWith(after, end))) return fields[f]!.reason;
    if (escaped === 0 && backslash !== -1 && backslash < end) escaped = 1;
    slots.start[slot] = pos;
    slots.end[slot] = end;
    slots.escaped[slot] = escaped;
    pos = end + after.length;
    if (backslash !== -1 && backslash < pos) backslash = line.indexOf('\\', pos);
  }
  return null;
}
