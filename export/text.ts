// A run, a replay, a model error, a table of runs and the progress line, as
// a person reads them on a terminal: the verdict line, the properties and
// coverage, and a trace as numbered steps (time in ticks when the model has a
// clock, the model's words, then only what changed). Pure: no I/O.
import type { Progress, PropertyResult, SimulationProgress, SimulationSummary } from '../checker/index.ts';
import {
  bytesText,
  compact,
  count,
  counted,
  diffViews,
  stepsText,
  formatDiffEntry,
  list,
  oneLine,
  plural,
  seconds,
  stepText,
  ticksElapsed,
  wrap,
} from '../report/text.ts';
import {
  REPLAY_VERDICTS,
  type Frame,
  type ModelErrorReport,
  type PresetUse,
  type ReplayReport,
  type RunReport,
  type TraceStepReport,
} from '../report/types.ts';
import { assumptionsText, faultsText, faultWithBounds, notJudgedLine, notJudgedText } from './premises.ts';

const rate = (states: number, ms: number) => (ms > 0 ? `${count((states * 1000) / ms)} states/s` : '- states/s');

/** "preset quick", or "preset thorough with --users" when bound flags overrode it. */
export function presetNote(p: PresetUse): string {
  return `preset ${p.name}${p.overridden.length > 0 ? ` with ${p.overridden.map((f) => `--${f}`).join(', ')}` : ''}`;
}

function settings(r: RunReport): string {
  const parts: string[] = [];
  if (r.symmetry !== null) parts.push((r.symmetryApplied ?? r.symmetry) ? 'symmetry on' : 'no symmetry');
  if (r.design !== null && !r.liveness) parts.push('safety only');
  if (r.exact) parts.push('exact visited set');
  if (r.limits.maxStates !== null) parts.push(`--max-states ${r.limits.maxStates}`);
  if (r.limits.maxTimeMs !== null) parts.push(`--max-time ${r.limits.maxTimeMs / 1000}`);
  if (r.limits.maxDepth !== null) parts.push(`--max-depth ${r.limits.maxDepth}`);
  if (r.memory != null) parts.push(`--memory ${bytesText(r.memory.budget)}`);
  const all = [...(r.preset !== null ? [presetNote(r.preset)] : []), ...(parts.length > 0 ? [parts.join(', ')] : [])];
  return all.length > 0 ? ` (${all.join('; ')})` : '';
}

/** "check current: users=2 tabs=2 ... (symmetry on)" or "check model die-hard from /path" */
export function formatHeader(r: RunReport): string {
  if (r.design !== null && r.boundsText !== null) return `check ${r.design}: ${r.boundsText}${settings(r)}`;
  return `check model ${r.model}${r.modelPath !== null ? ` from ${r.modelPath}` : ''}${settings(r)}`;
}

function limitText(r: RunReport): string {
  switch (r.limit) {
    case 'max-states':
      return `max-states limit hit (--max-states ${r.limits.maxStates ?? '?'})`;
    case 'max-time':
      return `max-time limit hit (--max-time ${r.limits.maxTimeMs !== null ? r.limits.maxTimeMs / 1000 : '?'})`;
    case 'max-depth':
      return `max-depth limit hit (--max-depth ${r.limits.maxDepth ?? '?'})`;
    case 'memory': {
      const exhausted = r.memory?.exhausted;
      if (r.memory != null && exhausted != null)
        return r.exact
          ? `the visited set needs ~${bytesText(exhausted.visited)} and does not spill (--exact keeps whole keys): with the ` +
              `${bytesText(exhausted.other)} that stayed in memory after spilling (the frontier block being read, the graph's offsets), ` +
              `it is over --memory ${bytesText(r.memory.budget)}`
          : `--memory ${bytesText(r.memory.budget)} is less than what cannot spill: after spilling all it could, the search held ` +
              `${bytesText(exhausted.visited + exhausted.other)} (the visited set's table, page index and cache ${bytesText(exhausted.visited)}; ` +
              `the graph's offsets, 4 bytes a state, and the frontier block being read ${bytesText(exhausted.other)})`;
      return r.memory != null
        ? 'memory limit hit (heap use passed 85% of the limit)'
        : 'memory limit hit (heap use passed 85% of the limit; --memory N spills the frontier and the liveness graph to disk instead)';
    }
    case 'interrupted':
      return 'interrupted (Ctrl-C or SIGTERM)';
    default:
      return 'stopped';
  }
}

/**
 * What --memory did, in one line: "memory: --memory 200 MiB; spilled the
 * frontier 1.2 GiB and the liveness graph 3.4 GiB to DIR from depth 14
 * (1,234,567 states) ...", or that nothing spilled; null without --memory.
 */
