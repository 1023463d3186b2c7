// What a run ends in, as plain data: the check's verdict and figures, the
// trace with each state as the model's view and each step in the model's
// words, and everything an exporter needs to draw it (lanes, arrows, the
// clock, who breaks the property). The text report, --json, the trace
// exports and the matrix are all made from these; a worker thread posts
// them back as they are. Nothing here knows a model.
import type {
  Arrow,
  EncodingCheck,
  Explanation,
  Lane,
  Limit,
  MemoryUse,
  Params,
  PropertyResult,
  SimulationSummary,
  Verdict,
} from '../checker/index.ts';

/**
 * What was checked, as one plain JSON value: the job description the command
 * line builds and every search builds its model from (cli/jobs.ts: a design
 * with every switch, its bounds, faults and options, or a --model file).
 * Every trace records it, and replay rebuilds the model from it. Reports and
 * exports carry it as it is, and read none of its fields.
 */
export interface JobRecord {
  readonly kind: string;
  readonly [field: string]: unknown;
}

export interface TraceStepReport {
  /** 0 for the initial state */
  readonly index: number;
  /** null for the initial state */
  readonly action: string | null;
  readonly params: Params;
  /** the model's sentence for the step (action(params) when it has none) */
  readonly description: string;
  /** the model's view of the state after the step (plain data: see report/view.ts) */
  readonly state: unknown;
  /** how the step travels in a sequence diagram, when the model says */
  readonly arrow?: Arrow;
}

/** A named set of bounds a check started from (check --preset), and the bound flags that overrode it. */
export interface PresetUse {
  readonly name: string;
  /** the bound flags given, each overriding the preset's value (e.g. users) */
  readonly overridden: readonly string[];
}

/** A fault in force that takes bounds, and the bounds the run put on it (model/assumptions.ts faultBoundsOf). */
export interface FaultBoundsReport {
  readonly fault: string;
  readonly bounded: boolean;
  /** each bound by name: a number, or null for unbounded */
  readonly bounds: Readonly<Record<string, number | null>>;
  /** "presence-flap bounded: a flap lasts ≤ 1 tick, ≤ 1 flap a connection" */
  readonly text: string;
}

/** A property not judged, because a fault in force lifts its premise (model/assumptions.ts notJudgedOf). */
export interface NotJudgedReport {
  readonly property: string;
  readonly fault: string;
  /** the guarantee the fault takes away, which the property rests on */
  readonly premise: string;
  readonly why: string;
}

/** What was checked, and how: the part of a report that does not depend on the outcome. */
export interface Frame {
  /** the design checked (a variant of the model), or null for a --model run */
  readonly design: string | null;
  /** the checked model's name, e.g. presence/current */
  readonly model: string;
  /** the --model file (absolute), or null */
  readonly modelPath: string | null;
  /** the bounds, by name, or null for a --model run */
  readonly bounds: Readonly<Record<string, number>> | null;
  /** the bounds as the command line names them, e.g. "users=2 tabs=2 lag=1" */
  readonly boundsText: string | null;
  /** the preset the bounds started from (check), or null when they were given otherwise (matrix, replay, --model, a library call) */
  readonly preset: PresetUse | null;
  /** whether the symmetry reduction was asked for (for a presence design; null for a --model run) */
  readonly symmetry: boolean | null;
  /**
   * whether states were merged by it (asked for; with liveness too, fairness instances and per-user
   * properties followed through the renamings: docs/model.md, Symmetry); null for a --model run
   */
  readonly symmetryApplied: boolean | null;
  /** whether liveness (leadsTo) properties were checked: they need the whole state graph, and fairness */
  readonly liveness: boolean;
  /** for a presence design checked for liveness: whether the environment was assumed to settle (null otherwise) */
  readonly settles: boolean | null;
  /**
   * the faults in force, and those asked for that cannot touch the design
   * (null for a model without faults)
   */
  readonly faults: { readonly inForce: readonly string[]; readonly notApplicable: readonly string[] } | null;
  /** what the verdict rests on: timing, the infrastructure's guarantees not lifted by a fault, the rest (null: none stated) */
  readonly assumptions: readonly string[] | null;
  /**
   * each fault in force that takes bounds (presence-flap: --flap-ticks, --flaps), bounded or not, in words; null for a model
   * without faults. (Absent from a report an older presence-check wrote.)
   */
  readonly faultBounds?: readonly FaultBoundsReport[] | null;
  /**
   * the properties of the design this run did not judge, because a fault in force lifts their premise (--judge NAME judges
   * one); null for a model without faults. (Absent from a report an older presence-check wrote.)
   */
  readonly notJudged?: readonly NotJudgedReport[] | null;
  readonly exact: boolean;
  readonly limits: { readonly maxStates: number | null; readonly maxTimeMs: number | null; readonly maxDepth: number | null };
  /** the command line that repeats this check, when there is one */
  readonly rerun: string | null;
  /** the job description the model was built from (replay rebuilds it from this) */
  readonly job: JobRecord;
}

