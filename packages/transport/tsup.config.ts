import { packageBuild } from '../../tooling/tsup.shared.js';

// vitest stays external: the compliance suite registers tests with the user's own vitest.
export default packageBuild({ index: 'src/index.ts', testing: 'src/testing.ts' }, { external: ['vitest'] });
