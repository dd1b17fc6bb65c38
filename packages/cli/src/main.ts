import { run } from './index';
import { processOutput } from './output';

process.exitCode = await run(process.argv.slice(2), processOutput);