export interface RunReport extends Frame {
  /** threads that expanded states (1: the search stayed in one thread, being small, exact or without a codec) */
  readonly workers: number;
  readonly verdict: Verdict;
  readonly property: string | null;
  /** the description of `property`, when it names one */
  readonly propertyDescription: string | null;
  readonly states: number;
  readonly transitions: number;
  /** transitions recorded for liveness, and the bytes they took (0 without liveness) */
  readonly edges: number;
  readonly graphBytes: number;
  /**
   * for a lasso (a violated liveness property): the index in `trace` where
   * the cycle starts; the behaviour goes round trace[loop..] forever (its last
   * state is trace[loop] again), or stays in trace[loop] forever when it is
   * the last index. null for any other trace.
   */
  readonly loop: number | null;
  /** a lasso's cycle: its steps (trace.length - 1 - loop; 0 for a stutter); null for any other trace */
  readonly cycleLength: number | null;
  readonly depth: number;
  readonly elapsedMs: number;
  /** what the encoding self-check covered before the search (states, and whether that was all of them) */
  readonly encodingCheck: EncodingCheck;
  readonly coverage: Readonly<Record<string, number>>;
  readonly properties: readonly PropertyResult[];
  readonly limit: Limit | null;
  readonly vacuity: { readonly unreachedWitnesses: readonly string[]; readonly unfiredActions: readonly string[] };
  /** the index (in the model's init) of the initial state the trace starts from, or null without a trace */
  readonly initial: number | null;
  readonly trace: readonly TraceStepReport[];
  /** who and what break the violated property, in the model's words (null without a violation) */
  readonly explanation: Explanation | null;
  /** the model's diagram lanes (null: one lane for the whole model) */
  readonly lanes: readonly Lane[] | null;
  /** the model's clock action (steps of it are ticks: t = ...), or null when time is not modelled */
  readonly clock: string | null;
  /** the parts of the view keyed by data, not by field (exported as maps) */
  readonly viewMaps: readonly string[] | null;
  /**
   * check --memory N: what spilled to disk, and when, and the memory figures
   * (checker MemoryUse); absent without --memory
   */
  readonly memory?: MemoryUse;
  /**
   * present for a `simulate` run (random walks): the seed, the runs and steps
   * taken, the shrinking; its verdict is `violated` or `none-found`, never
   * `holds`, and `states` counts the distinct states the walks went through
   */
  readonly simulation?: SimulationSummary;
}

/** The model's own code threw during a check: where, and the shortest run that got there. */
export interface ModelErrorReport extends Frame {
  readonly error: 'model';
  /** the sentence saying which piece of the model threw, and its message */
  readonly message: string;
  /** the model's stack trace of the throw */
  readonly stack: string | null;
  readonly part: string;
  readonly action: string | null;
  readonly params: Params | null;
  readonly property: string | null;
  /** the run to the state in which it threw (its last state) */
  readonly trace: readonly TraceStepReport[];
  readonly clock: string | null;
}

export interface ReplayTraceStep extends TraceStepReport {
  /** the step's line in the scenario file (null for the initial state) */
  readonly line: number | null;
}

export interface ReplayPropertyResult {
  readonly name: string;
  readonly kind: PropertyResult['kind'];
  readonly description: string;
  /**
   * always/step/deadlock: holds | violated; sometimes: reached | unreached (over the steps replayed);
   * leadsTo: violated or holds on a lasso (a trace with a loop), not-judged on a finite run
   */
  readonly status: 'holds' | 'violated' | 'reached' | 'unreached' | 'not-judged';
  /** the first step after which it fails (always), by which it fails (step), or after which it holds (sometimes); 0 = the initial state */
  readonly step?: number;
}

