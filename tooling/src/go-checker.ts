/**
 * A checker of Go-wire messages written from PROTOCOL-FACTS (§2, §3) alone, sharing no code with
 * @nara/legacy: JSON.parse for the shape, a regular expression for the nanosecond `ts` (JSON.parse would
 * round it), its own scan for the raw `Status` bytes, node:crypto for SHA-256 and Ed25519. Tests use it to
 * check that what we publish on the Go topics verifies under Go's own rules.
 */
import { createHash, createPublicKey, verify } from 'node:crypto';

export type GoCheck = { ok: true; from: string; publicKey: string; ts?: string } | { ok: false; why: string };

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function ed25519Verify(publicKeyB64: string, message: Uint8Array, signatureB64: string): boolean {
  const key = Buffer.from(publicKeyB64, 'base64');
  const signature = Buffer.from(signatureB64, 'base64');
  if (key.length !== 32 || signature.length !== 64) return false;
  const spki = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, key]), format: 'der', type: 'spki' });
  return verify(null, message, spki, signature);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** The Go encoder never writes these raw: `<`, `>`, `&`, U+2028, U+2029. */
function goEscapingOk(text: string): boolean {
  return !/[<>&\u2028\u2029]/.test(text);
}

/**
 * A hey_there or chau SyncEvent as Go's handler checks it (signed, verified with the payload's key over
 * SHA-256 of `{id}:{ts}:{svc}:{emitter}:` + content), plus what Go's constructors guarantee of their own
 * output: the id is the hash of `{ts}:{svc}:` + content, emitter is From, Go's key order.
 */
export function checkGoSyncEvent(bytes: Uint8Array, svc: 'hey-there' | 'chau'): GoCheck {
  const text = Buffer.from(bytes).toString('utf8');
  if (!goEscapingOk(text)) return { ok: false, why: 'a character Go escapes is raw' };
  const event = JSON.parse(text);
  const ts = /"ts":(\d+),/.exec(text)?.[1];
  if (ts === undefined) return { ok: false, why: 'no integer ts' };
  if (event.svc !== svc) return { ok: false, why: `svc ${event.svc}` };
  const payloadKey = svc === 'hey-there' ? 'hey_there' : 'chau';
  const payload = event[payloadKey];
  const keys = Object.keys(event).join(',');
  if (keys !== `id,ts,svc,emitter,sig,${payloadKey}`) return { ok: false, why: `keys ${keys}` };
  const payloadKeys = Object.keys(payload).join(',');
  const expected = svc === 'hey-there' ? 'From,PublicKey,MeshIP,ID,Signature' : 'From,PublicKey,ID,Signature';
  if (payloadKeys !== expected) return { ok: false, why: `payload keys ${payloadKeys}` };
  if (!event.emitter || !event.sig) return { ok: false, why: 'unsigned' };
  if (event.emitter !== payload.From) return { ok: false, why: 'emitter is not From' };
  const content =
    svc === 'hey-there'
      ? `hey_there:${payload.From}:${payload.PublicKey}:${payload.MeshIP}`
      : `chau:${payload.From}:${payload.PublicKey}`;
  const id = sha256(`${ts}:${svc}:${content}`).subarray(0, 16).toString('hex');
  if (event.id !== id) return { ok: false, why: 'id is not the hash of the content' };
  const digest = sha256(`${id}:${ts}:${svc}:${event.emitter}:${content}`);
  if (!ed25519Verify(payload.PublicKey, digest, event.sig)) return { ok: false, why: 'bad signature' };
  return { ok: true, from: payload.From, publicKey: payload.PublicKey, ts };
}

/** The raw text of the value of the top-level key `"Status"`: a brace scan that skips strings. */
function rawStatus(text: string): string | null {
  const at = text.indexOf('"Status":');
  if (at < 0) return null;
  const start = at + '"Status":'.length;
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  return null;
}

/** NaraStatus keys Go always writes, in declaration order (PROTOCOL-FACTS §2.5). */
const STATUS_KEYS =
  'LicensePlate,Flair,HostStats,Chattiness,Buzz,Observations,Trend,TrendEmoji,Personality,Aura,Version,PublicUrl,PublicKey,ID,MeshEnabled,MeshIP';

/** A newspaper as Go's handler verifies it: the signature over the raw Status bytes, with Status.PublicKey. */
export function checkGoNewspaper(bytes: Uint8Array, topic: string): GoCheck {
  const text = Buffer.from(bytes).toString('utf8');
  if (!goEscapingOk(text)) return { ok: false, why: 'a character Go escapes is raw' };
  const paper = JSON.parse(text);
  if (Object.keys(paper).join(',') !== 'From,Status,Signature') return { ok: false, why: 'envelope keys' };
  if (`nara/newspaper/${paper.From}` !== topic) return { ok: false, why: 'From is not the topic name' };
  const raw = rawStatus(text);
  if (raw === null) return { ok: false, why: 'no Status' };
  const keys = Object.keys(paper.Status).slice(0, 16).join(',');
  if (keys !== STATUS_KEYS) return { ok: false, why: `status keys ${keys}` };
  if (!paper.Signature) return { ok: false, why: 'unsigned' };
  if (!ed25519Verify(paper.Status.PublicKey, Buffer.from(raw, 'utf8'), paper.Signature))
    return { ok: false, why: 'bad signature' };
  return { ok: true, from: paper.From, publicKey: paper.Status.PublicKey };
}

/** A howdy as Go verifies it: `howdy:{From}:{To}:{Seq}` with Me.PublicKey. */
export function checkGoHowdy(bytes: Uint8Array): GoCheck {
  const text = Buffer.from(bytes).toString('utf8');
  if (!goEscapingOk(text)) return { ok: false, why: 'a character Go escapes is raw' };
  const howdy = JSON.parse(text);
  if (Object.keys(howdy).join(',') !== 'From,To,Seq,You,Neighbors,Me,Signature')
    return { ok: false, why: 'keys' };
  const message = Buffer.from(`howdy:${howdy.From}:${howdy.To}:${howdy.Seq}`, 'utf8');
  if (!ed25519Verify(howdy.Me.PublicKey, message, howdy.Signature))
    return { ok: false, why: 'bad signature' };
  return { ok: true, from: howdy.From, publicKey: howdy.Me.PublicKey };
}
