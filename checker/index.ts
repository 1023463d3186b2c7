// The checker's public API: what a model (ours or a user's) is built from,
// and the search. Nothing here knows about presence.
export type {
  ActionDef,
  AnyProperty,
  Arrow,
  CheckOptions,
  CheckResult,
  EncodingCheck,
  Explanation,
  Fairness,
  IntSink,
  InvariantProperty,
  Lane,
  LeadsToProperty,
  Limit,
  LiveModel,
  Model,
  Params,
  Progress,
  Property,
  PropertyResult,
  StateCodec,
  StateProperty,
  Step,
  StepProperty,
  Symmetry,
  TraceStep,
  Verdict,
  WitnessProperty,
} from './types.ts';
export { DEADLOCK } from './types.ts';
export { check, DEFAULT_ENCODING_SAMPLE } from './bfs.ts';
export { checkParallel, loadModelSource, type ModelSource, type ParallelOptions, type WorkerFactory } from './parallel.ts';
export { startWorker, canStartTsWorkers } from './worker-spawn.ts';
export {
  formatParams,
  hasSuccessor,
  replay,
  sameParams,
  type ReplayedProperty,
  type ReplayOptions,
  type ReplayResult,
  type ScenarioStep,
} from './replay.ts';
export { bindingsOf, forEachSuccessor } from './successors.ts';
export { encodeValue } from './encode.ts';
export { differenceOf, valueEquals, type Difference } from './equal.ts';
export { encodingSelfCheck, findEncodingClash, type SelfCheck } from './encoding-check.ts';
export { modelProblems } from './validate.ts';
export { always, alwaysStep, sometimes, leadsTo, eventually, alwaysEventually, action, isModel } from './define.ts';
export { MAX_ROUNDS } from './liveness.ts';
export {
  simulate,
  isSimulationProgress,
  DEFAULT_MAX_STEPS,
  DEFAULT_RUNS,
  MAX_SEED,
  type SimulateOptions,
  type SimulationProgress,
  type SimulationResult,
  type SimulationSummary,
} from './simulate.ts';
export { simulateParallel, type ParallelSimulateOptions } from './simulate-parallel.ts';
export { shrinkViolation, shrinkLasso, type ShrinkOptions, type ShrinkResult } from './shrink.ts';
export { Random } from './random.ts';
export {
  STRATEGIES,
  bfsStrategy,
  livenessStrategy,
  simulateStrategy,
  exhaustiveStrategyFor,
  type Strategy,
  type StrategyName,
  type Threads,
} from './strategy.ts';
export { createVisitedSet, type VisitedKind, type VisitedSet } from './visited.ts';
export { MemorySpillStore, type MemoryOptions, type MemoryUse, type SpillStore } from './spill.ts';
export { judgeLasso, lassoShape, type LassoJudgement } from './lasso.ts';
export {
  CodecLossError,
  EncodingClashError,
  EncodingRangeError,
  ModelCodeError,
  ModelDefinitionError,
  UnencodableValueError,
  causeText,
  type ModelPart,
} from './errors.ts';
