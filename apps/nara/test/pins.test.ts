import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createIdentity, randomSoul } from '@nara/identity';
import { describe, expect, it } from 'vitest';
import { resolveWatchConfig } from '../src/config.js';
import { parsePins } from '../src/pins.js';

const ana = createIdentity({ name: 'ana', soul: randomSoul('ana') });
const bob = createIdentity({ name: 'bob', soul: randomSoul('bob') });

describe('pins files', () => {
  it('reads "name publicKey" lines with comments and blank lines', () => {
    const pins = parsePins(
      `# trusted\n\nana ${ana.publicKeyBase64}\n  bob   ${bob.publicKeyBase64}  # bob's laptop\n`,
      'pins',
    );
    expect(pins.map((p) => p.name)).toEqual(['ana', 'bob']);
    expect(pins[0]?.publicKey).toEqual(ana.publicKey);
  });

  it('carries the commitment to the next key, in lines and in the JSON of /peers (docs/PROTOCOL.md section 12)', () => {
    const next = 'ab'.repeat(32);
    const lines = parsePins(`ana ${ana.publicKeyBase64} ${next}\nbob ${bob.publicKeyBase64} none\n`, 'pins');
    expect(Buffer.from(lines[0]!.commitment!).toString('hex')).toBe(next);
    expect(lines[1]!.commitment).toEqual(new Uint8Array(0));
    const json = parsePins(
      JSON.stringify([
        { name: 'ana', publicKey: ana.publicKeyBase64, commitment: next },
        { name: 'bob', publicKey: bob.publicKeyBase64, commitment: null },
      ]),
      'pins',
    );
    expect(json[0]!.commitment).toHaveLength(32);
    expect(json[1]!.commitment).toBeUndefined();
    expect(() => parsePins(`ana ${ana.publicKeyBase64} abc`, 'pins')).toThrow(
      /pins:1: a commitment is 64 hex digits/,
    );
  });

  it('reads the JSON that GET /peers serves', () => {
    const peers = [
      { name: 'ana', state: 'ONLINE', publicKey: ana.publicKeyBase64, id: ana.naraId },
      { name: 'bob', state: 'MISSING', publicKey: bob.publicKeyBase64, id: bob.naraId },
    ];
    expect(parsePins(JSON.stringify(peers), 'pins').map((p) => p.name)).toEqual(['ana', 'bob']);
  });

  it.each([
    [`ana`, 'pins:1: expected "name publicKey [commitment]"'],
    [`a/b ${ana.publicKeyBase64}`, 'pins:1: not a valid nara name (topic-separator)'],
    [`ana AAAA`, 'pins:1: the public key must be 32 bytes in standard base64'],
    [
      `ana ${ana.publicKeyBase64}\nana ${bob.publicKeyBase64}`,
      'pins:2: "ana" is pinned twice to different keys',
    ],
    ['[{"name":"ana"}]', 'pins entry 1: the public key must be 32 bytes'],
    ['[not json', 'pins: not valid JSON'],
    ['{"ana":1}', 'pins:1: expected "name publicKey [commitment]"'],
  ])('refuses %j with one line naming the place: %s', (text, message) => {
    expect(() => parsePins(text, 'pins')).toThrow(
      expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining(message) }),
    );
  });

  it('comes from NARA_PINS, and a missing file is one clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nara-pins-'));
    const file = join(dir, 'pins.txt');
    writeFileSync(file, `ana ${ana.publicKeyBase64}\n`);
    expect(resolveWatchConfig({}, { NARA_PINS: file }).pins?.map((p) => p.name)).toEqual(['ana']);
    expect(() => resolveWatchConfig({}, { NARA_PINS: join(dir, 'nope') })).toThrow(
      /NARA_PINS: cannot read the pins file .* \(no such file\)/,
    );
  });
});
