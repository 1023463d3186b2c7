// The name the tool was started by, for help texts, hints and the command
// line every report gives to repeat a check: `presence-check` when run
// through its package's bin (`npx presence-check` under npx), `npx tsx
// cli.ts` when run from a clone with tsx, `node dist/cli.js` when the
// compiled file is run directly. One setting per thread: cli.ts sets it from
// process.argv, a worker thread from the main thread's (worker-runner.ts).
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the package's bin is called (package.json `bin`). */
export const BIN = 'presence-check';

let current = BIN;

/** The program name hints and reports use (default: the bin's name). */
export function program(): string {
  return current;
}

export function setProgram(name: string): void {
  current = name;
}

/**
 * The name the tool was started by: `script` is process.argv[1], `env` the
 * environment (npx sets npm_command=exec), `cwd` the working directory.
 */
export function programOf(script: string | undefined, env: Readonly<Record<string, string | undefined>>, cwd: string): string {
  if (script === undefined) return BIN;
  const name = basename(script);
  if (name === BIN || name === `${BIN}.js` || name === `${BIN}.cmd`) return env.npm_command === 'exec' ? `npx ${BIN}` : BIN;
  const shown = isAbsolute(script) && !relative(cwd, script).startsWith('..') ? relative(cwd, script) : script;
  return /\.[cm]?ts$/.test(name) ? `npx tsx ${shown}` : `node ${shown}`;
}

let version: string | null = null;

/**
 * The package's version (package.json), found upward from this module: it
 * sits in cli/ in a clone and in dist/cli/ in the package.
 */
export function packageVersion(): string {
  if (version !== null) return version;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === BIN && typeof pkg.version === 'string') return (version = pkg.version);
    }
    const up = dirname(dir);
    if (up === dir) return (version = 'unknown');
    dir = up;
  }
}
