// Runs SPIN's compiled verifier on spin/fixed.pml (the design `fixed` in
// Promela, written apart from model/) at one configuration, and reads what
// it printed: the verdict, the property an assertion names, the depth, the
// states, transitions and memory. The bench (scripts/bench.ts --spin) puts
// its figures beside presence-check's; the cross-check
// (specs/prove/spin-crosscheck.test.ts) compares its verdicts with
// presence-check's. The search is the one the comparison calls for:
// breadth first, safety only, no partial-order reduction
// (`gcc -O2 -DBFS -DSAFETY -DNOREDUCE -DMEMLIM=...`, `./pan -m... -w...`).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PML = join(dirname(fileURLToPath(import.meta.url)), 'fixed.pml');

/** What to run to get SPIN (and the C compiler its verifiers need), for the one-line error. */
export const SPIN_INSTALL = 'apt-get install -y spin gcc';

/** The invariants of fixed.pml, in the order of its PROPERTIES bits; an assertion `n == 0` names the n-th. */
export const SPIN_PROPERTIES = ['same-daily-room', 'no-orphaned-call', 'one-active-meeting', 'no-call-cut'] as const;
export type SpinProperty = (typeof SPIN_PROPERTIES)[number];

/** The witnesses fixed.pml can be asked to reach (WITNESS=n), by number. */
export const SPIN_WITNESSES = {
  1: 'a meeting is deactivated',
  2: "a deactivated meeting's Daily room is deleted",
  3: 'two users are in one Daily call',
  4: "a meeting is active while an earlier meeting's room is deleted",
} as const;

/**
 * presence-check's faults (model/faults.ts) as fixed.pml's switches. The
 * faults that cannot touch `fixed` (faultsInForce calls them not
 * applicable: no Redis key, a one-step process_meetings, the unique index,
 * no fence) have none; webhook-dup only queues a poll twice, and the
 * Promela model lets a poll run at any time anyway, so its switch adds no
 * step.
 */
export const SPIN_FAULTS: Readonly<Record<string, string>> = {
  'slow-join': 'SLOW_JOIN',
  'presence-flap': 'PRESENCE_FLAP',
  'joining-error': 'JOINING_ERROR',
  'webhook-dup': 'WEBHOOK_DUP',
  'owner-deactivate': 'OWNER_DEACTIVATE',
  'refresh-fails': 'REFRESH_FAILS',
  'direct-join': 'DIRECT_JOIN',
  'create-lock-lost': 'CREATE_LOCK_LOST',
};

/** model/ablations.ts's ablations of fixed (1-based, as `fixed-without-N`) that fixed.pml has a switch for. */
export const SPIN_ABLATIONS: Readonly<Record<number, string>> = {
  1: 'ABLATE_CHECK',
  4: 'ABLATE_PROCEED',
  5: 'ABLATE_JOINED_DELETES',
  7: 'ABLATE_UPDATE',
  8: 'ABLATE_WAIT',
  10: 'ABLATE_INDEX',
};

export interface SpinRun {
  readonly users: number;
  readonly tabs: number;
  readonly lag: number;
  /** ticks a handshake may take (default 2, presence-check's default) */
  readonly handshake?: number;
  /** presence-check's fault names, each in force */
  readonly faults?: readonly string[];
  /** an ablation of fixed (model/ablations.ts, 1-based) */
  readonly ablation?: number;
  /** the invariants to assert (default: every one judged: no-call-cut is not under refresh-fails unless `judge` names it) */
  readonly properties?: readonly SpinProperty[];
  readonly judge?: readonly string[];
  /** assert that this witness is never reached (a violation then shows it is) */
  readonly witness?: keyof typeof SPIN_WITNESSES;
  /** the hash table's slots, as a power of two (pan -w; default 20) */
  readonly hashBits?: number;
  /** pan's memory limit in MB (-DMEMLIM; default 8192) */
  readonly memoryMb?: number;
}

export interface SpinResult {
  /** holds: complete, no error; violated: an assertion failed; deadlock: an invalid end state; incomplete: a limit stopped it */
  readonly verdict: 'holds' | 'violated' | 'deadlock' | 'incomplete';
  /** the invariant (or `witness:N`) the failed assertion names */
  readonly property: string | null;
  /** depth of the error (its shortest counterexample's steps, breadth first), or the depth reached */
  readonly depth: number;
  readonly states: number;
  readonly transitions: number;
  readonly vectorBytes: number;
  /** pan's "total actual memory usage", in bytes */
  readonly memoryBytes: number;
  /** of which its hash table */
  readonly hashBytes: number;
  /** pan's own elapsed time (the search, not the compilation) */
  readonly seconds: number;
  /** pan's peak resident memory, from /usr/bin/time (null where it is not installed) */
  readonly peakRssBytes: number | null;
  readonly hashBits: number;
  /** the -D switches the model was generated with */
  readonly defines: readonly string[];
  /** why the search stopped early, when it did */
  readonly limit: string | null;
}

/** Why SPIN cannot run here (a one-line message naming the install step), or null. */
export function spinMissing(): string | null {
  const missing = ['spin', 'gcc'].filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0);
  return missing.length === 0 ? null : `${missing.join(' and ')} not installed (${SPIN_INSTALL})`;
}

/** SPIN's version line, e.g. "Spin Version 6.5.2 -- 6 December 2019". */
export function spinVersion(): string {
  return spawnSync('spin', ['-V'], { encoding: 'utf8' }).stdout.trim();
}

