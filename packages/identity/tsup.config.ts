import { packageBuild } from '../../tooling/tsup.shared.js';

// node.ts is the one Node-only entry; its declarations need Node's types, which tsconfig.json (browser-safe,
// `types: []`) leaves out on purpose.
export default packageBuild(
  { index: 'src/index.ts', node: 'src/node.ts' },
  { dts: { compilerOptions: { types: ['node'] } } },
);
