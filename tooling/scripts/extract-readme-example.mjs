#!/usr/bin/env node
// Copies the first ```ts block of the current package's README.md to .readme/example.ts, so that the
// package's test tsconfig type-checks it and tooling/test/readme-examples.test.ts runs it. A README
// without a TypeScript example is an error: every package's README starts with one.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? process.cwd();
const readme = readFileSync(join(dir, 'README.md'), 'utf8');
const match = /```ts\n([\s\S]*?)```/.exec(readme);
if (!match) {
  console.error(
    `${join(dir, 'README.md')}: no \`\`\`ts example block found (each package README starts with one)`,
  );
  process.exit(1);
}
mkdirSync(join(dir, '.readme'), { recursive: true });
writeFileSync(
  join(dir, '.readme', 'example.ts'),
  `// Generated from README.md by tooling/scripts/extract-readme-example.mjs. Do not edit.\n${match[1]}`,
);
