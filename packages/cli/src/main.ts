import { setFlagsFromString } from 'node:v8';
import { run } from './index';
import { createProcessOutput } from './output';

// Every command streams: what it holds is bounded and small (view of a 200 MB capture: about 25 MB live), but V8 sizes
// its heap for programs that keep what they allocate, letting it grow to about four times the live data between full
// collections (that view peaked at 208 MB). Growing by 30% keeps the peak nearer the live data (130 MB) for 6–8% more
// time (BENCHMARKS.md). The flag is read at every collection, so setting it here, after start-up, takes effect.
setFlagsFromString('--heap-growing-percent=30');

process.exitCode = await run(process.argv.slice(2), createProcessOutput());
