// Files the CLI writes: checked before any search (a bad path is bad input,
// found before minutes of work), then written to a temporary name beside the
// target and renamed over it, so a run that is interrupted or fails never
// leaves a half-written file. "-" is stdout.
import { accessSync, constants, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Why `path` cannot be written, or null when it can (as far as can be known before writing). */
export function unwritable(flag: string, path: string): string | null {
  if (path === '-') return null;
  const absolute = resolve(path);
  const dir = dirname(absolute);
  if (!existsSync(dir)) return `${flag} ${path}: no such directory '${dirname(path)}'`;
  if (!statSync(dir).isDirectory()) return `${flag} ${path}: '${dirname(path)}' is not a directory`;
  if (existsSync(absolute) && statSync(absolute).isDirectory()) return `${flag} ${path}: is a directory`;
  try {
    accessSync(dir, constants.W_OK);
    if (existsSync(absolute)) accessSync(absolute, constants.W_OK);
  } catch {
    return `${flag} ${path}: not writable (permission denied)`;
  }
  return null;
}

export function writeFileAtomic(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, path);
  } catch (e) {
    rmSync(temp, { force: true });
    throw e;
  }
}
