import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { absoluteLinks, REPOSITORY, withInstallLine } from '../scripts/release-metadata.mjs';

const script = fileURLToPath(new URL('../scripts/release-metadata.mjs', import.meta.url));

describe('the release scheme', () => {
  it('is applied to every public package (else: run `pnpm metadata` and commit what it changes)', () => {
    // Throws with the script's own list of files out of step, which names the command that fixes them.
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it('turns links into the repository into absolute ones, and leaves web links alone', () => {
    const text = 'see [docs](../../docs/PROTOCOL.md#7-reasons), [web](https://example.org/x) and [top](#api)';
    expect(absoluteLinks('packages/envelope', text)).toBe(
      `see [docs](${REPOSITORY}/blob/main/docs/PROTOCOL.md#7-reasons), [web](https://example.org/x) and [top](#api)`,
    );
  });

  it('starts a library README with an install line naming what its first example imports', () => {
    const readme =
      "# @nara/peers\n\nAbout.\n\n```ts\nimport { a } from '@nara/envelope';\nimport { b } from '@nara/peers';\nimport { c } from 'node:fs';\n```\n";
    const made = withInstallLine('@nara/peers', readme);
    expect(made).toMatch(/^# @nara\/peers\n\n```sh\nnpm install @nara\/peers @nara\/envelope\n```\n\n/);
    expect(withInstallLine('@nara/peers', made)).toBe(made);
  });
});
