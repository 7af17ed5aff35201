/**
 * A file replaced so that a crash at any instant leaves the old content or the new, never a torn
 * file: written to a temporary file in the same folder, fsync'd, renamed over the old one, and the
 * folder fsync'd so the rename itself is on disk.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

let sequence = 0;

/** Replaces `path` with `text` atomically and durably (temporary file, fsync, rename, fsync of the folder). */
export const writeFileAtomically = (path: string, text: string): void => {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${++sequence}.tmp`);
  try {
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  const directory = openSync(folder, 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
};

