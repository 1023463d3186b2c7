// What every command's argument parsing shares: each command declares its
// flags once (a FlagSpec: the yargs type and the help line), and parseFlags
// tokenizes argv with yargs, strict to exactly those flags, so that each bad
// input is one line naming the flag; the help layout is made from the same
// declarations, so `COMMAND --help` lists exactly what COMMAND takes.
import yargs from 'yargs';
import { BOUND_SPECS } from '../../model/index.ts';
import { wrap } from '../../report/text.ts';
import { didYouMean } from './suggest.ts';

export interface FlagSpec {
  readonly flag: string;
  /** what the value is called in the help (none: a boolean switch) */
  readonly value?: string;
  readonly describe: string;
  /** a --no-X switch: yargs sees X */
  readonly negated?: boolean;
}

/** The raw values yargs gives back, by flag name (a --no-X switch as X: false). */
export type RawFlags = Readonly<Record<string, unknown>> & { readonly _: readonly (string | number)[] };

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };
export const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });
export const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });

export const BOUND_FLAGS: readonly FlagSpec[] = BOUND_SPECS.map((b) => ({
  flag: b.flag,
  value: 'N',
  describe: `${b.description} [${b.min} to ${b.max}, default ${b.default}]`,
}));

export const HELP_FLAG: FlagSpec = { flag: 'help', describe: 'show this help (-h)' };
export const DEBUG_FLAG: FlagSpec = { flag: 'debug', describe: 'print the stack trace of an internal error or a model error' };

const nameOf = (f: FlagSpec) => (f.negated ? f.flag.replace(/^no-/, '') : f.flag);
export const shown = (f: FlagSpec) => `--${f.flag}`;

/** Tokenizes `argv` (after the command name) with yargs, accepting exactly `flags`. */
export function parseFlags(command: string, argv: readonly string[], flags: readonly FlagSpec[]): Parsed<RawFlags> {
  let failure: string | null = null;
  const parser = yargs([...argv])
    .exitProcess(false)
    .help(false)
    .version(false)
    // options only: yargs' strict() also rejects positionals (replay's FILE) as
    // unknown arguments; each command's parse says what to do with them
    .strictOptions()
    // no camelCase aliases: an unknown --max-states would be reported twice (as maxStates too)
    .parserConfiguration({ 'duplicate-arguments-array': false, 'camel-case-expansion': false })
    .fail((message: string | undefined, error: Error | undefined) => {
      failure ??= message ?? error?.message ?? 'cannot parse the arguments';
    });
  for (const f of flags) {
    const name = nameOf(f);
    if (name === 'help') parser.option('help', { alias: 'h', type: 'boolean' });
    else if (f.value === undefined) parser.option(name, { type: 'boolean' });
    else parser.option(name, { type: 'string', requiresArg: true });
  }
  let raw: RawFlags;
  try {
    raw = parser.parseSync() as unknown as RawFlags;
  } catch (e) {
    return fail(rephrase(command, e instanceof Error ? e.message : String(e), flags, argv));
  }
  if (raw.help === true) return ok(raw);
  if (failure !== null) return fail(rephrase(command, failure, flags, argv));
  return ok(raw);
}

function rephrase(command: string, message: string, flags: readonly FlagSpec[], argv: readonly string[]): string {
  const unknown = /^Unknown arguments?: (.*)$/.exec(message);
  if (unknown) {
    // yargs names an unknown --no-X as X: name it as it was typed
    const typed = (n: string) =>
      argv.some((a) => a === `--no-${n}` || a.startsWith(`--no-${n}=`)) && !argv.some((a) => a === `--${n}` || a.startsWith(`--${n}=`));
    const names = unknown[1].split(', ').map((n) => (n.length === 1 ? `-${n}` : typed(n) ? `--no-${n}` : `--${n}`));
    const hint =
      names.length === 1
        ? didYouMean(
            names[0].replace(/^-+/, ''),
            flags.map((f) => f.flag),
            (f) => `--${f}`,
          )
        : '';
    return `unknown option ${names.join(', ')} for ${command} (${hint}its options: ${flags.map(shown).join(', ')}; see ${command} --help)`;
  }
  const missing = /^Not enough arguments following: (.*)$/.exec(message);
  if (missing) return `--${missing[1]} needs a value (see ${command} --help)`;
  return `${message} (see ${command} --help)`;
}

/** An integer flag's value in [min, max], or the message saying what it must be. */
export function parseInteger(flag: string, raw: unknown, min: number, max: number): Parsed<number> {
  const text = String(raw).trim();
  const range = max === Infinity ? `an integer of at least ${min}` : `an integer from ${min} to ${max}`;
  if (!/^[-+]?\d+$/.test(text)) return fail(`--${flag} must be ${range} (got '${String(raw)}')`);
  const value = Number(text);
  if (value < min || value > max) return fail(`--${flag} must be ${range} (got ${value})`);
  return ok(value);
}

/** A file-path flag's value, not empty. */
export function parsePath(flag: string, raw: unknown, command: string): Parsed<string> {
  const text = String(raw);
  return text.trim() === '' ? fail(`--${flag} needs a file path (see ${command} --help)`) : ok(text);
}

// ----------------------------------------------------------------- help

/** A titled block of rows, the text wrapped at 78 columns beside a left column of `left`. */
export function section(title: string, rows: readonly (readonly [string, string])[], left = 26): string[] {
  const out = [`${title}:`];
  for (const [name, text] of rows) {
    const body = wrap(text, 78 - left);
    const head = `  ${name}`;
    if (head.length >= left) {
      out.push(head);
      out.push(...body.map((l) => ' '.repeat(left) + l));
    } else {
      out.push(head.padEnd(left) + (body[0] ?? ''));
      out.push(...body.slice(1).map((l) => ' '.repeat(left) + l));
    }
  }
  return out;
}

export const flagRows = (docs: readonly FlagSpec[]) =>
  docs.map((d): [string, string] => [`--${d.flag}${d.value ? ` ${d.value}` : ''}`, d.describe]);

export const paragraph = (text: string, indent = 0) => wrap(text, 78 - indent).map((l) => ' '.repeat(indent) + l);
