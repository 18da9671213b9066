import { packageBuild } from '../../tooling/tsup.shared.js';

// `node` is the same API as `index` with the node:crypto backend as the default; only it imports node:.
// Its declarations need Node's types; tsconfig.json (types: []) keeps the browser-safe sources honest.
// `internal` is for @nara/envelope-workers only (README: not semver-stable).
export default packageBuild(
  { index: 'src/index.ts', node: 'src/node.ts', internal: 'src/internal.ts' },
  { dts: { compilerOptions: { types: ['node'] } } },
);
