/**
 * Writes vectors/legacy.json: the legacy hey_there of `jojo` from PROTOCOL-FACTS §7 (checked there against
 * Go's output), the other messages derived from it with the same keys, and invalid messages each with the
 * reason a verifier must give. Deterministic: `pnpm vectors` rewrites the same file, and a test checks that.
 *
 * Run: npx tsx scripts/generate-vectors.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { base64 } from '@scure/base';
import {
  buildHowdy,
  buildNewspaper,
  buildSyncEvent,
  computeEventId,
  contentString,
  encodeNaraStatus,
  type LegacyRejectReason,
  signableDigest,
} from '../src/index.js';
import {
  bear,
  flipSignatureBit,
  forgeHeyThere,
  forgeKeylessChau,
  hex,
  heyThere,
  jojo,
  NOW,
  replaceOnce,
  STATUS,
  signedPaper,
  TS,
  text,
  utf8,
} from './legacy-fixtures.js';

export { STATUS } from './legacy-fixtures.js';

export interface ValidVector {
  description: string;
  kind: 'hey-there' | 'chau' | 'newspaper' | 'howdy';
  topic: string;
  now: number;
  payloadHex: string;
  text: string;
  expect: Record<string, string | number>;
}

export interface InvalidVector {
  description: string;
  kind: 'hey-there' | 'chau' | 'newspaper' | 'howdy';
  topic: string;
  now: number;
  /** A key the receiver already knows for the sender (base64), when the case needs one. */
  knownKey?: string;
  payloadHex: string;
  reason: LegacyRejectReason;
}

