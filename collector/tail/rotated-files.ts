// Opening the file at a path, and finding a file a tailer was reading after it moved away from
// that path: logrotate renames it to `path.1` (or `path-YYYYMMDD` with dateext), or copies it
// there and truncates the original (copytruncate).
import { open, readdir, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { readFingerprint, type TailPosition } from './position.ts';

/** An open file with what identifies it on disk. */
export interface OpenFile {
  handle: FileHandle;
  path: string;
  dev: bigint;
  ino: bigint;
  size: number;
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR';

/** Opens a file for reading; null when it does not exist (yet). */
export async function openFile(path: string): Promise<OpenFile | null> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
  try {
    const stats = await handle.stat({ bigint: true });
    return { handle, path, dev: stats.dev, ino: stats.ino, size: Number(stats.size) };
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** What identifies the file at a path now; null when there is none. */
export async function statOrNull(path: string): Promise<{ dev: bigint; ino: bigint } | null> {
  try {
    return await stat(path, { bigint: true });
  } catch (err) {
    if (isMissing(err)) return null;
    throw err;
  }
}

/** Rotated names of `path`, most likely first: `path.1`, then dated ones, newest first. */
export async function rotatedNames(path: string): Promise<string[]> {
  const dir = dirname(path);
  const base = basename(path);
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (err) {
    if (isMissing(err)) return [];
    throw err;
  }
  const dated = entries.filter((name) => name.startsWith(base) && /^[-.]\d{8,10}$/.test(name.slice(base.length))).sort().reverse();
  return [...(entries.includes(`${base}.1`) ? [`${base}.1`] : []), ...dated].map((name) => join(dir, name));
}

/**
 * The file a saved position points to, looked for under the rotated names of `path`: one that
 * starts with the same first line and holds at least `offset` bytes. A renamed file keeps its
 * inode; a copytruncate copy has a new one but the same bytes, so the content decides. Without
 * a fingerprint (the first line was never complete) only the inode can.
 */
export async function findRotated(path: string, saved: TailPosition): Promise<OpenFile | null> {
  for (const candidate of await rotatedNames(path)) {
    const file = await openFile(candidate);
    if (!file) continue;
    const matches = file.size >= saved.offset
      && (saved.fingerprint === '' ? String(file.ino) === saved.ino : (await readFingerprint(file.handle)) === saved.fingerprint);
    if (matches) return file;
    await file.handle.close();
  }
  return null;
}
