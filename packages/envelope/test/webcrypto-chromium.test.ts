import { createSignatureChecker, createVerifier, type SignatureCheck } from '@nara/envelope/node';
import { bundleForPage, type Page, useChromium } from '@nara/tooling/chromium';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedCorpus, hex } from './agreement-corpus.js';
import { fromHex, invalidVectors, validVectors } from './vectors.js';

const browser = useChromium();
const show = (r: SignatureCheck) => (r.ok ? 'accept' : r.reason);

declare const agreement: {
  signatures(inputs: unknown[]): Promise<{ backend: string; decisions: string[] }>;
  envelopes(inputs: unknown[]): Promise<{ backend: string; decisions: string[] }>;
};

let page: Page;
beforeAll(async () => {
  const script = await bundleForPage(new URL('./browser/agreement-page.ts', import.meta.url));
  page = await browser().newPage();
  // localhost is a secure context, where WebCrypto is exposed; the page is served by the route alone.
  await page.route('http://localhost/agreement', (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>agreement</title>' }),
  );
  await page.goto('http://localhost/agreement');
  await page.addScriptTag({ content: script });
}, 60_000);

describe("Chromium's WebCrypto Ed25519 under the plaza/1 policy", () => {
  it('is the backend the page picks by itself, and decides every corpus case as Node does', async () => {
    const corpus = fixedCorpus();
    const node = createSignatureChecker({ backend: 'node' });
    const sodium = createSignatureChecker({ backend: 'sodium' });
    const noble = createSignatureChecker({ backend: 'noble' });
    const inPage = await page.evaluate((inputs) => agreement.signatures(inputs), corpus);
    expect(inPage.backend).toBe('webcrypto');
    const rows = corpus.map((c, i) => {
      const [k, m, s] = [hex(c.key), hex(c.message), hex(c.signature)];
      return [
        c.name,
        show(node.verify(k, m, s)),
        show(sodium.verify(k, m, s)),
        show(noble.verify(k, m, s)),
        inPage.decisions[i]!,
      ];
    });
    const speccheck = rows.filter((r) => r[0]!.startsWith('speccheck'));
    process.stdout.write(
      `\nspeccheck cases: case | node | sodium | noble | chromium webcrypto\n${speccheck.map((r) => r.join(' | ')).join('\n')}\n`,
    );
    const tally: Record<string, number> = {};
    for (const r of rows) tally[r[4]!] = (tally[r[4]!] ?? 0) + 1;
    process.stdout.write(`corpus of ${rows.length} in Chromium: ${JSON.stringify(tally)}\n`);
    for (const r of rows) expect(r.slice(2), r[0]).toEqual([r[1], r[1], r[1]]);
    expect(tally.accept).toBeGreaterThan(0);
    expect(tally['bad-signature']).toBeGreaterThan(0);
  });

  it('accepts every valid vector and gives every invalid one the reason Node gives', async () => {
    const vectors = [...validVectors, ...invalidVectors];
    const node = createVerifier({ backend: 'node' });
    const inPage = await page.evaluate(
      (inputs) => agreement.envelopes(inputs),
      vectors.map((v) => ({ topic: v.topic, envelope: v.envelope })),
    );
    expect(inPage.backend).toBe('webcrypto');
    const expected = vectors.map((v) => {
      const r = node.verify(v.topic, fromHex(v.envelope));
      return r.ok ? 'accept' : r.reason;
    });
    expect(inPage.decisions).toEqual(expected);
    expect(expected.filter((d) => d === 'accept')).toHaveLength(validVectors.length);
  });
});
