import { packageProject } from '../../tooling/vitest.shared.js';

// The end-to-end tests spawn the built binary and real brokers: give them room, and run files one at a
// time so two suites never fight over the two cores.
export default packageProject('nara', {
  test: { testTimeout: 30_000, hookTimeout: 60_000, fileParallelism: false },
});
