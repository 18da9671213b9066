#!/usr/bin/env node
import { main } from './main.js';

const controller = new AbortController();
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    signals += 1;
    // A second Ctrl-C means "now": skip the goodbye.
    if (signals > 1) process.exit(130);
    controller.abort(signal);
  });
}

// Started by the repository's launcher (tooling/scripts/nara.mjs) with an IPC channel: when the launcher
// is gone, however it went, leave as on SIGTERM instead of living on as an orphan.
if (process.channel) {
  process.channel.unref();
  process.on('disconnect', () => controller.abort('SIGTERM'));
}

const code = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  shutdown: controller.signal,
});
process.exitCode = code;
// Let stdout and stderr drain; if some handle is still open, do not hang on it.
setTimeout(() => process.exit(code), 500).unref();
