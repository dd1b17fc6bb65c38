import { defineConfig } from 'tsup';
import { libraryConfig } from '../../tsup.base';

// The Node-only `./node` entry reads files, so this build type-checks with Node's types.
export default defineConfig(libraryConfig({ entry: ['src/index.ts', 'src/node.ts'], tsconfig: 'tsconfig.node.json' }));