export function memoryText(r: RunReport): string | null {
  const m = r.memory;
  if (m == null) return null;
  const peak = `peak ${bytesText(m.peak)} in memory (the visited set ${bytesText(m.visited)} of it at the end)`;
  const spilled = [
    ...(m.spilled.frontier > 0 ? [`the frontier ${bytesText(m.spilled.frontier)}`] : []),
    ...(m.spilled.graph > 0 ? [`the liveness graph ${bytesText(m.spilled.graph)}`] : []),
    ...(m.spilled.visited > 0 ? [`the visited set ${bytesText(m.spilled.visited)}`] : []),
  ];
  if (spilled.length === 0) return `memory: --memory ${bytesText(m.budget)}, nothing spilled; ${peak}`;
  const when =
    m.firstSpill === null
      ? ''
      : m.firstSpill.during === 'search'
        ? ` from depth ${m.firstSpill.depth} (${counted(m.firstSpill.states, 'state')} known)`
        : ' once the search was over, to make room for the liveness analysis';
  const pages =
    m.graphPageReads > 0
      ? `; the liveness analysis read ${counted(m.graphPageReads, 'page')} of the graph back, beside ${bytesText(m.analysisBytes)} of its own arrays`
      : '';
  return (
    `memory: --memory ${bytesText(m.budget)}; spilled ${list(spilled)} to ${m.where ?? '?'}${when}, ` +
    `at most ${bytesText(m.peakOnDisk)} on disk at once; ${peak}${pages}`
  );
}

export function formatVerdict(r: RunReport): string {
  if (r.simulation !== undefined) return formatSimulationVerdict(r, r.simulation);
  const figures = `${counted(r.states, 'distinct state')}, ${counted(r.transitions, 'transition')}`;
  const timing = `in ${seconds(r.elapsedMs)} (${rate(r.states, r.elapsedMs)})`;
  // the depth of a complete search: every state is at most this many steps from an initial one
  const depth = `depth ${r.depth}`;
  switch (r.verdict) {
    case 'holds': {
      const n = r.properties.length;
      const premises = r.faults !== null || r.assumptions !== null ? ' at these bounds, with these faults and assumptions' : '';
      return `holds: ${n === 1 ? 'the one property holds' : `all ${n} properties hold`}${premises}; ${figures}${graphText(r)}, ${depth}, ${timing}`;
    }
    case 'violated': {
      const steps = Math.max(0, r.trace.length - 1);
      const about = r.propertyDescription !== null ? ` (${oneLine(r.propertyDescription)})` : '';
      if (r.loop !== null) return `VIOLATED: ${r.property}${about}: ${lassoText(r)}; ${figures}${graphText(r)} ${timing}`;
      if (violatedKind(r) === 'step')
        return `VIOLATED: ${r.property}${about} by step ${steps}, the last of a shortest run; ${figures} ${timing}`;
      return `VIOLATED: ${r.property}${about} after ${counted(steps, 'step')}; ${figures} ${timing}`;
    }
    case 'vacuous': {
      const { unreachedWitnesses: w, unfiredActions: a } = r.vacuity;
      const parts = [
        ...(w.length > 0 ? [`${plural(w.length, 'witness', 'witnesses')} never reached: ${w.join(', ')}`] : []),
        ...(a.length > 0 ? [`${plural(a.length, 'action')} never fired: ${a.join(', ')}`] : []),
      ];
      return (
        `VACUOUS: ${parts.join('; ')} (no invariant is violated, but part of the model was never exercised); ` +
        `${figures}, ${depth}, ${timing}`
      );
    }
    case 'incomplete':
      return `INCOMPLETE: ${limitText(r)}; holds up to depth ${r.depth}; ${figures}, ${timing}`;
    case 'none-found':
      // only a simulation ends so (handled above); a report of another kind says it plainly
      return `NONE FOUND: no violation found; ${figures}, ${timing}`;
  }
}

/** ", a graph of 23,832,467 edges (5.0 bytes an edge)" for a run that recorded one, else "" */
function graphText(r: RunReport): string {
  if (r.edges === 0) return '';
  return `, a graph of ${counted(r.edges, 'edge')} (${(r.graphBytes / r.edges).toFixed(1)} bytes an edge)`;
}

/** The kind of the violated property ('deadlock' for the checker's own), or null. */
export const violatedKind = (r: RunReport) => r.properties.find((p) => p.name === r.property)?.kind ?? null;

/** "a behaviour that goes round steps 11-17 (a cycle of 7 steps) forever, after 10 steps" / "... that stays in the state after step 12 forever" */
export function lassoText(r: RunReport): string {
  const last = r.trace.length - 1,
    loop = r.loop!;
  if (loop === last)
    return `a behaviour that stays in the state after step ${loop} forever (${loop === 0 ? 'the initial state; ' : ''}nothing fair is enabled there)`;
  return `a behaviour that goes round ${stepsText(loop + 1, last)} (a cycle of ${counted(last - loop, 'step')}) forever, after ${counted(loop, 'step')}`;
}

