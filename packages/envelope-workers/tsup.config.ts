import { packageBuild } from '../../tooling/tsup.shared.js';

// The worker is built on its own, with @nara/envelope's code inside and no shared chunks, so that one file is
// all a bundling user copies.
export default [
  packageBuild({ index: 'src/index.ts' }, { platform: 'node' }),
  packageBuild(
    { 'verify-worker': 'src/worker-thread.ts' },
    { dts: false, clean: false, splitting: false, platform: 'node', noExternal: [/^@nara\/envelope/] },
  ),
];
