import { packageBuild } from '../../tooling/tsup.shared.js';

// `node` is the same API as `index` with the node:crypto backend as the default; only it imports node:.
// Its declarations need Node's types; tsconfig.json (types: []) keeps the browser-safe sources honest.
// The worker is built on its own, without shared chunks, so that one file is all a bundling user copies.
export default [
  packageBuild(
    { index: 'src/index.ts', node: 'src/node.ts' },
    { dts: { compilerOptions: { types: ['node'] } } },
  ),
  packageBuild(
    { 'verify-worker': 'src/node/worker-thread.ts' },
    { dts: false, clean: false, splitting: false },
  ),
];
