import { packageBuild } from '../../tooling/tsup.shared.js';

// `node` is the same API as `index` with the node:crypto backend as the default; only it imports node:.
export default packageBuild({ index: 'src/index.ts', node: 'src/node.ts' });
