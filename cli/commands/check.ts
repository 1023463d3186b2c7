// `check`: resolves what to check (designs, design files, or a user's model)
// and every output path before anything runs, runs each check, and prints
// one report (or a table of several); the exit code is the worst verdict's.
import { appendFileSync } from 'node:fs';
import {
  exportReport,
  presetNote,
  toMarkdownSummary,
  formatModelError,
  formatRun,
  jsonLine,
  tableFooter,
  tablePremises,
  tableHeader,
  tableLayout,
  tableRow,
} from '../../export/index.ts';
import { designByName, type Design } from '../../model/index.ts';
import type { Model } from '../../checker/index.ts';
import type { RunReport } from '../../report/types.ts';
import type { CheckArgs, JobArgs } from '../args/index.ts';
import { readDesignFile } from '../design-file.ts';
import { EXIT, exitOfSignal, worstExitCode, type StopSignal } from '../exit.ts';
import { unwritable, writeFileAtomic } from '../files.ts';
import { loadModelFile } from '../load-model.ts';
import { boundsText, buildModel, presenceJob, type Job, type JobDescription, type RunLimits } from '../jobs.ts';
import { CheckProgress, progressMode } from '../progress.ts';
import { knownSize } from '../known-sizes.ts';
import { inProcessRunner, type AnyProgress, type RunOutcome, type Runner } from '../run.ts';
import { SpillDir, unusableSpillDir } from '../spill-files.ts';
import { errorLine, type IO, type MainDeps } from '../io.ts';

