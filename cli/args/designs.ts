// `designs`: the built-in designs and the switches a design file sets;
// `designs show NAME`: one design as the design file that checks it.
import { DESIGN_NAMES } from '../../model/index.ts';
import { fail, HELP_FLAG, ok, type FlagSpec, type Parsed, type RawFlags } from './common.ts';
import { didYouMean } from './suggest.ts';

export interface DesignsArgs {
  readonly command: 'designs';
  /** `designs show NAME`: the design to print as YAML; absent: list them all */
  readonly show?: string;
  readonly debug: boolean;
}

export const DESIGNS_FLAGS: readonly FlagSpec[] = [HELP_FLAG];

export function parseDesigns(raw: RawFlags): Parsed<DesignsArgs> {
  const [action, name, ...rest] = raw._.map(String);
  if (action === undefined) return ok({ command: 'designs', debug: false });
  if (action !== 'show')
    return fail(
      `unknown designs action '${action}' (${didYouMean(action, ['show'])}usage: designs, or designs show NAME; see designs --help)`,
    );
  if (name === undefined || name.trim() === '') return fail(`designs show needs a design name (designs: ${DESIGN_NAMES.join(', ')})`);
  if (!DESIGN_NAMES.includes(name))
    return fail(`unknown design '${name}' (${didYouMean(name, DESIGN_NAMES)}designs: ${DESIGN_NAMES.join(', ')})`);
  if (rest.length > 0) return fail(`unexpected argument '${rest[0]}' after designs show ${name} (see designs --help)`);
  return ok({ command: 'designs', show: name, debug: false });
}