/** What the encoding self-check covered: all reachable states, or a sample (and how many). */
export function encodingCheckText(r: RunReport): string {
  const e = r.encodingCheck;
  if (e.limit === 0) return "encoding: not tested against the model's equality (the self-check was off)";
  const what = `the encoding${e.codec ? ' and the codec round trip' : ''} tested against the model's equality`;
  return e.complete
    ? `encoding: ${what} on every reachable state (${count(e.states)})`
    : `encoding: ${what} on a sample, the first ${counted(e.states, 'distinct state')} met (--check-encoding tests every state)`;
}

function propertyStatus(p: PropertyResult, r: RunReport): string {
  if (r.simulation !== undefined) return simulationPropertyStatus(p, r, r.simulation);
  // a witness's number is the length of the shortest run that reaches it; a step property's, the offending step's
  const at =
    p.depth === undefined
      ? ''
      : p.kind === 'sometimes'
        ? ` in ${counted(p.depth, 'step')}`
        : p.kind === 'step'
          ? ` by step ${p.depth}`
          : ` at depth ${p.depth}`;
  switch (p.status) {
    case 'holds':
      return 'holds';
    case 'violated':
      return `VIOLATED${at}`;
    case 'reached':
      return `reached${at}`;
    case 'unreached':
      return 'NEVER REACHED';
    case 'none-found':
      return 'no violation found (sampled)';
    case 'not-judged':
      return 'not judged';
    case 'unknown':
      if (p.kind === 'leadsTo') {
        return r.verdict === 'violated' && r.loop === null
          ? 'not checked: liveness is judged on the whole state graph, and the search stopped at the violation'
          : 'unknown: liveness is judged on the whole state graph (search cut short)';
      }
      if (r.verdict === 'violated')
        return p.kind === 'sometimes' ? 'not reached before the violation' : 'not violated in the states checked before it';
      if (p.kind === 'sometimes') return 'not reached yet (search cut short)';
      if (p.kind === 'deadlock') return 'no deadlock found yet (search cut short)';
      return `holds up to depth ${r.depth} (search cut short)`;
  }
}

export function formatProperties(r: RunReport): string[] {
  if (r.properties.length === 0) return ['properties: none'];
  const kindWidth = Math.max(...r.properties.map((p) => p.kind.length));
  const nameWidth = Math.max(...r.properties.map((p) => p.name.length));
  return ['properties:', ...r.properties.map((p) => `  ${p.kind.padEnd(kindWidth)}  ${p.name.padEnd(nameWidth)}  ${propertyStatus(p, r)}`)];
}

/** Action firing counts, wrapped to `width` columns. */
export function formatCoverage(r: RunReport, width = 100): string[] {
  const items = Object.entries(r.coverage).map(([a, n]) => `${a} ${count(n)}`);
  if (items.length === 0) return ['coverage: (none recorded)'];
  const lines: string[] = [];
  let line = 'coverage:';
  for (const item of items) {
    if (line.length + 2 + item.length > width && line.trim() !== 'coverage:') {
      lines.push(`${line},`);
      line = `  ${item}`;
    } else line = line.endsWith(':') ? `${line} ${item}` : `${line}, ${item}`;
  }
  lines.push(line);
  return lines;
}

/**
 * A trace for a person: numbered steps; with a clock, the time column t (the
 * number of clock steps so far); the model's sentence; then only what
 * changed in the view.
 */
export function formatTrace(trace: readonly TraceStepReport[], clock: string | null, loop: number | null = null): string[] {
  if (trace.length === 0) return [];
  const ticks = clock !== null;
  const times = ticksElapsed(trace, clock);
  const indexWidth = String(trace.length - 1).length;
  const timeWidth = String(times[times.length - 1]).length;
  const lines: string[] = [];
  trace.forEach((step, k) => {
    const prefix = `  ${String(k).padStart(indexWidth)}  ${ticks ? `t=${String(times[k]).padEnd(timeWidth)}  ` : ''}`;
    const indent = ' '.repeat(prefix.length + 2);
    if (k === 0) lines.push(`${prefix}${stepText(step)}: ${compact(step.state)}`);
    else {
      lines.push(`${prefix}${stepText(step)}`);
      const changes = diffViews(trace[k - 1].state, step.state);
      if (changes.length === 0) lines.push(`${indent}(no visible change)`);
      for (const c of changes) lines.push(`${indent}${formatDiffEntry(c)}`);
    }
    if (k === loop) {
      lines.push(
        k === trace.length - 1
          ? `${' '.repeat(prefix.length)}↻ stays in this state forever (nothing fair is enabled here)`
          : `${' '.repeat(prefix.length)}↻ the cycle starts here: ${stepsText(k + 1, trace.length - 1)} ${k + 1 === trace.length - 1 ? 'repeats' : 'repeat'} forever`,
      );
    }
  });
  if (loop !== null && loop < trace.length - 1) lines.push(`${' '.repeat(indexWidth + 4)}↻ back to the state after step ${loop}`);
  return lines;
}

