import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserSafety } from '../src/browser-safe.js';

describe('the browser-safety check shared by the packages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'browser-safe-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('names each Node-only use outside the Node-only files, and ignores comments and look-alikes', () => {
    mkdirSync(join(dir, 'node'));
    writeFileSync(join(dir, 'a.ts'), "import { readFileSync } from 'node:fs';\n// Buffer in a comment\n");
    writeFileSync(join(dir, 'b.ts'), "const x = require('os');\nprocess.exit(1);\n");
    writeFileSync(join(dir, 'c.ts'), "import { y } from './node.js';\nconst b = Buffer.from('');\n");
    writeFileSync(
      join(dir, 'd.ts'),
      '/* process.env */\nmap.require(3);\nclass K { require(n: number) {} }\n',
    );
    writeFileSync(join(dir, 'node.ts'), "import 'node:fs';\n");
    writeFileSync(join(dir, 'node', 'e.ts'), "import 'node:os';\n");
    const { files, nodeOnly } = browserSafety(dir, ['node.ts', 'node/']);
    expect(files).toEqual(['a.ts', 'b.ts', 'c.ts', 'd.ts']);
    expect(nodeOnly).toEqual([
      "a.ts: from 'node:fs'",
      "b.ts: require('",
      'b.ts: process.',
      'c.ts: Buffer',
      "c.ts: from './node.js'",
    ]);
  });
});
