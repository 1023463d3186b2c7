// The checker's public API: what a model (ours or a user's) is built from,
// and the search. Nothing here knows about presence.
export type {
  ActionDef, AnyProperty, CheckOptions, CheckResult, Fairness, IntSink, LeadsToProperty, Limit, LiveModel, Model, Params,
  Progress, Property, PropertyResult, StateCodec, Step, TraceStep, Verdict,
} from './types.ts';
export { check } from './bfs.ts';
export { checkParallel, loadModelSource, type ModelSource, type ParallelOptions, type WorkerFactory } from './parallel.ts';
export { DEADLOCK } from './types.ts';
export { formatParams, replay, type ReplayResult, type ScenarioStep } from './replay.ts';
export { encodeValue } from './encode.ts';
export { always, sometimes, leadsTo, eventually, alwaysEventually, action, isModel } from './define.ts';
export { MAX_ROUNDS } from './liveness.ts';
