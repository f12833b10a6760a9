import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from '../scripts/build.mjs';

// The embed loader on a restaurant's page (issue 15): the host page's main-thread CPU time with the
// loader's tag beside the same page without it, interleaved (scripts/lighthouse.ts --cpu: 8 s traced per
// page, the loader's idle work included; CPU time, not wall time, so the shared machine's load does not
// inflate it). Aim: the ratio near 1, and an estimated blocking time (4× CPU slowdown) added under 50 ms.
// The Lighthouse figures themselves: `npx tsx scripts/lighthouse.ts 5` (docs/widget.md).
await buildIfStale();
const script = fileURLToPath(new URL('../scripts/lighthouse.ts', import.meta.url));
const r = spawnSync(process.execPath, ['--import', 'tsx', script, '5', '--cpu'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
