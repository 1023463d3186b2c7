// Runs a saved result's command as a reader would (the package's bin, so
// hints name `presence-check`), as its own process, and records what it
// printed, its exit code, wall time and peak memory. Needs dist/: run
// `npm run build` first (scripts/docs.ts --rerun does).
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';

const round = (x: number) => Math.round(x * 10) / 10;
import { join } from 'node:path';
import type { Provenance, ResultSpec, SavedResult } from './results.ts';

export function provenance(root: string): Provenance {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    // not a clone
  }
  return {
    date: new Date().toISOString().slice(0, 10),
    commit,
    node: process.version,
    cores: cpus().length,
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
}

export async function record(root: string, spec: ResultSpec): Promise<SavedResult> {
  const tmp = mkdtempSync(join(tmpdir(), 'presence-docs-'));
  const rssFile = join(tmp, 'rss');
  const cwd = join(root, spec.cwd ?? '.');
  const started = performance.now();
  const loadBefore = loadavg()[0];
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(
        process.execPath,
        ['--import', join(root, 'scripts/docs/rss-preload.mjs'), join(root, 'bin/presence-check.js'), ...spec.argv],
        { cwd, env: { ...process.env, PRESENCE_CHECK_RSS_OUT: rssFile, npm_command: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c ?? -1, stdout: out, stderr: err }));
    });
    const elapsedMs = Math.round(performance.now() - started);
    return {
      format: 'presence-check/doc-result',
      name: spec.name,
      argv: spec.argv,
      cwd: spec.cwd ?? '.',
      exitCode: code,
      stdout,
      stderr,
      elapsedMs,
      peakRssBytes: Number(readFileSync(rssFile, 'utf8')),
      ran: { ...provenance(root), loadAverage: [round(loadBefore), round(loadavg()[0])] },
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
