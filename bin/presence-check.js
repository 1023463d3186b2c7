#!/usr/bin/env node
// presence-check's executable: the compiled command line, dist/cli.js. The
// package builds dist/ with `npm run build`, which npm runs as `prepare` when
// it installs the package from a git URL or packs it (`npm pack`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'presence-check: internal error: dist/cli.js is missing: run `npm run build` in the package (npm install runs it)\n',
  );
  process.exit(4);
}
await import(entry.href);