/** The closing line of a violation: which property, after which step, and who breaks it. */
export function violationLine(r: RunReport): string {
  const steps = Math.max(0, r.trace.length - 1);
  if (r.property === 'deadlock')
    return `${r.property} after step ${steps}: no action is enabled in this state (deadlock is an error for this model)`;
  const about = r.propertyDescription !== null ? `: ${oneLine(r.propertyDescription)}` : '';
  const who = r.explanation !== null ? `\n  ${oneLine(r.explanation.text)}` : '';
  if (r.loop !== null) return `property ${r.property} is violated by ${lassoText(r)}${about}${who}`;
  if (violatedKind(r) === 'step') return `property ${r.property} is violated by step ${steps}${about}${who}`;
  return `property ${r.property} is violated after step ${steps}${about}${who}`;
}

/** The premises of the verdict: the faults in force and what it assumes, wrapped to `width`. */
export function formatPremises(r: Frame, width = 100): string[] {
  const faults = faultsText(r);
  const assumed = assumptionsText(r);
  return [
    ...(faults !== null ? hanging('faults in force: ', faults, width) : []),
    ...notJudgedText(r).flatMap((line) => hanging('', line, width)),
    ...(assumed !== null ? hanging('assuming: ', assumed, width) : []),
  ];
}

/** `label` then `text`, wrapped to `width`, continuation lines indented by two (and so wrapped two shorter). */
export function hanging(label: string, text: string, width: number): string[] {
  const [first, ...rest] = wrap(`${label}${text}`, width);
  if (rest.length === 0) return [first];
  return [first, ...wrap(rest.join(' '), width - 2).map((l) => `  ${l}`)];
}