/** The -D switches of fixed.pml for a run (bad input throws one line). */
export function definesOf(run: SpinRun): string[] {
  const d = [`-DUSERS=${run.users}`, `-DTABS=${run.tabs}`, `-DLAG=${run.lag}`, `-DHANDSHAKE=${run.handshake ?? 2}`];
  for (const f of run.faults ?? []) {
    const name = SPIN_FAULTS[f];
    if (name === undefined) throw new Error(`fixed.pml has no fault '${f}' (it has ${Object.keys(SPIN_FAULTS).join(', ')})`);
    d.push(`-D${name}`);
  }
  if (run.ablation !== undefined) {
    const name = SPIN_ABLATIONS[run.ablation];
    if (name === undefined) throw new Error(`fixed.pml has no ablation ${run.ablation} (it has ${Object.keys(SPIN_ABLATIONS).join(', ')})`);
    d.push(`-D${name}`);
  }
  if (run.judge?.includes('no-call-cut')) d.push('-DJUDGE_NO_CALL_CUT');
  if (run.properties !== undefined) {
    const bits = run.properties.reduce((acc, p) => acc | (1 << SPIN_PROPERTIES.indexOf(p)), 0);
    d.push(`-DPROPERTIES=${bits}`);
  }
  if (run.witness !== undefined) d.push(`-DWITNESS=${run.witness}`);
  return d;
}

const number = (text: string, re: RegExp): number => {
  const m = re.exec(text);
  return m === null ? Number.NaN : Number(m[1]);
};

/** What pan printed, read. */
export function readPan(out: string): Omit<SpinResult, 'peakRssBytes' | 'hashBits' | 'defines'> {
  const assertion = /assertion violated \((\d+)==0\) \(at depth (\d+)\)/.exec(out);
  const deadlock = /invalid end state \(at depth (\d+)\)/.exec(out);
  const limit = /pan: reached -DMEMLIM bound|pan: out of memory|error: max search depth too small/.exec(out);
  const incomplete = /Warning: Search not completed/.test(out);
  const states = number(out, /^\s*(\d+) states, stored/m);
  if (Number.isNaN(states)) throw new Error(`pan printed no statistics: ${out.trim().split('\n').slice(-3).join(' / ')}`);
  let verdict: SpinResult['verdict'] = 'holds';
  let property: string | null = null;
  let depth = number(out, /depth reached (\d+)/);
  if (assertion !== null) {
    verdict = 'violated';
    const n = Number(assertion[1]);
    property = n > 100 ? `witness:${n - 100}` : (SPIN_PROPERTIES[n - 1] ?? `assertion ${n}`);
    depth = Number(assertion[2]);
  } else if (deadlock !== null) {
    verdict = 'deadlock';
    property = 'deadlock';
    depth = Number(deadlock[1]);
  } else if (limit !== null || incomplete) verdict = 'incomplete';
  const mb = 1024 * 1024;
  return {
    verdict,
    property,
    depth,
    states,
    transitions: number(out, /^\s*(\d+) transitions \(= stored\+matched\)/m),
    vectorBytes: number(out, /State-vector (\d+) byte/),
    memoryBytes: Math.round(number(out, /^\s*([\d.]+)\s+total actual memory usage/m) * mb),
    hashBytes: Math.round(number(out, /^\s*([\d.]+)\s+memory used for hash table/m) * mb),
    seconds: number(out, /pan: elapsed time ([\d.e+-]+) seconds/),
    limit: limit !== null ? limit[0] : null,
  };
}

function run(cmd: string, args: readonly string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw new Error(`${cmd}: ${r.error.message}`);
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${`${r.stderr}${r.stdout}`.trim().split('\n').slice(-3).join(' / ')}`);
  return r.stdout;
}

/**
 * Generates, compiles and runs the verifier for `spinRun` in a directory of
 * its own (removed afterwards). Throws a one-line Error when spin, gcc or
 * pan fails (not when the model is violated: that is a result).
 */
export function runSpin(spinRun: SpinRun): SpinResult {
  const missing = spinMissing();
  if (missing !== null) throw new Error(missing);
  const defines = definesOf(spinRun);
  const hashBits = spinRun.hashBits ?? 20;
  const dir = mkdtempSync(join(tmpdir(), 'presence-spin-'));
  try {
    copyFileSync(PML, join(dir, 'fixed.pml'));
    run('spin', [...defines, '-a', 'fixed.pml'], dir);
    run('gcc', ['-O2', '-DBFS', '-DSAFETY', '-DNOREDUCE', `-DMEMLIM=${spinRun.memoryMb ?? 8192}`, '-o', 'pan', 'pan.c'], dir);
    const timed = existsSync('/usr/bin/time');
    const pan = ['./pan', `-m100000000`, `-w${hashBits}`, '-n'];
    const r = timed
      ? spawnSync('/usr/bin/time', ['-f', 'peak-rss-kb %M', ...pan], { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 })
      : spawnSync(pan[0], pan.slice(1), { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.error) throw new Error(`pan: ${r.error.message}`);
    const read = readPan(r.stdout);
    const rss = /peak-rss-kb (\d+)/.exec(r.stderr ?? '');
    return { ...read, peakRssBytes: rss !== null ? Number(rss[1]) * 1024 : null, hashBits, defines };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
