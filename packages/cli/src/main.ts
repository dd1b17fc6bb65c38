import { run } from './index';
import { createProcessOutput } from './output';

process.exitCode = await run(process.argv.slice(2), createProcessOutput());
