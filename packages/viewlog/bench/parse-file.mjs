// The floor the log commands are measured against: one process that streams a log file through `parseStream` and
// drops the events, as `oaklog check` reads it, with nothing printed. Run by goals.ts with report-rss.mjs preloaded.
import { createReadStream } from 'node:fs';
import { parseStream } from '../dist/index.js';

let events = 0;
for await (const _entry of parseStream(createReadStream(process.argv[2] ?? ''))) events++;
process.stdout.write(`${events} events\n`);