/** The command line's jobs, every model built and every file read first: bad input stops here. */
export async function resolveJobs(options: JobArgs): Promise<Job[] | { error: string }> {
  const specs: JobDescription[] = [];
  if (options.modelPath !== undefined) {
    // the path as the loader resolves it, and a load that fails is bad input here, before anything runs
    const loaded = await loadModelFile(options.modelPath);
    if ('error' in loaded) return loaded;
    specs.push({ kind: 'module', path: loaded.path, liveness: options.liveness });
  }
  const add = (design: Design, designFile: string | null) =>
    specs.push({
      ...presenceJob(design, designFile, options.bounds, {
        faults: options.faults,
        // only when given: a job without them is the fault at full strength, and keeps its known size (known-sizes.ts)
        ...(Object.keys(options.faultBounds).length > 0 ? { faultBounds: options.faultBounds } : {}),
        ...(options.judge.length > 0 ? { judge: options.judge } : {}),
        symmetry: options.symmetry,
        liveness: options.liveness,
        settles: options.settles,
      }),
      preset: options.preset,
    });
  for (const name of options.designs) add(designByName(name)!, null);
  for (const file of options.designFiles) {
    const design = readDesignFile(file);
    if ('error' in design) return design;
    add(design, file);
  }
  const jobs: Job[] = [];
  for (const spec of specs) {
    let model: Model<unknown>;
    try {
      model = await buildModel(spec);
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
    jobs.push({ spec, label: spec.kind === 'presence' ? spec.design.name : model.name, model });
  }
  return jobs;
}

export function limitsOf(options: CheckArgs): RunLimits {
  return {
    exact: options.exact,
    workers: options.workers,
    ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    ...(options.maxTimeMs !== undefined ? { maxTimeMs: options.maxTimeMs } : {}),
    ...(options.maxDepth !== undefined ? { maxDepth: options.maxDepth } : {}),
    ...(options.checkEncoding ? { encodingSample: Infinity } : {}),
    ...(options.memoryBytes !== undefined ? { memory: { bytes: options.memoryBytes, parent: options.spillDir ?? null } } : {}),
  };
}

export async function checkCommand(options: CheckArgs, io: IO, deps: MainDeps): Promise<number> {
  const problem = options.spillDir !== undefined ? unusableSpillDir(options.spillDir) : null;
  if (problem !== null) {
    io.stderr.write(`${errorLine(problem)}\n`);
    return EXIT.badInput;
  }
  const jobs = await resolveJobs(options);
  if (!Array.isArray(jobs)) {
    io.stderr.write(`${errorLine(jobs.error)}\n`);
    return EXIT.badInput;
  }
  return runJobs('check', options, jobs, limitsOf(options), io, deps);
}

/**
 * Runs one job; under --memory, in a spill directory made for it here (in
 * this thread, which outlives the check's worker) and removed when the run
 * ends, however it ends (a second Ctrl-C exits at once: SpillDir's exit hook
 * removes it then).
 */
async function runWithSpillDir(runner: Runner, job: Job, limits: RunLimits, onProgress: (p: AnyProgress) => void): Promise<RunOutcome> {
  if (limits.memory === undefined) return runner.run(job, limits, onProgress);
  let dir: SpillDir;
  try {
    dir = new SpillDir(limits.memory.parent);
  } catch (e) {
    const where = limits.memory.parent ?? 'the temporary directory';
    return {
      kind: 'bad-input',
      message: `--memory: cannot make a spill directory in ${where}: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
  try {
    return await runner.run(job, { ...limits, memory: { ...limits.memory, dir: dir.path } }, onProgress);
  } finally {
    dir.remove();
  }
}

/**
 * Runs the jobs one after another (check or simulate: the limits say which
 * strategy) and prints one report, or a table of several, and --trace-out;
 * the exit code is the worst verdict's.
 */
export async function runJobs(
  verb: 'check' | 'simulate',
  options: JobArgs,
  jobs: readonly Job[],
  limits: RunLimits,
  io: IO,
  deps: MainDeps,
): Promise<number> {
  const traceOut = options.traceOut;
  if (traceOut !== undefined) {
    const problem = unwritable('--trace-out', traceOut.path);
    if (problem !== null) {
      io.stderr.write(`${errorLine(problem)}\n`);
      return EXIT.badInput;
    }
  }
  if (options.summary !== undefined) {
    const problem = unwritable('--summary', options.summary);
    if (problem !== null) {
      io.stderr.write(`${errorLine(problem)}\n`);
      return EXIT.badInput;
    }
  }
  const toStdout = traceOut?.path === '-';
  const runner = deps.runner ?? inProcessRunner();
  const progress = new CheckProgress(io.stderr, progressMode(io.stderr, options.quiet || options.json || toStdout), {
    ...(options.progressEveryMs !== undefined ? { everyMs: options.progressEveryMs } : {}),
    ...deps.progress,
  });
  const single = jobs.length === 1;
  // the report a person reads goes to stdout, unless stdout carries the trace file
  const human = toStdout ? io.stderr : io.stdout;
  let interrupted: StopSignal | null = null;
  const unsubscribe = deps.onInterrupt?.((signal) => {
    interrupted = signal;
    runner.interrupt();
  });

  const layout = tableLayout(
    jobs.map((j) => j.label),
    jobs.flatMap((j) => [...j.model.properties.map((p) => p.name), ...j.model.actions.map((a) => `action ${a.name}`)]),
  );
  if (!options.json && !single) {
    human.write(
      `${verb === 'check' ? 'checking' : 'simulating'} ${jobs.length} designs at ${boundsText(options.bounds)}` +
        ` (${[...(options.preset !== null ? [presetNote(options.preset)] : []), ...(options.symmetry ? [] : ['no symmetry'])].join('; ')})` +
        `\n\n${tableHeader(layout)}\n`,
    );
  }

  const done: { label: string; report: RunReport }[] = [];
  let outputFailed = false;
  try {
    for (const job of jobs) {
      if (interrupted !== null) break;
      progress.start(job.label, knownSize(job.spec));
      const outcome = await runWithSpillDir(runner, job, limits, (p) => progress.show(p));
      progress.stop();
      if (outcome.kind === 'bad-input') {
        io.stderr.write(`${errorLine(outcome.message)}\n`);
        return EXIT.badInput;
      }
      if (outcome.kind === 'spill-failed') {
        io.stderr.write(`${errorLine(outcome.message)}\n`);
        return EXIT.incomplete;
      }
      if (outcome.kind === 'model-error') {
        if (options.json) io.stdout.write(`${jsonLine(outcome.report)}\n`);
        io.stderr.write(`${errorLine(formatModelError(outcome.report, options.debug))}\n`);
        return EXIT.modelError;
      }
      const report = outcome.report;
      done.push({ label: job.label, report });
      if (options.json) io.stdout.write(`${jsonLine(report)}\n`);
      else if (single) human.write(`${formatRun(report)}\n`);
      else human.write(`${tableRow(layout, job.label, report)}\n`);
      if (traceOut !== undefined) {
        const text = exportReport(report, traceOut.format);
        if (toStdout) io.stdout.write(text);
        else {
          try {
            writeFileAtomic(traceOut.path, text);
          } catch (e) {
            io.stderr.write(
              `${errorLine(`--trace-out ${traceOut.path}: cannot write it: ${e instanceof Error ? e.message : String(e)}`)}\n`,
            );
            outputFailed = true;
          }
        }
      }
    }
  } finally {
    progress.stop();
    unsubscribe?.();
  }

  const notRun = jobs.slice(done.length).map((j) => j.label);
  if (!options.json && !single) {
    const premises = tablePremises(done);
    if (premises.length > 0) human.write(`\n${premises.join('\n')}\n`);
    const footer = tableFooter(done, notRun);
    if (footer.length > 0) human.write(`\n${footer.join('\n')}\n`);
  }
  if (options.summary !== undefined) {
    try {
      appendFileSync(
        options.summary,
        toMarkdownSummary(
          done.map((d) => d.report),
          notRun,
        ),
      );
    } catch (e) {
      io.stderr.write(`${errorLine(`--summary ${options.summary}: cannot write it: ${e instanceof Error ? e.message : String(e)}`)}\n`);
      outputFailed = true;
    }
  }
  if (interrupted !== null) return exitOfSignal(interrupted);
  if (outputFailed) return EXIT.output;
  return worstExitCode(done.map((d) => d.report.verdict));
}
