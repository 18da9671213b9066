import { packageBuild } from '../../tooling/tsup.shared.js';

export default packageBuild({ index: 'src/index.ts' }, { platform: 'node' });