/**
 * The verdicts of a replay: the word each is printed with, whether it passes
 * (exit 0; any other exits 1: cli/exit.ts), and what it means (docs/cli.md
 * lists them; specs/replay.test.ts holds the two together).
 */
export const REPLAY_VERDICTS = {
  holds: {
    word: 'holds',
    passes: true,
    means:
      'every step replayed, every invariant and step property held, no deadlock after the last step, and a lasso violates no liveness property',
  },
  violated: {
    word: 'VIOLATED',
    passes: false,
    means: 'an invariant or a step property failed, the last state is a deadlock, or a fair lasso violates a liveness property',
  },
  'not-enabled': {
    word: 'NOT ENABLED',
    passes: false,
    means: 'a step could not be taken (its guard is false): the run so far and the reason are printed',
  },
  'not-a-lasso': {
    word: 'NOT A LASSO',
    passes: false,
    means: 'the file gives a loop, but the last state is not the state after the loop step: no liveness property is judged',
  },
  'unfair-lasso': {
    word: 'NOT A FAIR BEHAVIOUR',
    passes: false,
    means: 'the lasso closes, but neglects a fair action on its cycle (or repeats a finite one): no liveness property is judged',
  },
} as const;

export type ReplayVerdict = keyof typeof REPLAY_VERDICTS;

export interface ReplayReport {
  readonly command: 'replay';
  /** the scenario or trace file, as given */
  readonly file: string;
  /** what the file is: a scenario, or a trace written by check --trace-out (json, itf, markdown or mermaid) */
  readonly source: 'scenario' | 'json' | 'itf' | 'markdown' | 'mermaid';
  /** the design, or null for --model */
  readonly design: string | null;
  /** where the design came from */
  readonly designFrom: 'flag' | 'file' | null;
  readonly model: string;
  readonly modelPath: string | null;
  readonly bounds: Readonly<Record<string, number>> | null;
  readonly boundsText: string | null;
  /** the faults in force (null for a model without faults) */
  readonly faults: readonly string[] | null;
  /** the bounds on each fault in force that takes bounds, as in a run's report (absent in a report an older presence-check wrote) */
  readonly faultBounds?: readonly FaultBoundsReport[] | null;
  /** the properties the replayed model leaves unjudged, as in a run's report (absent in a report an older presence-check wrote) */
  readonly notJudged?: readonly NotJudgedReport[] | null;
  /** the job description the model was built from: the trace's own, with what the command line overrides */
  readonly job: JobRecord;
  /** which of the model's initial states the run starts from (0-based) */
  readonly initial: number;
  /** see REPLAY_VERDICTS */
  readonly verdict: ReplayVerdict;
  /** steps in the file */
  readonly steps: number;
  /** steps taken */
  readonly replayed: number;
  /**
   * a lasso (the file gave a loop): the run goes round the steps after `loop`
   * forever. `closes`: the last step leads back to exactly the state after
   * step `loop`; `unfair`: the fair actions the cycle neglects, or the finite
   * ones it repeats (a lasso that does not close or is unfair is no
   * behaviour, so no liveness property is judged on it); `violates`: the
   * liveness properties it violates when it is one.
   */
  readonly lasso: {
    readonly loop: number;
    readonly closes: boolean;
    readonly unfair: readonly string[];
    readonly violates: readonly string[];
  } | null;
  /** the first property to fail (earliest step, then declaration order; deadlock after the last step; a lasso's at its last step) */
  readonly violation: {
    readonly property: string;
    readonly description: string;
    readonly step: number;
    readonly line: number | null;
  } | null;
  /** for a trace file: what check had found, and whether the replay agrees (same property, same step) */
  readonly expected: {
    readonly verdict: string;
    readonly property: string | null;
    readonly step: number | null;
    readonly agrees: boolean;
  } | null;
  /** the step that could not be taken, and why */
  readonly notEnabled: {
    readonly step: number;
    readonly line: number | null;
    readonly action: string;
    readonly params: Params;
    /** e.g. "connect u1" */
    readonly label: string;
    readonly reason: string;
  } | null;
  readonly properties: readonly ReplayPropertyResult[];
  /** the initial state and the state after each step taken */
  readonly trace: readonly ReplayTraceStep[];
  readonly clock: string | null;
}
