// The layers, as the import lines have them: checker (no knowledge of any
// model) → model (uses the checker's public API) → report (plain results,
// knows no model) → export (formats reports) → cli (commands, I/O). Imports
// only point down, through a layer's front door where it has one, and no
// file imports one that imports it back.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const LAYERS = ['checker', 'model', 'report', 'export', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

/** What each layer may import from the others (its own files aside). */
const ALLOWED: Readonly<Record<Layer, readonly string[]>> = {
  checker: [],
  model: ['checker/index.ts'],
  report: ['checker/index.ts'],
  export: ['checker/index.ts', 'report/'],
  cli: ['checker/index.ts', 'model/index.ts', 'report/', 'export/index.ts'],
};

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** The project files a file imports (relative imports only), as paths from the root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s+'(\.[^']+)'/gms))
    out.push(relative(ROOT, resolve(ROOT, dirname(file), m[1])));
  for (const m of text.matchAll(/import\('(\.[^']+)'\)/g)) out.push(relative(ROOT, resolve(ROOT, dirname(file), m[1])));
  return out;
}

const files = LAYERS.flatMap((l) => sources(l));
const layerOf = (path: string): Layer | null => LAYERS.find((l) => path.startsWith(`${l}/`)) ?? null;

describe('layers', () => {
  it('every import points to the same layer or down through an allowed door', () => {
    const wrong: string[] = [];
    for (const file of files) {
      const layer = layerOf(file)!;
      for (const target of importsOf(file)) {
        const to = layerOf(target);
        if (to === null || to === layer) continue;
        if (!ALLOWED[layer].some((door) => (door.endsWith('/') ? target.startsWith(door) : target === door)))
          wrong.push(`${file} → ${target}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no file imports one that imports it back, through any chain', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (f: string) => {
      state.set(f, 'open');
      stack.push(f);
      for (const t of graph.get(f) ?? []) {
        if (state.get(t) === 'open') cycles.push([...stack.slice(stack.indexOf(t)), t].join(' → '));
        else if (!state.has(t)) visit(t);
      }
      stack.pop();
      state.set(f, 'done');
    };
    for (const f of files) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('the checker and the exporters name no part of the presence model', () => {
    const presence = /\b(presence|meeting|tab|Daily|Redis|pollReadsPresence|getOrCreateMeeting)\b/i;
    const offenders = files
      .filter((f) => f.startsWith('export/') || f.startsWith('report/') || (f.startsWith('checker/') && !f.endsWith('.test.ts')))
      .flatMap((f) =>
        readFileSync(join(ROOT, f), 'utf8')
          .split('\n')
          .map((line, i) => [line, i + 1] as const)
          // comments may explain with an example; code may not depend on one
          .filter(([line]) => !/^\s*(\/\/|\*|\/\*)/.test(line) && presence.test(line.replace(/'[^']*'|`[^`]*`|"[^"]*"/g, '')))
          .map(([line, n]) => `${f}:${n}: ${line.trim()}`),
      );
    expect(offenders).toEqual([]);
  });
});
