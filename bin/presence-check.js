#!/usr/bin/env node
// presence-check's executable (`npx presence-check <command>` after `npm link`,
// or as a dependency): the tool is TypeScript run by tsx, so this registers
// tsx's loader and runs cli.ts.
import { register } from 'tsx/esm/api';

register();
await import('../cli.ts');
