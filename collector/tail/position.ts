// Where a tailer is in which file, as the string saved beside the rows it read. A file is
// known by its inode plus a fingerprint of its first line, so a restart can tell "the same
// file, grown" from "a new file at the same path" (rotation, copytruncate, inode reuse).
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** Bytes of a file's start that its fingerprint covers at most. */
export const FINGERPRINT_BYTES = 1024;

/** Which file a tailer reads: the identity its ids and saved positions name. */
export interface FileIdentity {
  /** Decimal inode number (exact: inodes can exceed 2^53). */
  ino: string;
  /** Hex digest of the file's first line (at most FINGERPRINT_BYTES); empty while that line is incomplete. */
  fingerprint: string;
}

export interface TailPosition extends FileIdentity {
  /** Byte offset just after the last line whose rows are committed. */
  offset: number;
}

const VERSION = 'v1';

/** `v1:<inode>:<fingerprint>:<offset>`. The device number is left out on purpose: overlay and network filesystems renumber devices across remounts, while inode plus first line stay put. */
export function encodePosition(position: TailPosition): string {
  return `${VERSION}:${position.ino}:${position.fingerprint}:${position.offset}`;
}

/** The position a string encodes, or null when it is not one of ours. */
export function decodePosition(text: string): TailPosition | null {
  const match = /^v1:(\d+):([0-9a-f]*):(\d+)$/.exec(text);
  if (!match) return null;
  const offset = Number(match[3]);
  if (!Number.isSafeInteger(offset)) return null;
  return { ino: match[1]!, fingerprint: match[2]!, offset };
}

/** The part of a call id naming the file: stable for the same bytes however often they are read. */
export function identityKey(identity: FileIdentity): string {
  return `${identity.ino}.${identity.fingerprint}`;
}

/**
 * The fingerprint of the bytes a file starts with: its first line, or its first
 * FINGERPRINT_BYTES when that line is longer. Only complete content counts, so the value never
 * changes as the file grows: it is fixed by the time the first line can be read, which is when
 * ids first need it. Empty while the first line is still being written.
 */
export function fingerprintOf(head: Buffer): string {
  const newline = head.indexOf(10);
  let covered: Buffer;
  if (newline !== -1 && newline < FINGERPRINT_BYTES) covered = head.subarray(0, newline + 1);
  else if (head.length >= FINGERPRINT_BYTES) covered = head.subarray(0, FINGERPRINT_BYTES);
  else return '';
  // 64 bits: ids carry it on every row, and it only has to tell apart files at one path.
  return createHash('sha256').update(covered).digest('hex').slice(0, 16);
}

/** Reads the start of an open file and fingerprints it. */
export async function readFingerprint(file: FileHandle): Promise<string> {
  const head = Buffer.alloc(FINGERPRINT_BYTES);
  let filled = 0;
  // A short read is possible on some filesystems even before EOF; keep reading until EOF or full.
  while (filled < FINGERPRINT_BYTES) {
    const { bytesRead } = await file.read(head, filled, FINGERPRINT_BYTES - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return fingerprintOf(head.subarray(0, filled));
}
