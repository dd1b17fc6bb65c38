import { run } from './index';
import { processOutput } from './output';

// A reader that stops early (`oaklog view x.pcap | head`) closes the pipe: that is the reader's choice, not an error.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });

process.exitCode = await run(process.argv.slice(2), processOutput);
