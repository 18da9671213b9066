import { readFileSync } from 'node:fs';
import { createSigner } from '@nara/envelope';
import { createIdentity } from '@nara/identity';
import { checkGoHowdy, checkGoNewspaper, checkGoSyncEvent } from '@nara/tooling/go-checker';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { generate } from '../scripts/generate-vectors.js';
import { buildSyncEvent, LEGACY_REJECT_REASONS, signableDigest } from '../src/index.js';
import { vectors, verifyVector } from './vectors.js';

// PROTOCOL-FACTS §7, produced by running Go's identity code: typed here, not read from our vectors.
const FACTS = {
  soul: '6iZE6ov6ids43ZDaW8cMaPwBmNtpTXYZqRNTaN8sJAr36UtoN2HnmQm',
  pubkey: 'wLFs+nDa8WiVnZh+olfzqPINDpbCvSeqIrmZH16uVtc=',
  id: '30bf3d2e2c720d0b099d98f07ed24fc7',
  digest: '010bf2f3f5af8e4a6a578bcebf91b67ed970def8a7032f423192ab26ebe09c6d',
  sig: 'Des9OkxGvsQVwMJ8I7Wz8+4GKugAUH7hAFtYhKZf1IDGezgzAEWJ7D9Jk/xJ5XJmf8kVw29WGNIDypEEkRiZBw==',
};

describe('the legacy vectors', () => {
  it('are what the generator writes (vectors/legacy.json is not edited by hand)', () => {
    const file = readFileSync(new URL('../vectors/legacy.json', import.meta.url), 'utf8');
    expect(file).toBe(`${JSON.stringify(generate(), null, 2)}\n`);
  });

  it("reproduce PROTOCOL-FACTS §7's hey_there of jojo byte for byte: id, digest and Go's signature", () => {
    const jojo = createIdentity({ name: 'jojo', soul: FACTS.soul });
    expect(jojo.publicKeyBase64).toBe(FACTS.pubkey);
    const bytes = buildSyncEvent('hey-there', {
      signer: createSigner(jojo.soul.unsafeSeed()),
      name: 'jojo',
      ts: 1_700_000_000_000_000_000n,
      meshIp: '100.64.0.1',
      naraId: jojo.naraId,
    });
    const event = JSON.parse(new TextDecoder().decode(bytes));
    expect(event.id).toBe(FACTS.id);
    expect(event.sig).toBe(FACTS.sig);
    const content = `hey_there:jojo:${FACTS.pubkey}:100.64.0.1`;
    expect(
      bytesToHex(signableDigest(FACTS.id, 1_700_000_000_000_000_000n, 'hey-there', 'jojo', content)),
    ).toBe(FACTS.digest);
    expect(bytesToHex(bytes)).toBe(vectors.valid[0]!.payloadHex);
  });

  it('hold at least 30 invalid cases, each reason from the closed set', () => {
    expect(vectors.invalid.length).toBeGreaterThanOrEqual(30);
    for (const v of vectors.invalid) expect(LEGACY_REJECT_REASONS).toContain(v.reason);
  });

  it.each(vectors.valid.map((v) => [v.description, v] as const))('valid: %s', (_, v) => {
    const result = verifyVector(v);
    expect(result).toMatchObject({ ok: true });
    if (!result.ok) return;
    if ('event' in result) {
      const e = result.event;
      const seen: Record<string, string | number> = {
        id: e.id,
        ts: e.ts.toString(),
        from: e.from,
        publicKey: e.publicKey,
        meshIp: e.meshIp,
        naraId: e.naraId,
        sig: e.sig,
        digest: bytesToHex(signableDigest(e.id, e.ts, e.service, e.emitter, contentOf(e))),
      };
      for (const [k, value] of Object.entries(v.expect)) expect(seen[k], k).toBe(value);
    } else if ('newspaper' in result) {
      expect(new TextDecoder().decode(result.newspaper.statusBytes)).toBe(v.expect.statusText);
      expect(result.newspaper.signature).toBe(v.expect.signature);
    } else {
      expect(result.howdy).toMatchObject({ From: v.expect.from, To: v.expect.to, Seq: v.expect.seq });
    }
  });

  it.each(
    vectors.valid
      .filter((v) => !/ignoring case|U\+017F/.test(v.description))
      .map((v) => [v.description, v] as const),
  )('valid and written as Go writes, by an independent checker of Go’s rules: %s', (_, v) => {
    const bytes = hexToBytes(v.payloadHex);
    const check =
      v.kind === 'newspaper'
        ? checkGoNewspaper(bytes, v.topic)
        : v.kind === 'howdy'
          ? checkGoHowdy(bytes)
          : checkGoSyncEvent(bytes, v.kind);
    expect(check).toMatchObject({ ok: true });
  });

  it.each(vectors.invalid.map((v) => [v.reason, v.description, v] as const))(
    'invalid (%s): %s',
    (reason, _, v) => {
      const result = verifyVector(v);
      expect(result).toMatchObject({ ok: false, reason });
      if (!result.ok) expect(result.detail.length).toBeLessThanOrEqual(200);
    },
  );
});

function contentOf(e: { service: string; from: string; publicKey: string; meshIp: string }): string {
  return e.service === 'hey-there'
    ? `hey_there:${e.from}:${e.publicKey}:${e.meshIp}`
    : `chau:${e.from}:${e.publicKey}`;
}
