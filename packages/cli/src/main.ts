import { VERSION } from './index';

process.stdout.write(`oaklog ${VERSION}\n`);
