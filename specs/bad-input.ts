// Shared by the CLI's test files: running the command in-process, and what
// every bad input must look like.
import { expect } from 'vitest';
import { EXIT } from '../cli/exit.ts';
import { main, type MainDeps } from '../cli/main.ts';

/** What a run of the CLI printed, and its exit code. */
export interface Ran {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/** Runs the CLI in this process with captured output; `tty` makes stderr a terminal, `onErr` sees each write. */
export async function runCli(argv: string[], options: { tty?: boolean; deps?: MainDeps; onErr?: (s: string) => void } = {}): Promise<Ran> {
  let out = '';
  let err = '';
  const code = await main(
    argv,
    {
      stdout: { write: (s: string) => (out += s) },
      stderr: {
        isTTY: options.tty === true,
        write: (s: string) => {
          err += s;
          options.onErr?.(s);
        },
      },
    },
    options.deps,
  );
  return { code, out, err };
}

/** One line on stderr, prefixed, no stack trace, nothing on stdout, exit 2. */
export function expectBadInput(r: Ran, ...mentions: (string | RegExp)[]): void {
  expect(r.code).toBe(EXIT.badInput);
  expect(r.out).toBe('');
  const lines = r.err.split('\n').filter((l) => l !== '');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^presence-check: /);
  expect(r.err).not.toMatch(/\n\s+at /);
  for (const m of mentions) expect(lines[0]).toMatch(m);
}
