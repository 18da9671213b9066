import { packageBuild } from '../../tooling/tsup.shared.js';

// Node-only: the binary (shebang kept by tsup, which also makes it executable) and the library-like
// wiring the demo and the tests share.
export default packageBuild({ cli: 'src/cli.ts', index: 'src/index.ts' }, { platform: 'node' });
