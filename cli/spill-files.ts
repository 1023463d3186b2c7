// Where `check --memory N` spills: the checker's SpillStore (checker/spill.ts)
// over files, one per handle, in a directory made for the run and removed
// when it ends. The command makes the directory in the main thread before the
// check starts (SpillDir), so that it is removed whatever ends the run: the
// end of the check, an error, Ctrl-C or SIGTERM (the check stops and returns),
// or a second signal (process.exit, which an 'exit' hook sees). The check, in
// its worker thread, writes and reads the files through FileSpillStore.
import { accessSync, closeSync, constants, mkdtempSync, openSync, readSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpillStore } from '../checker/index.ts';

/** A file operation of the store failed (a full disk, the directory removed): the check cannot go on. */
export class SpillFailure extends Error {
  constructor(
    readonly dir: string,
    cause: unknown,
  ) {
    super(`spilling to ${dir} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'SpillFailure';
  }
}

interface SpillFile {
  readonly fd: number;
  readonly path: string;
  /** ints written */
  length: number;
}

/** The checker's spill store over files in `dir` (which must exist). */
export class FileSpillStore implements SpillStore {
  private readonly files = new Map<number, SpillFile>();
  private next = 0;

  constructor(readonly where: string) {}

  create(): number {
    const handle = this.next++;
    const path = join(this.where, `spill-${handle}.i32`);
    try {
      this.files.set(handle, { fd: openSync(path, 'w+'), path, length: 0 });
    } catch (e) {
      throw new SpillFailure(this.where, e);
    }
    return handle;
  }

  append(handle: number, ints: Int32Array, from: number, to: number): number {
    const file = this.file(handle);
    const at = file.length;
    const bytes = new Uint8Array(ints.buffer, ints.byteOffset + from * 4, (to - from) * 4);
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(file.fd, bytes, done, bytes.length - done, at * 4 + done);
    } catch (e) {
      throw new SpillFailure(this.where, e);
    }
    file.length += to - from;
    return at;
  }

  read(handle: number, at: number, out: Int32Array, offset: number, count: number): void {
    const file = this.file(handle);
    if (at < 0 || at + count > file.length)
      throw new RangeError(`spill store: read of ${count} ints at ${at} past the end (${file.length})`);
    const bytes = new Uint8Array(out.buffer, out.byteOffset + offset * 4, count * 4);
    try {
      for (let done = 0; done < bytes.length; ) {
        const n = readSync(file.fd, bytes, done, bytes.length - done, at * 4 + done);
        if (n === 0) throw new Error(`${file.path} ends early`);
        done += n;
      }
    } catch (e) {
      throw new SpillFailure(this.where, e);
    }
  }

  release(handle: number): void {
    const file = this.file(handle);
    this.files.delete(handle);
    try {
      closeSync(file.fd);
      unlinkSync(file.path);
    } catch (e) {
      throw new SpillFailure(this.where, e);
    }
  }

  /** Closes and deletes every file still open (the directory stays: SpillDir removes it). */
  close(): void {
    for (const [handle, file] of [...this.files]) {
      this.files.delete(handle);
      try {
        closeSync(file.fd);
        unlinkSync(file.path);
      } catch {
        // the directory goes anyway
      }
    }
  }

  private file(handle: number): SpillFile {
    const file = this.files.get(handle);
    if (file === undefined) throw new Error(`spill store: no file ${handle}`);
    return file;
  }
}

/** Why `dir` cannot take spill files (not a directory, not writable), or null. */
export function unusableSpillDir(dir: string): string | null {
  try {
    if (!statSync(dir).isDirectory()) return `--spill-dir ${dir}: not a directory`;
    accessSync(dir, constants.W_OK);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `--spill-dir ${dir}: no such directory`;
    if (code === 'EACCES' || code === 'EPERM') return `--spill-dir ${dir}: not writable`;
    return `--spill-dir ${dir}: ${e instanceof Error ? e.message : String(e)}`;
  }
}

/** A run's spill directory: made under `parent` (default: the system's temporary directory), removed by remove() or at exit. */
export class SpillDir {
  readonly path: string;
  private readonly onExit = () => this.remove();

  constructor(parent: string | null) {
    this.path = mkdtempSync(join(parent ?? tmpdir(), 'presence-check-spill-'));
    process.on('exit', this.onExit);
  }

  remove(): void {
    process.off('exit', this.onExit);
    rmSync(this.path, { recursive: true, force: true });
  }
}
