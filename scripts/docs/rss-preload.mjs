// Loaded with --import by scripts/docs/record.ts: at exit, writes the
// process's peak resident memory (worker threads included), in bytes, to
// the file PRESENCE_CHECK_RSS_OUT names.
import { writeFileSync } from 'node:fs';

const out = process.env.PRESENCE_CHECK_RSS_OUT;
if (out) process.on('exit', () => writeFileSync(out, String(process.resourceUsage().maxRSS * 1024)));
