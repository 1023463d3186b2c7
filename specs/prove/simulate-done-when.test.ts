// Issue 27's "done when", the exact commands (npm test runs them with smaller
// time budgets: specs/simulate.test.ts): `current` at 4 users × 2 tabs × lag
// 2 with seed 7 exits 1 with a shrunk trace of at most 30 steps, the same
// trace for the same seed; `fixed` at 3 users × 2 tabs × lag 1 for 20
// seconds exits 0 with a verdict that is not "holds", and its coverage. In
// the real command, through its worker thread.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../report/types.ts';

const ROOT = new URL('../..', import.meta.url).pathname;
const cli = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'cli.ts', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });

describe('simulate: the done-when commands', () => {
  it('current --users 4 --tabs 2 --lag 2 --seed 7 --max-time 60: exit 1, a shrunk trace of at most 30 steps, twice the same', () => {
    const argv = ['simulate', '--design', 'current', '--users', '4', '--tabs', '2', '--lag', '2', '--seed', '7', '--max-time', '60'];
    const first = cli([...argv, '--json']);
    const second = cli([...argv, '--json']);
    expect(first.status).toBe(1);
    expect(second.status).toBe(1);
    const a = JSON.parse(first.stdout) as RunReport;
    const b = JSON.parse(second.stdout) as RunReport;
    expect(a.verdict).toBe('violated');
    expect(a.trace.length - 1).toBeLessThanOrEqual(30);
    expect(b.trace).toEqual(a.trace);
    expect(b.loop).toBe(a.loop);
    const text = cli(argv);
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/\nVIOLATED: /);
  }, 400_000);

  it('fixed --users 3 --tabs 2 --lag 1 --max-time 20: exit 0, none-found (not holds), with its coverage', () => {
    const r = cli(['simulate', '--design', 'fixed', '--users', '3', '--tabs', '2', '--lag', '1', '--max-time', '20']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^simulate: --seed \d+ \(drawn at random/);
    expect(r.stdout).toMatch(/\nNONE FOUND: no property violated in [\d,]+ runs, [\d,]+ steps, [\d,]+ distinct states seen/);
    expect(r.stdout).not.toMatch(/\nholds/);
    expect(r.stdout).toMatch(/\ncoverage: getOrCreateMeeting [\d,]+,/);
  }, 120_000);
});