export function generate(): { valid: ValidVector[]; invalid: InvalidVector[] } {
  const hey = heyThere();
  const content = contentString('hey-there', 'jojo', jojo.publicKeyBase64, '100.64.0.1');
  const id = computeEventId(TS, 'hey-there', content);
  const digest = signableDigest(id, TS, 'hey-there', 'jojo', content);
  const sig = base64.encode(jojo.signer.sign(digest));
  const chau = buildSyncEvent('chau', {
    signer: jojo.signer,
    name: 'jojo',
    ts: TS + 5_000_000_000n,
    naraId: jojo.naraId,
  });
  const bearHey = buildSyncEvent('hey-there', {
    signer: bear.signer,
    name: 'noisy-bear-189',
    ts: TS + 1n,
    naraId: bear.naraId,
  });
  const paper = buildNewspaper({ signer: jojo.signer, name: 'jojo', status: STATUS });
  const statusText = encodeNaraStatus(STATUS);
  const howdy = buildHowdy({
    signer: bear.signer,
    from: 'noisy-bear-189',
    to: 'jojo',
    seq: 1,
    me: {
      ...STATUS,
      PublicKey: bear.publicKeyBase64,
      ID: bear.naraId,
      Observations: { jojo: { online: 'ONLINE', last_seen: 1_700_000_000, start_time: 1_699_000_000 } },
    },
    you: { start_time: 1_699_000_000, restarts: 2, online: 'ONLINE' },
    neighbors: [{ Name: 'ana', PublicKey: '', MeshIP: '', ID: '', Observation: { online: 'MISSING' } }],
  });
  const lowercaseKeys = replaceOnce(replaceOnce(hey, '"From":', '"from":'), '"PublicKey":', '"publickey":');
  const kelvin = replaceOnce(hey, '"svc":', '"\u017fvc":');
  const valid: ValidVector[] = [
    {
      description:
        'PROTOCOL-FACTS §7: the legacy hey_there SyncEvent of jojo, as Go signs it (ts 1700000000000000000 ns, MeshIP 100.64.0.1)',
      kind: 'hey-there',
      topic: 'nara/plaza/hey_there',
      now: NOW,
      payloadHex: hex(hey),
      text: text(hey),
      expect: {
        id,
        ts: String(TS),
        from: 'jojo',
        publicKey: jojo.publicKeyBase64,
        meshIp: '100.64.0.1',
        naraId: jojo.naraId,
        digest: hex(digest),
        sig,
      },
    },
    {
      description: 'derived: the hey_there of noisy-bear-189 (no mesh address), the other §7 identity',
      kind: 'hey-there',
      topic: 'nara/plaza/hey_there',
      now: NOW,
      payloadHex: hex(bearHey),
      text: text(bearHey),
      expect: { from: 'noisy-bear-189', ts: String(TS + 1n), publicKey: bear.publicKeyBase64, meshIp: '' },
    },
    {
      description:
        'derived: the same hey_there with keys "from" and "publickey": Go matches keys ignoring case, and so do we',
      kind: 'hey-there',
      topic: 'nara/plaza/hey_there',
      now: NOW,
      payloadHex: hex(lowercaseKeys),
      text: text(lowercaseKeys),
      expect: { id, from: 'jojo', sig },
    },
    {
      description: 'derived: the same hey_there with "svc" spelt with U+017F (long s), which Go folds to S',
      kind: 'hey-there',
      topic: 'nara/plaza/hey_there',
      now: NOW,
      payloadHex: hex(kelvin),
      text: text(kelvin),
      expect: { id, from: 'jojo', sig },
    },
    {
      description: 'derived: the chau of jojo, 5 s later (content chau:jojo:{PublicKey}, ID not signed)',
      kind: 'chau',
      topic: 'nara/plaza/chau',
      now: NOW,
      payloadHex: hex(chau),
      text: text(chau),
      expect: { from: 'jojo', ts: String(TS + 5_000_000_000n), publicKey: jojo.publicKeyBase64 },
    },
    {
      description:
        'derived: a newspaper of jojo; Go encoder rules (<, >, & escaped, raw UTF-8, float forms, sorted map), signature over the Status bytes',
      kind: 'newspaper',
      topic: 'nara/newspaper/jojo',
      now: NOW,
      payloadHex: hex(paper),
      text: text(paper),
      expect: { statusText, signature: base64.encode(jojo.signer.sign(utf8.encode(statusText))) },
    },
    {
      description:
        'derived: a howdy from noisy-bear-189 to jojo, seq 1 (signed bytes howdy:noisy-bear-189:jojo:1)',
      kind: 'howdy',
      topic: 'nara/plaza/howdy',
      now: NOW,
      payloadHex: hex(howdy),
      text: text(howdy),
      expect: { from: 'noisy-bear-189', to: 'jojo', seq: 1 },
    },
  ];

  const hv = (
    description: string,
    payload: Uint8Array,
    reason: LegacyRejectReason,
    now = NOW,
  ): InvalidVector => ({
    description,
    kind: 'hey-there',
    topic: 'nara/plaza/hey_there',
    now,
    payloadHex: hex(payload),
    reason,
  });
  const nv = (
    description: string,
    payload: Uint8Array,
    reason: LegacyRejectReason,
    topic = 'nara/newspaper/jojo',
  ): InvalidVector => ({
    description,
    kind: 'newspaper',
    topic,
    now: NOW,
    payloadHex: hex(payload),
    reason,
  });
  const otherKey = bear.publicKeyBase64;
  const smallOrder = base64.encode(Uint8Array.of(1, ...new Uint8Array(31)));
  const badPadding = `${jojo.publicKeyBase64.slice(0, 42)}d=`;
  const shortKey = base64.encode(new Uint8Array(31).fill(7));
  const heyText = text(hey);
  const sOutOfRange = (() => {
    const raw = base64.decode(sig);
    // S = L, the group order, little-endian
    raw.set(
      [0xed, 0xd3, 0xf5, 0x5c, 0x1a, 0x63, 0x12, 0x58, 0xd6, 0x9c, 0xf7, 0xa2, 0xde, 0xf9, 0xde, 0x14],
      32,
    );
    raw.fill(0, 48, 63);
    raw[63] = 0x10;
    return base64.encode(raw);
  })();
  const invalid: InvalidVector[] = [
    hv('no bytes', new Uint8Array(0), 'empty'),
    hv(
      '4097 bytes: over the 4 KiB cap for a SyncEvent, refused before parsing',
      utf8.encode(`${heyText}${' '.repeat(4097 - hey.length)}`),
      'too-large',
    ),
    hv(
      'a byte 0xff inside From (not UTF-8)',
      Uint8Array.from([
        ...utf8.encode(heyText.slice(0, heyText.indexOf('"From":"') + 8)),
        0xff,
        ...utf8.encode(heyText.slice(heyText.indexOf('"From":"') + 8)),
      ]),
      'invalid-utf8',
    ),
    hv(
      'From holds the escape \\ud800 with no low half (Go would read U+FFFD)',
      replaceOnce(hey, '"From":"jojo"', '"From":"jo\\ud800jo"'),
      'lone-surrogate',
    ),
    hv(
      'From holds a lone low surrogate \\udc00',
      replaceOnce(hey, '"From":"jojo"', '"From":"\\udc00"'),
      'lone-surrogate',
    ),
    hv('nested 40 arrays deep', utf8.encode(`${'['.repeat(40)}${']'.repeat(40)}`), 'too-deep'),
    hv(
      'an unknown key nested 5 objects deep',
      replaceOnce(hey, '"svc":', '"x":{"a":{"b":{"c":{}}}},"svc":'),
      'too-deep',
    ),
    hv('"id" twice', replaceOnce(hey, '"ts":', `"id":"${id}","ts":`), 'duplicate-key'),
    hv(
      '"From" and "from": Go takes the last, a case-sensitive reader the first',
      replaceOnce(hey, '"PublicKey":', '"from":"ana","PublicKey":'),
      'duplicate-key',
    ),
    hv(
      '"svc" and "ſvc" (U+017F folds to S in Go)',
      replaceOnce(hey, '"emitter":', '"\u017fvc":"chau","emitter":'),
      'duplicate-key',
    ),
    hv('a trailing comma', replaceOnce(hey, '"Signature":""}', '"Signature":"",}'), 'malformed-json'),
    hv('bytes after the object', utf8.encode(`${heyText}{}`), 'malformed-json'),
    hv('a byte-order mark first (Go refuses it too)', utf8.encode(`\ufeff${heyText}`), 'malformed-json'),
    hv('a raw tab inside a string', replaceOnce(hey, '"From":"jojo"', '"From":"jo\tjo"'), 'malformed-json'),
    hv('an array, not an object', utf8.encode(`[${heyText}]`), 'not-an-object'),
    hv('an unknown key in the SyncEvent', replaceOnce(hey, '"svc":', '"extra":1,"svc":'), 'unknown-field'),
    hv(
      'an unknown key in the hey_there payload',
      replaceOnce(hey, '"Signature":""', '"Signature":"","Admin":true'),
      'unknown-field',
    ),
    hv('no ts', utf8.encode(heyText.replace(`"ts":${TS},`, '')), 'missing-field'),
    hv(
      'no hey_there payload',
      utf8.encode(`${heyText.slice(0, heyText.indexOf(',"hey_there"'))}}`),
      'missing-field',
    ),
    hv(
      '"hey_there": null',
      utf8.encode(`${heyText.slice(0, heyText.indexOf('"hey_there"'))}"hey_there":null}`),
      'missing-field',
    ),
    hv(
      'From is null (Go leaves the field empty)',
      replaceOnce(hey, '"From":"jojo"', '"From":null'),
      'invalid-field',
    ),
    hv(
      'ts written as a float (1.7e18): Go cannot read it into int64',
      forgeHeyThere({ ts: '1.7e18' }),
      'invalid-ts',
    ),
    hv('ts with a fraction', forgeHeyThere({ ts: `${TS}.5` }), 'invalid-ts'),
    hv('ts as a string', forgeHeyThere({ ts: `"${TS}"` }), 'invalid-ts'),
    hv('ts beyond int64', forgeHeyThere({ ts: '9223372036854775808' }), 'invalid-ts'),
    hv('ts negative', forgeHeyThere({ ts: '-1700000000000000000' }), 'invalid-ts'),
    hv(
      'ts 31 s ahead of the receiver (window: 30 s ahead)',
      heyThere({ ts: TS + 31_000_000_000n }),
      'from-future',
    ),
    hv(
      'ts 61 s behind the receiver (window: 60 s behind)',
      heyThere({ ts: TS - 61_000_000_000n }),
      'too-old',
    ),
    hv(
      'svc "chau" on a hey_there payload',
      replaceOnce(hey, '"svc":"hey-there"', '"svc":"chau"'),
      'wrong-service',
    ),
    hv(
      'a social payload beside the hey_there',
      replaceOnce(hey, '"hey_there":', '"social":{"type":"tease"},"hey_there":'),
      'wrong-service',
    ),
    hv(
      'From is "a/b" (not a nara name: it would add a topic level)',
      forgeHeyThere({ from: 'a/b' }),
      'invalid-name',
    ),
    hv('unsigned: no emitter, no sig (Go accepts it)', forgeHeyThere({ sig: null }), 'unsigned'),
    hv(
      'emitter "ana" signs a hey_there whose From is jojo',
      forgeHeyThere({ emitter: 'ana' }),
      'emitter-mismatch',
    ),
    hv(
      'id not the hash of the event (Go never checks it)',
      forgeHeyThere({ id: '00000000000000000000000000000000' }),
      'id-mismatch',
    ),
    hv(
      'MeshIP changed after signing (the id no longer matches)',
      replaceOnce(hey, '"MeshIP":"100.64.0.1"', '"MeshIP":"100.64.0.2"'),
      'id-mismatch',
    ),
    hv('one bit of the signature flipped', replaceOnce(hey, sig, flipSignatureBit(sig)), 'bad-signature'),
    hv(
      "noisy-bear-189's key in a hey_there signed by jojo (another key for the name)",
      forgeHeyThere({ key: otherKey }),
      'bad-signature',
    ),
    hv(
      'PublicKey with non-zero padding bits (Go accepts it)',
      forgeHeyThere({ key: badPadding }),
      'bad-base64',
    ),
    hv('PublicKey of 31 bytes', forgeHeyThere({ key: shortKey }), 'key-non-canonical'),
    hv(
      'PublicKey is the identity point (small order): any signature would do',
      forgeHeyThere({ key: smallOrder }),
      'key-small-order',
    ),
    hv(
      'a signature of 63 bytes',
      forgeHeyThere({ sig: base64.encode(base64.decode(sig).subarray(0, 63)) }),
      'bad-signature-length',
    ),
    hv(
      'signature S = L (malleable: not canonical)',
      forgeHeyThere({ sig: sOutOfRange }),
      'signature-s-out-of-range',
    ),
    {
      description: 'PublicKey emptied after signing (the id covers it)',
      kind: 'chau',
      topic: 'nara/plaza/chau',
      now: NOW,
      payloadHex: hex(replaceOnce(chau, `"PublicKey":"${jojo.publicKeyBase64}"`, '"PublicKey":""')),
      reason: 'id-mismatch',
    },
    {
      description:
        "a chau signed by noisy-bear-189's key, checked against jojo's known key (no key in the payload)",
      kind: 'chau',
      topic: 'nara/plaza/chau',
      now: NOW,
      knownKey: jojo.publicKeyBase64,
      payloadHex: hex(forgeKeylessChau(bear.signer)),
      reason: 'bad-signature',
    },
    {
      description: 'a chau without PublicKey (id and signature right), no key known for the name',
      kind: 'chau',
      topic: 'nara/plaza/chau',
      now: NOW,
      payloadHex: hex(forgeKeylessChau(jojo.signer)),
      reason: 'missing-key',
    },
    nv('From is not the name in the topic (Go ignores From)', paper, 'name-mismatch', 'nara/newspaper/ana'),
    nv(
      'no Signature (Go accepts it silently)',
      replaceOnce(paper, /"Signature":"[^"]+"/.exec(text(paper))![0], '"Signature":""'),
      'unsigned',
    ),
    nv(
      'Chattiness changed after signing (Go only logs a warning)',
      replaceOnce(paper, '"Chattiness":75', '"Chattiness":76'),
      'bad-signature',
    ),
    nv(
      'the Status re-encoded with a space: the signature covers the bytes as sent',
      replaceOnce(paper, '"Chattiness":75', '"Chattiness": 75'),
      'bad-signature',
    ),
    nv('Chattiness 101 (outside 0-100)', signedPaper({ ...STATUS, Chattiness: 101 }), 'invalid-field'),
    nv('Buzz as a string', replaceOnce(paper, '"Buzz":120', '"Buzz":"120"'), 'invalid-field'),
    nv(
      'Status is a string',
      utf8.encode('{"From":"jojo","Status":"{}","Signature":"AAAA"}'),
      'invalid-field',
    ),
    nv(
      '"Status" and "status"',
      replaceOnce(paper, '"Signature":', '"status":{},"Signature":'),
      'duplicate-key',
    ),
    nv('65 KiB: over the newspaper cap', utf8.encode(`${text(paper)}${' '.repeat(65 * 1024)}`), 'too-large'),
    nv(
      "signed by noisy-bear-189's key but claiming jojo's",
      signedPaper(STATUS, bear.signer),
      'bad-signature',
    ),
    {
      description: 'a howdy whose Seq was changed after signing',
      kind: 'howdy',
      topic: 'nara/plaza/howdy',
      now: NOW,
      payloadHex: hex(replaceOnce(howdy, '"Seq":1', '"Seq":2')),
      reason: 'bad-signature',
    },
    {
      description: 'an unsigned howdy',
      kind: 'howdy',
      topic: 'nara/plaza/howdy',
      now: NOW,
      payloadHex: hex(replaceOnce(howdy, /"Signature":"[^"]+"}$/.exec(text(howdy))![0], '"Signature":""}')),
      reason: 'unsigned',
    },
  ];
  return { valid, invalid };
}

const path = new URL('../vectors/legacy.json', import.meta.url);
if (import.meta.url === `file://${process.argv[1]}`) {
  const json = `${JSON.stringify(generate(), null, 2)}\n`;
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== json) {
      console.error('vectors/legacy.json differs from the generator');
      process.exit(1);
    }
  } else writeFileSync(path, json);
}
