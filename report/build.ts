// From a checker result and the model to a RunReport: each state through the
// model's view, each step in the action's own words (or the model's, or
// action(params)), its diagram arrow, and who breaks a violated property.
// Runs where the model is (a worker thread builds its report itself).
import {
  DEADLOCK,
  ModelCodeError,
  causeText,
  formatParams,
  type ActionDef,
  type CheckResult,
  type Model,
  type Params,
  type SimulationResult,
  type TraceStep,
} from '../checker/index.ts';
import type { Frame, ModelErrorReport, RunReport, TraceStepReport } from './types.ts';
import { plain } from './view.ts';

/** A state as plain data: the model's view, else the state made plain. */
export function viewOf<S>(model: Model<S>, state: S): unknown {
  if (!model.view) return plain(state);
  try {
    return plain(model.view(state));
  } catch (e) {
    throw new ModelCodeError('view', e, [], null, null, null);
  }
}

/** The model's sentence for a step: the action's describe, else the model's, else action(params). */
export function describeStep<S>(model: Model<S>, action: string, params: Params, from: S, to: S): string {
  const def = model.actions.find((a) => a.name === action) as ActionDef<S, Params> | undefined;
  let said: string | undefined;
  try {
    said = def?.describe?.({ from, action, params }, to) ?? model.describe?.({ from, action, params }, to);
  } catch (e) {
    throw new ModelCodeError('describe', e, [], action, params, null);
  }
  if (said !== undefined && said.trim() !== '') return said;
  return `${action}(${formatParams(params)})`;
}

/** A trace's steps as plain data: views, sentences, arrows. */
export function traceReport<S>(model: Model<S>, trace: readonly TraceStep<S>[]): TraceStepReport[] {
  return trace.map((step, index) => {
    if (step.action === null)
      return { index, action: null, params: step.params, description: 'initial state', state: viewOf(model, step.state) };
    const def = model.actions.find((a) => a.name === step.action) as ActionDef<S, Params> | undefined;
    const arrow = def?.arrow?.(step.params);
    return {
      index,
      action: step.action,
      params: step.params,
      description: describeStep(model, step.action, step.params, trace[index - 1].state, step.state),
      state: viewOf(model, step.state),
      ...(arrow !== undefined ? { arrow } : {}),
    };
  });
}

/** The name of the model's clock action (its steps are ticks), if it has one. */
export const clockOf = (model: Model<unknown>): string | null => model.actions.find((a) => a.clock === true)?.name ?? null;

export function buildRunReport<S>(model: Model<S>, result: CheckResult<S>, frame: Frame): RunReport {
  const trace = traceReport(model, result.trace);
  const named = result.property === null ? undefined : model.properties.find((p) => p.name === result.property);
  const n = result.trace.length;
  const last = n > 0 ? result.trace[n - 1] : undefined;
  let explanation = null;
  if (result.verdict === 'violated' && last !== undefined && named !== undefined) {
    try {
      if (named.kind === 'step') {
        // a step property is explained on the offending step: the trace's last
        explanation =
          n > 1 && last.action !== null
            ? (named.explain?.({ from: result.trace[n - 2].state, action: last.action, params: last.params }, last.state) ?? null)
            : null;
      } else explanation = named.explain?.(last.state) ?? null;
    } catch (e) {
      throw new ModelCodeError('property', e, result.trace, null, null, named.name);
    }
  }
  return {
    ...frame,
    model: model.name,
    workers: result.workers,
    verdict: result.verdict,
    property: result.property,
    propertyDescription: named?.description ?? (result.property === DEADLOCK.name ? DEADLOCK.description : null),
    states: result.states,
    transitions: result.transitions,
    edges: result.edges,
    graphBytes: result.graphBytes,
    loop: result.loop,
    cycleLength: result.loop === null ? null : n - 1 - result.loop,
    depth: result.depth,
    elapsedMs: result.elapsedMs,
    encodingCheck: result.encodingCheck,
    // only under a memory budget: a report without one is what it was before --memory
    ...(result.memory !== null ? { memory: result.memory } : {}),
    coverage: result.coverage,
    properties: result.properties,
    limit: result.limit,
    vacuity: result.vacuity,
    initial: result.trace.length > 0 ? model.init.indexOf(result.trace[0].state) : null,
    trace,
    explanation,
    lanes: model.lanes ?? null,
    clock: clockOf(model as Model<unknown>),
    viewMaps: model.viewMaps ?? null,
    ...('simulation' in result ? { simulation: (result as SimulationResult<S>).simulation } : {}),
  };
}

/** The report of a throw from the model's code: which part, and the run to it (shown as best the model can). */
export function buildModelErrorReport<S>(model: Model<S>, error: ModelCodeError<S>, frame: Frame): ModelErrorReport {
  let trace: TraceStepReport[];
  try {
    trace = traceReport(model, error.trace);
  } catch {
    // the view or a sentence throws too: the bare steps
    trace = error.trace.map((step, index) => ({
      index,
      action: step.action,
      params: step.params,
      description: step.action === null ? 'initial state' : `${step.action}(${formatParams(step.params)})`,
      state: plain(step.state),
    }));
  }
  const cause = error.cause instanceof Error ? error.cause : null;
  return {
    ...frame,
    model: model.name,
    error: 'model',
    message: error.message,
    stack: cause?.stack ?? null,
    part: error.part,
    action: error.action,
    params: error.params,
    property: error.property,
    trace,
    clock: clockOf(model as Model<unknown>),
  };
}

export { causeText };