/** Everything about one run, as text (no trailing newline). */
export function formatRun(r: RunReport): string {
  if (r.simulation !== undefined) return formatSimulation(r, r.simulation);
  const lines = [
    formatHeader(r),
    ...formatPremises(r),
    formatVerdict(r),
    ...formatProperties(r),
    ...formatCoverage(r),
    encodingCheckText(r),
    ...(r.memory != null ? [memoryText(r)!] : []),
  ];
  if (r.verdict === 'violated' && r.trace.length > 0) {
    const steps = r.trace.length - 1;
    const ticks = r.clock !== null ? '; t = ticks elapsed' : '';
    lines.push('');
    lines.push(
      r.loop === null
        ? `shortest trace (${counted(steps, 'step')}${ticks}):`
        : `lasso (a shortest stem of ${counted(r.loop, 'step')} to a cycle that repeats forever${ticks}):`,
    );
    lines.push(...formatTrace(r.trace, r.clock, r.loop));
    lines.push(violationLine(r));
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- simulate

/** "seed 7, swarm, weights tick=4,closeTab=0, 2 threads" */
function simulationSettings(r: RunReport, sim: SimulationSummary): string {
  const weights = Object.entries(sim.weights).map(([a, w]) => `${a}=${w}`);
  const parts = [
    `seed ${sim.seed}`,
    ...(sim.swarm ? ['swarm'] : []),
    ...(weights.length > 0 ? [`weights ${weights.join(',')}`] : []),
    `walks of up to ${counted(sim.maxSteps, 'step')}`,
    `${counted(r.workers, 'thread')}`,
  ];
  return parts.join(', ');
}

/** "simulate current: users=4 ... (symmetry on, safety only; seed 7, walks of up to 100 steps, 2 threads)" */
export function formatSimulationHeader(r: RunReport, sim: SimulationSummary): string {
  const what =
    r.design !== null && r.boundsText !== null
      ? `${r.design}: ${r.boundsText}`
      : `model ${r.model}${r.modelPath !== null ? ` from ${r.modelPath}` : ''}`;
  const base = settings(r);
  const inner = base === '' ? simulationSettings(r, sim) : `${base.slice(2, -1)}; ${simulationSettings(r, sim)}`;
  return `simulate ${what} (${inner})`;
}

/** "12 runs, 1,234 steps, 987 distinct states seen" */
function walkFigures(r: RunReport, sim: SimulationSummary): string {
  return `${counted(sim.runs, 'run')}, ${counted(sim.steps, 'step')}, ${counted(r.states, 'distinct state')} seen`;
}

/** Why the walks stopped before the runs asked for (or nothing when they did them all). */
function simulationStopText(r: RunReport, sim: SimulationSummary): string {
  switch (r.limit) {
    case 'max-time':
      return ` (--max-time ${(sim.maxTimeMs ?? 0) / 1000} s reached${sim.maxRuns !== null ? ` before the ${count(sim.maxRuns)} runs asked for` : ''})`;
    case 'interrupted':
      return ' (interrupted: Ctrl-C)';
    case 'memory':
      return ' (stopped: heap use passed 85% of the limit)';
    default:
      return '';
  }
}

export function formatSimulationVerdict(r: RunReport, sim: SimulationSummary): string {
  const timing = `in ${seconds(r.elapsedMs)}`;
  if (r.verdict === 'violated') {
    const steps = Math.max(0, r.trace.length - 1);
    const about = r.propertyDescription !== null ? ` (${oneLine(r.propertyDescription)})` : '';
    const found = sim.found !== null ? `found in run ${count(sim.found.run + 1)}` : 'found';
    const shrunk =
      sim.shrink !== null && sim.shrink.from !== sim.shrink.to ? `, shrunk from a walk of ${counted(sim.shrink.from, 'step')}` : '';
    const what = r.loop !== null ? `by ${lassoText(r)}` : `after ${counted(steps, 'step')}`;
    return `VIOLATED: ${r.property}${about} ${what} (${found}${shrunk}); ${walkFigures(r, sim)} ${timing}`;
  }
  return (
    `NONE FOUND: no property violated in ${walkFigures(r, sim)}${simulationStopText(r, sim)}, ${timing}; ` +
    'random walks sample the states, they prove nothing: this is not "holds"'
  );
}

function simulationPropertyStatus(p: PropertyResult, r: RunReport, sim: SimulationSummary): string {
  switch (p.status) {
    case 'violated':
      if (p.kind === 'leadsTo') return 'VIOLATED by a fair lasso a walk closed';
      return p.depth === undefined ? 'VIOLATED' : `VIOLATED after step ${p.depth} of the shrunk trace`;
    case 'reached': {
      const at = sim.reached[p.name];
      return at === undefined ? 'reached' : `reached (run ${count(at.run + 1)}, step ${at.step})`;
    }
    case 'unreached':
      return 'NOT REACHED by the walks (which proves nothing either way)';
    case 'none-found':
      return p.kind === 'deadlock'
        ? 'no deadlock found'
        : r.verdict === 'violated'
          ? 'not violated in the walks before the violation'
          : 'no violation found';
    case 'not-judged':
      return 'not judged (see liveness below)';
    default:
      return p.status;
  }
}

/** What the walks could say about the leadsTo properties, or null when the model has none. */
export function simulationLivenessText(r: RunReport, sim: SimulationSummary): string | null {
  const live = r.properties.filter((p) => p.kind === 'leadsTo');
  if (live.length === 0) return null;
  const notJudged = live.filter((p) => p.status === 'not-judged').length;
  if (notJudged === 0) return null;
  const looked =
    sim.lassos === 0
      ? 'no walk closed a lasso (came back to a state, or reached one that nothing fair leaves)'
      : `the walks closed ${counted(sim.lassos, 'lasso')} (a state visited again, or one that nothing fair leaves) that were judged as behaviours: ` +
        `${r.verdict === 'violated' && r.loop !== null ? 'one is' : 'none is'} a fair behaviour that violates a leadsTo property`;
  return `a finite walk cannot judge a leadsTo property, so ${notJudged === live.length ? 'none' : `${notJudged} of ${live.length}`} ${notJudged === 1 ? 'is' : 'are'} judged; ${looked}`;
}

/** A simulation, as text (no trailing newline). */
export function formatSimulation(r: RunReport, sim: SimulationSummary): string {
  const lines = [formatSimulationHeader(r, sim), ...formatPremises(r), formatVerdict(r), ...formatProperties(r), ...formatCoverage(r)];
  const never = r.vacuity.unfiredActions;
  if (never.length > 0) lines.push(`never taken: ${never.join(', ')}`);
  const live = simulationLivenessText(r, sim);
  if (live !== null) lines.push(...hanging('liveness: ', live, 100));
  lines.push(encodingCheckText(r));
  if (r.verdict === 'violated' && r.trace.length > 0) {
    const steps = r.trace.length - 1;
    const ticks = r.clock !== null ? '; t = ticks elapsed' : '';
    const shrunk =
      sim.shrink === null
        ? 'not shrunk'
        : sim.shrink.from === sim.shrink.to
          ? `the walk as found: shrinking (${counted(sim.shrink.replays, 'replay')}) found nothing shorter`
          : `shrunk from ${counted(sim.shrink.from, 'step')} in ${counted(sim.shrink.replays, 'replay')}`;
    lines.push('');
    lines.push(
      r.loop === null
        ? `trace (${counted(steps, 'step')}, ${shrunk}${ticks}):`
        : `lasso (a stem of ${counted(r.loop, 'step')} to a cycle that repeats forever, ${shrunk}${ticks}):`,
    );
    lines.push(...formatTrace(r.trace, r.clock, r.loop));
    lines.push(violationLine(r));
  }
  if (r.rerun !== null) lines.push('', `rerun: ${r.rerun}`);
  return lines.join('\n');
}

/** The figures after a simulation's progress bar: runs, steps, distinct states, rate, time, memory. */
export function formatSimulationProgress(p: SimulationProgress, rssBytes: number): string {
  const rateText = p.elapsedMs > 0 ? `${count((p.steps * 1000) / p.elapsedMs)} steps/s` : '- steps/s';
  return (
    `${counted(p.runs, 'run')}, ${counted(p.steps, 'step')}, ${counted(p.states, 'distinct state')}, ` +
    `${rateText}, ${seconds(p.elapsedMs)}, ${(rssBytes / 2 ** 30).toFixed(1)} GiB`
  );
}

// ---------------------------------------------------------------- model error

/** A throw from the model's code: what threw, the state it was in and the run that got there (no trailing newline). */
export function formatModelError(r: ModelErrorReport, withStack: boolean): string {
  const where = r.design !== null && r.boundsText !== null ? `design ${r.design} (${r.boundsText})` : `model ${r.model}`;
  const lines = [`model error in ${where}: ${oneLine(r.message)}`];
  if (r.trace.length > 0) {
    const steps = r.trace.length - 1;
    const state = steps === 0 ? 'the initial state' : `the state after step ${steps}`;
    lines.push(`in ${state}, reached by this run (${counted(steps, 'step')}):`, ...formatTrace(r.trace, r.clock));
  }
  if (withStack && r.stack !== null) lines.push('', r.stack);
  return lines.join('\n');
}

// ---------------------------------------------------------------- replay

/** "step 9 (connect u1, line 23)" */
export function replayStepName(step: number, label: string, line: number | null): string {
  return `step ${step} (${label}${line !== null ? `, line ${line}` : ''})`;
}

const SOURCE_TEXT: Readonly<Record<ReplayReport['source'], string>> = {
  scenario: '',
  json: ' (a JSON trace)',
  itf: ' (an ITF trace)',
  markdown: ' (a Markdown trace)',
  mermaid: ' (a Mermaid trace)',
};

export function formatReplayHeader(r: ReplayReport): string {
  const what = SOURCE_TEXT[r.source];
  const initial = r.initial === 0 ? '' : `, from initial state ${r.initial}`;
  if (r.design !== null && r.boundsText !== null) {
    const from = r.designFrom === 'flag' ? '--design' : 'from the file';
    const faults =
      r.faults !== null && r.faults.length > 0 ? `, faults ${r.faults.map((f) => faultWithBounds(f, r.faultBounds)).join(', ')}` : '';
    return `replay ${r.file}${what}: design ${r.design} (${from}), ${r.boundsText}${faults}${initial}`;
  }
  return `replay ${r.file}${what}: model ${r.model}${r.modelPath !== null ? ` from ${r.modelPath}` : ''}${initial}`;
}

/** The verdict line: the verdict's word (REPLAY_VERDICTS), then what it rests on. */
export function formatReplayVerdict(r: ReplayReport): string {
  return `${REPLAY_VERDICTS[r.verdict].word}: ${verdictDetail(r)}`;
}

function verdictDetail(r: ReplayReport): string {
  const ne = r.notEnabled;
  const all = `${r.steps === 1 ? 'the one step' : `all ${r.steps} steps`} replayed`;
  const last = r.trace.length - 1;
  switch (r.verdict) {
    case 'holds':
      return `${all}; every invariant holds after each step`;
    case 'violated': {
      const v = r.violation!;
      if (r.lasso?.violates.includes(v.property))
        return `${v.property} (${oneLine(v.description)}) by the lasso: ${cycleText(r.lasso.loop, last)}`;
      const where = v.line !== null ? ` (line ${v.line})` : '';
      const stopped = ne !== null ? `; then step ${ne.step} is not enabled and the replay stops there` : '';
      const kind = r.properties.find((p) => p.name === v.property)?.kind;
      return `${v.property} (${oneLine(v.description)}) ${kind === 'step' ? 'by' : 'after'} step ${v.step}${where} of ${r.steps}${stopped}`;
    }
    case 'not-enabled':
      return (
        `${replayStepName(ne!.step, ne!.label, ne!.line)} of ${r.steps} cannot be taken; every invariant holds ` +
        (r.replayed === 0 ? 'in the initial state' : r.replayed === 1 ? 'after step 1' : `after each of steps 1-${r.replayed}`)
      );
    case 'not-a-lasso':
      return `${all} and every invariant holds, but the state after step ${last} is not the state after step ${r.lasso!.loop}, so the cycle does not close: no liveness property is judged`;
    case 'unfair-lasso':
      return `${all} and every invariant holds, but on the cycle (${cycleText(r.lasso!.loop, last)}) ${r.lasso!.unfair.join(', ')} ${r.lasso!.unfair.length === 1 ? 'is' : 'are'} not treated fairly: no liveness property is judged`;
  }
}

/** "steps 11-17 repeat forever, after 10 steps" / "it stays in the state after step 12 forever" */
function cycleText(loop: number, last: number): string {
  return loop === last
    ? `it stays in the state after step ${loop} forever`
    : `${stepsText(loop + 1, last)} ${loop + 1 === last ? 'repeats' : 'repeat'} forever, after ${counted(loop, 'step')}`;
}

/** What the replay says of the file's lasso: whether it is a behaviour at all. */
function lassoLine(r: ReplayReport): string | null {
  const l = r.lasso;
  if (l === null) return null;
  const last = r.trace.length - 1;
  if (!l.closes) return `not a lasso: the state after step ${last} is not the state after step ${l.loop}, so the cycle does not close`;
  if (l.unfair.length > 0)
    return `not a fair behaviour (${cycleText(l.loop, last)}): ${l.unfair.join(', ')} ${l.unfair.length === 1 ? 'is' : 'are'} not treated fairly on the cycle`;
  return `a fair behaviour: ${cycleText(l.loop, last)}; ${l.violates.length === 0 ? 'it violates no liveness property' : `it violates ${l.violates.join(', ')}`}`;
}

function replayPropertyStatus(p: ReplayReport['properties'][number]): string {
  switch (p.status) {
    case 'holds':
      return 'holds';
    case 'violated':
      return p.kind === 'leadsTo'
        ? 'VIOLATED by the lasso'
        : p.kind === 'step'
          ? `VIOLATED by step ${p.step}`
          : p.step === 0
            ? 'VIOLATED in the initial state'
            : `VIOLATED after step ${p.step}`;
    case 'reached':
      return p.step === 0 ? 'reached in the initial state' : `reached at step ${p.step}`;
    case 'unreached':
      return 'not reached';
    case 'not-judged':
      return 'not judged (only a lasso, a run with a loop that is a fair behaviour, can violate it)';
  }
}

/** A replay, as text (no trailing newline): header, verdict, properties, the trace, and the closing lines. */
export function formatReplay(r: ReplayReport): string {
  const lines = [formatReplayHeader(r), ...(r.notJudged ?? []).map(notJudgedLine), formatReplayVerdict(r)];
  const lasso = lassoLine(r);
  if (lasso !== null) lines.push(lasso);
  if (r.expected !== null) {
    const e = r.expected;
    const found = e.property === null ? e.verdict : e.step === null ? `${e.property}, by a lasso` : `${e.property} after step ${e.step}`;
    lines.push(e.agrees ? `as the check that wrote it found: ${found}` : `DIFFERS from the check that wrote it, which found: ${found}`);
  }
  if (r.properties.length > 0) {
    const kindWidth = Math.max(...r.properties.map((p) => p.kind.length));
    const nameWidth = Math.max(...r.properties.map((p) => p.name.length));
    lines.push(
      'properties:',
      ...r.properties.map((p) => `  ${p.kind.padEnd(kindWidth)}  ${p.name.padEnd(nameWidth)}  ${replayPropertyStatus(p)}`),
    );
  } else lines.push('properties: none');
  const taken = r.replayed === r.steps ? counted(r.steps, 'step') : `${r.replayed} of ${r.steps} steps replayed`;
  lines.push(
    '',
    `trace (${taken}${r.clock !== null ? '; t = ticks elapsed' : ''}):`,
    ...formatTrace(r.trace, r.clock, r.lasso?.loop ?? null),
  );
  if (r.violation !== null) {
    const v = r.violation;
    if (v.property === 'deadlock')
      lines.push(`deadlock after step ${v.step}: no action is enabled in this state (deadlock is an error for this model)`);
    else if (r.lasso?.violates.includes(v.property))
      lines.push(`property ${v.property} is violated by this lasso: ${oneLine(v.description)}`);
    else {
      const kind = r.properties.find((p) => p.name === v.property)?.kind;
      lines.push(
        v.step === 0
          ? `property ${v.property} is violated in the initial state: ${oneLine(v.description)}`
          : `property ${v.property} is violated ${kind === 'step' ? 'by' : 'after'} step ${v.step}: ${oneLine(v.description)}`,
      );
    }
  }
  if (r.notEnabled !== null) {
    const ne = r.notEnabled;
    lines.push(`${replayStepName(ne.step, ne.label, ne.line)} is not enabled: ${oneLine(ne.reason)}`);
  }
  return lines.join('\n');
}

// ----------------------------------------------------------------- table

export interface TableLayout {
  readonly design: number;
  readonly property: number;
}

export function tableLayout(labels: readonly string[], propertyNames: readonly string[]): TableLayout {
  return {
    design: Math.max('design'.length, ...labels.map((l) => l.length)),
    property: Math.max('property'.length, '(interrupted, depth 99)'.length, ...propertyNames.map((n) => n.length)),
  };
}

const VERDICT_WIDTH = 'incomplete'.length;

function row(layout: TableLayout, cells: readonly string[]): string {
  const [design, verdict, property, trace, states, transitions, time] = cells;
  return [
    design.padEnd(layout.design),
    verdict.padEnd(VERDICT_WIDTH),
    property.padEnd(layout.property),
    trace.padStart(5),
    states.padStart(11),
    transitions.padStart(12),
    time.padStart(9),
  ]
    .join('  ')
    .trimEnd();
}

export function tableHeader(layout: TableLayout): string {
  return row(layout, ['design', 'verdict', 'property', 'trace', 'states', 'transitions', 'time']);
}

export function tableRow(layout: TableLayout, label: string, r: RunReport): string {
  const verdict = r.verdict === 'holds' || r.verdict === 'incomplete' || r.verdict === 'none-found' ? r.verdict : r.verdict.toUpperCase();
  const property = r.verdict === 'incomplete' ? `(${r.limit ?? 'stopped'}, depth ${r.depth})` : (r.property ?? '-');
  const trace = r.verdict === 'violated' ? String(r.trace.length - 1) : '-';
  return row(layout, [label, verdict, property, trace, count(r.states), count(r.transitions), seconds(r.elapsedMs)]);
}

/**
 * What the table's verdicts rest on: the faults and the assumptions every
 * design shares, once, then what each design adds (its timing condition, the
 * faults asked for that cannot touch it). A table of bare "holds" would hide
 * its premises.
 */
export function tablePremises(done: readonly { label: string; report: RunReport }[], width = 100): string[] {
  if (done.length === 0) return [];
  const assumed = done.map((d) => d.report.assumptions ?? []);
  const shared = assumed[0].filter((a) => assumed.every((list) => list.includes(a)));
  const lines: string[] = [];
  // every design was asked for the same faults; each says which of them can touch it
  const asked: string[] = [];
  for (const { report } of done)
    for (const f of [...(report.faults?.inForce ?? []), ...(report.faults?.notApplicable ?? [])]) if (!asked.includes(f)) asked.push(f);
  // every design was given the same fault bounds: the first run that names a fault's bounds names them for all
  const bounded = (f: string) =>
    faultWithBounds(
      f,
      done.flatMap((d) => d.report.faultBounds ?? []),
    );
  if (done[0].report.faults !== null)
    lines.push(...hanging('faults in force: ', asked.length === 0 ? 'none' : asked.map(bounded).join(', '), width));
  if (shared.length > 0) lines.push(...hanging('every design assumes: ', shared.join('; '), width));
  // designs with the same additions share a line, in table order
  const extras = new Map<string, string[]>();
  done.forEach((d, i) => {
    const own = assumed[i].filter((a) => !shared.includes(a));
    const na = d.report.faults?.notApplicable ?? [];
    const parts = [
      ...(d.report.notJudged ?? []).map(notJudgedLine),
      ...own,
      ...(na.length > 0 ? [`cannot be touched by ${na.join(', ')}`] : []),
    ];
    if (parts.length === 0) return;
    const key = parts.join('; ');
    extras.set(key, [...(extras.get(key) ?? []), d.label]);
  });
  for (const [text, labels] of extras) lines.push(...hanging(`${labels.join(', ')} also: `, text, width));
  return lines;
}

/** Lines under the table: how to see a trace, or nothing when every design holds. */
export function tableFooter(done: readonly { label: string; report: RunReport }[], notRun: readonly string[]): string[] {
  const lines: string[] = [];
  const violated = done.filter((d) => d.report.verdict === 'violated');
  const vacuous = done.filter((d) => d.report.verdict === 'vacuous');
  const incomplete = done.filter((d) => d.report.verdict === 'incomplete');
  if (violated.length > 0) {
    lines.push(`violated: ${violated.map((d) => d.label).join(', ')}`);
    const rerun = violated[0].report.rerun;
    if (rerun !== null)
      lines.push(
        violated[0].report.simulation !== undefined
          ? `for its shrunk trace, simulate one design alone, e.g.: ${rerun}`
          : `for a shortest trace, check one design alone, e.g.: ${rerun}`,
      );
  }
  if (vacuous.length > 0) {
    lines.push(
      `vacuous: ${vacuous.map((d) => d.label).join(', ')} (a witness never reached or an action never fired; check one alone for the list)`,
    );
  }
  if (incomplete.some((d) => d.report.limit !== 'interrupted')) {
    lines.push('incomplete: a limit stopped the search first; no violation within the depth shown');
  }
  if (notRun.length > 0) lines.push(`interrupted: not checked: ${notRun.join(', ')}`);
  return lines;
}

/** The figures after the progress bar: states, frontier, rate, time, memory. */
export function formatProgress(p: Progress, rssBytes: number): string {
  return (
    `${count(p.states)} states, frontier ${count(p.frontier)}, ` +
    `${rate(p.states, p.elapsedMs)}, ${seconds(p.elapsedMs)}, ${(rssBytes / 2 ** 30).toFixed(1)} GiB` +
    (p.spilled !== undefined && p.spilled > 0 ? `, ${bytesText(p.spilled)} spilled` : '')
  );
}
