/**
 * The plaza/1 payload: a deterministic CBOR map with small unsigned-integer keys (docs/PROTOCOL.md lists
 * every key). Encoding validates what the caller gives (and throws InvalidContentError); decoding validates
 * what the wire gives (and fails with a reason). Both follow one schema, written out below per kind.
 */
import { validateName } from '@nara/topics';
import {
  copyOut,
  fail,
  keys,
  MAJOR_ARRAY,
  MAJOR_BYTES,
  MapKeys,
  Scratch,
  StrictReader,
  Writer,
} from './cbor.js';
import { InvalidContentError } from './errors.js';
import {
  type AnyEnvelopeContent,
  type Aura,
  type ChauBody,
  type CheckpointBody,
  type CheckpointObservation,
  type EnvelopeKind,
  EPOCH_BYTES,
  type HeyThereBody,
  type HostStats,
  MAX_CHECKPOINT_VOTES,
  type NewspaperBody,
  type NewspaperStatus,
  type Personality,
  type RejectReason,
  SCHEMA_VERSION,
  type TransportMode,
} from './types.js';

/** Largest integer any plaza/1 field carries. */
const MAX_INT = Number.MAX_SAFE_INTEGER;
/** Longest vote envelope a final checkpoint may embed. */
export const MAX_VOTE_ENVELOPE_BYTES = 2048;
const MAX_NARA_ID = 64;
const COLOUR = /^#[0-9a-f]{6}$/;
const TRANSPORT_MODES: readonly TransportMode[] = ['mqtt', 'gossip', 'hybrid'];

/**
 * Names that passed validateName, remembered (a pure function's results, bounded): a plaza has few names
 * and each arrives again and again, while the Unicode checks cost about a microsecond.
 */
const validNames = new Set<string>();
const VALID: { readonly ok: true } = Object.freeze({ ok: true });
function isValidName(name: string): { ok: true } | { ok: false; reason: string; message: string } {
  if (validNames.has(name)) return VALID;
  const check = validateName(name);
  if (!check.ok) return check;
  if (validNames.size >= 4096) validNames.clear();
  validNames.add(name);
  return VALID;
}

// Top-level payload keys.
const P_VERSION = 0;
const P_KIND = 1;
const P_NAME = 2;
const P_ID = 3;
const P_EPOCH = 4;
const P_SEQ = 5;
const P_TIME = 6;
const P_BODY = 7;
const PAYLOAD_KEYS = keys(0, 1, 2, 3, 4, 5, 6, 7);

// ---------------------------------------------------------------------------------------------------------
// Decoding

const NO_EPOCH = new Uint8Array(0);
// Key sets the decoder uses per message, built once (`keys(...)` makes an array per call).
const KEYS_0 = keys(0);
const KEYS_01 = keys(0, 1);
const KEYS_012 = keys(0, 1, 2);

/**
 * What a verifier already knows of a sender, from the topic its message came on: strings that passed the
 * very checks the payload's would get. A payload whose bytes spell one of them takes it as it is (no
 * string made, no check repeated, no lookup); any other is read the ordinary way.
 */
export interface SenderHints {
  /** The name a newspaper topic carries, or null. */
  readonly name: string | null;
  /** The nara ID of the last envelope verified on this topic, or null. */
  readonly naraId: string | null;
}

/** The payload's map walker, restarted for each message: decoding is synchronous and never re-entered. */
const payloadWalker = new MapKeys();

/** Decodes and validates a payload; fails with a reason on anything outside the schema. */
export function readContent(r: StrictReader, sender: SenderHints | null = null): AnyEnvelopeContent {
  const map = payloadWalker.start(r, PAYLOAD_KEYS, 'payload');
  let kind: EnvelopeKind | undefined;
  let name = '';
  let naraId = '';
  // Never returned (the epoch is a required key): a placeholder, not an allocation per message.
  let epoch: Uint8Array = NO_EPOCH;
  let seq = 0;
  let time = 0;
  let body: unknown;
  for (let key = map.next(); key >= 0; key = map.next()) {
    switch (key) {
      case P_VERSION: {
        const v = r.expect(0, 'payload version');
        if (v !== SCHEMA_VERSION) fail('unsupported-version', `schema version ${v} is not ${SCHEMA_VERSION}`);
        break;
      }
      case P_KIND:
        if (!map.has(P_VERSION)) fail('missing-field', 'payload: key 0 (version) is required');
        kind = readKind(r);
        break;
      case P_NAME: {
        // The name a newspaper topic carries was checked by the same rules when the topic was parsed: the
        // payload naming the same nara (as it must) needs neither a string of its own nor a second check.
        if (sender !== null && sender.name !== null && r.textEquals(sender.name)) {
          name = sender.name;
          break;
        }
        name = r.text('name', 64);
        const check = isValidName(name);
        if (!check.ok) fail('invalid-name', `name: ${check.reason}`);
        break;
      }
      case P_ID:
        if (sender !== null && sender.naraId !== null && r.textEquals(sender.naraId)) {
          naraId = sender.naraId;
          break;
        }
        naraId = readNaraId(r, 'naraId');
        break;
      case P_EPOCH:
        epoch = readEpoch(r);
        break;
      case P_SEQ:
        seq = r.uint('seq', MAX_INT);
        break;
      case P_TIME:
        time = r.uint('time', MAX_INT);
        break;
      case P_BODY:
        if (kind === undefined) fail('missing-field', 'payload: key 1 (kind) is required');
        body = readBody(r, kind);
        break;
    }
  }
  map.require(PAYLOAD_KEYS);
  return { kind, name, naraId, epoch, seq, time, body } as AnyEnvelopeContent;
}

/**
 * The epoch, copied into the shared pool: a slice would be an ArrayBuffer of its own per message, and a view
 * for the copy one more object. The same checks, in the same order, as `bytesView` and a length check.
 */
function readEpoch(r: StrictReader): Uint8Array {
  const length = r.expect(MAJOR_BYTES, 'epoch');
  if (length > EPOCH_BYTES) fail('invalid-field', `epoch: at most ${EPOCH_BYTES} bytes`);
  const at = r.pos;
  r.skip(length);
  if (length !== EPOCH_BYTES) fail('invalid-field', `epoch: exactly ${EPOCH_BYTES} bytes`);
  return copyOut(r.bytes, at, EPOCH_BYTES);
}

const KINDS: readonly EnvelopeKind[] = ['newspaper', 'hey-there', 'chau', 'stash-refresh', 'checkpoint'];

function readKind(r: StrictReader): EnvelopeKind {
  for (let i = 0; i < KINDS.length; i++) if (r.textEquals(KINDS[i]!)) return KINDS[i]!;
  const kind = r.text('kind', 16);
  switch (kind) {
    case 'hey-there':
    case 'chau':
    case 'newspaper':
    case 'stash-refresh':
    case 'checkpoint':
      return kind;
    default:
      return fail('unknown-kind', `unknown kind ${JSON.stringify(kind.slice(0, 16))}`);
  }
}

function readNaraId(r: StrictReader, what: string): string {
  const id = r.text(what, MAX_NARA_ID);
  if (!isBase58(id)) fail('invalid-field', `${what}: base58, 1 to ${MAX_NARA_ID} characters`);
  return id;
}

/** Base58 (Bitcoin alphabet) characters by code unit: a table walk is cheaper than a RegExp here. */
const BASE58_CHARS = (() => {
  const table = new Uint8Array(128);
  for (const c of '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz') table[c.charCodeAt(0)] = 1;
  return table;
})();

/** A nara ID: 1 to 64 base58 characters (`/^[1-9A-HJ-NP-Za-km-z]{1,64}$/`). */
function isBase58(id: string): boolean {
  const n = id.length;
  if (n === 0 || n > MAX_NARA_ID) return false;
  for (let i = 0; i < n; i++) {
    const c = id.charCodeAt(i);
    if (c >= 128 || BASE58_CHARS[c] === 0) return false;
  }
  return true;
}

function readBody(r: StrictReader, kind: EnvelopeKind): unknown {
  switch (kind) {
    case 'hey-there':
      return readHeyThere(r);
    case 'chau':
      return readChau(r);
    case 'newspaper':
      return readNewspaper(r);
    case 'stash-refresh':
      new MapKeys(r, 0, 'stash-refresh body').next();
      return {};
    case 'checkpoint':
      return readCheckpoint(r);
  }
}

function readHeyThere(r: StrictReader): HeyThereBody {
  const map = new MapKeys(r, KEYS_0, 'hey-there body');
  const body: HeyThereBody = {};
  for (let key = map.next(); key >= 0; key = map.next()) body.meshIp = r.text('meshIp', 45);
  return body;
}

function readChau(r: StrictReader): ChauBody {
  const map = new MapKeys(r, KEYS_0, 'chau body');
  let reason = '';
  for (let key = map.next(); key >= 0; key = map.next()) reason = r.text('reason', 8);
  map.require(KEYS_0);
  if (reason !== 'left' && reason !== 'lost') fail('invalid-field', 'chau reason: "left" or "lost"');
  return { reason };
}

function readNewspaper(r: StrictReader): NewspaperBody {
  const map = new MapKeys(r, KEYS_01, 'newspaper body');
  let status: NewspaperStatus | undefined;
  let next = 0;
  for (let key = map.next(); key >= 0; key = map.next()) {
    if (key === 0) status = readStatus(r);
    else next = r.uint('next', MAX_INT);
  }
  map.require(KEYS_01);
  return { status: status!, next };
}

/**
 * A field table entry with every property of every kind of field, in one order: the checker reads fields of
 * all kinds at the same places, and entries of one shape keep those reads monomorphic.
 */
function field(f: FieldSpec): Field {
  const all = f as Partial<Record<'max' | 'values' | 'fields' | 'known' | 'required', unknown>>;
  return {
    key: f.key,
    name: f.name,
    type: f.type,
    max: all.max ?? 0,
    limit: all.max === MAX_INT ? -1 : ((all.max as number | undefined) ?? 0),
    values: all.values,
    fields: all.fields ?? NO_FIELDS,
    known: all.known ?? 0,
    required: all.required ?? 0,
  } as Field;
}
const NO_FIELDS: readonly Field[] = [];

/**
 * One scalar field of a flat map: its key, name, and how it is read and written. `limit` is `max` as a small
 * integer, -1 for 2^53 - 1 (set by {@link field}).
 */
type Field = FieldSpec & { limit: number };

/** A field as the tables write it. */
type FieldSpec =
  | { key: number; name: string; type: 'uint'; max: number }
  | { key: number; name: string; type: 'text'; max: number; values?: readonly string[] }
  | { key: number; name: string; type: 'bool' }
  | { key: number; name: string; type: 'map'; fields: readonly Field[]; known: number; required: number }
  | { key: number; name: string; type: 'colours' };

const HOST_STATS: readonly Field[] = [
  field({ key: 0, name: 'uptime', type: 'uint', max: MAX_INT }),
  field({ key: 1, name: 'loadCenti', type: 'uint', max: MAX_INT }),
  field({ key: 2, name: 'memAllocMb', type: 'uint', max: MAX_INT }),
  field({ key: 3, name: 'memSysMb', type: 'uint', max: MAX_INT }),
  field({ key: 4, name: 'memHeapMb', type: 'uint', max: MAX_INT }),
  field({ key: 5, name: 'memStackMb', type: 'uint', max: MAX_INT }),
  field({ key: 6, name: 'tasks', type: 'uint', max: MAX_INT }),
  field({ key: 7, name: 'gcCount', type: 'uint', max: MAX_INT }),
  field({ key: 8, name: 'cpuCenti', type: 'uint', max: MAX_INT }),
];

const PERSONALITY: readonly Field[] = [
  field({ key: 0, name: 'agreeableness', type: 'uint', max: 100 }),
  field({ key: 1, name: 'sociability', type: 'uint', max: 100 }),
  field({ key: 2, name: 'chill', type: 'uint', max: 100 }),
];

/** The key bit set of a field table. */
function keysOf(fields: readonly Field[]): number {
  return keys(...fields.map((f) => f.key));
}

/** NewspaperStatus, key by key (docs/PROTOCOL.md has the same table). */
export const STATUS_FIELDS: readonly Field[] = [
  field({ key: 0, name: 'licensePlate', type: 'text', max: 64 }),
  field({ key: 1, name: 'flair', type: 'text', max: 64 }),
  field({
    key: 2,
    name: 'hostStats',
    type: 'map',
    fields: HOST_STATS,
    known: keysOf(HOST_STATS),
    required: 0,
  }),
  field({ key: 3, name: 'chattiness', type: 'uint', max: 100 }),
  field({ key: 4, name: 'buzz', type: 'uint', max: 182 }),
  field({ key: 5, name: 'trend', type: 'text', max: 64 }),
  field({ key: 6, name: 'trendEmoji', type: 'text', max: 32 }),
  field({
    key: 7,
    name: 'personality',
    type: 'map',
    fields: PERSONALITY,
    known: keysOf(PERSONALITY),
    required: keys(0, 1, 2),
  }),
  field({ key: 8, name: 'aura', type: 'colours' }),
  field({ key: 9, name: 'version', type: 'text', max: 32 }),
  field({ key: 10, name: 'publicUrl', type: 'text', max: 256 }),
  field({ key: 11, name: 'meshEnabled', type: 'bool' }),
  field({ key: 12, name: 'meshIp', type: 'text', max: 45 }),
  field({ key: 13, name: 'transportMode', type: 'text', max: 8, values: TRANSPORT_MODES }),
  field({ key: 14, name: 'stashStored', type: 'uint', max: MAX_INT }),
  field({ key: 15, name: 'stashConfidants', type: 'uint', max: MAX_INT }),
];
const STATUS_REQUIRED = keys(3, 4);

/** Per field table: the key bit set, the fields by key, and the names (computed once). */
interface FieldIndex {
  keys: number;
  byKey: (Field | undefined)[];
  names: ReadonlySet<string>;
}
const FIELD_INDEX = new WeakMap<readonly Field[], FieldIndex>();
function fieldIndex(fields: readonly Field[]): FieldIndex {
  let index = FIELD_INDEX.get(fields);
  if (index === undefined) {
    const byKey: (Field | undefined)[] = [];
    for (const f of fields) byKey[f.key] = f;
    index = { keys: keys(...fields.map((f) => f.key)), byKey, names: new Set(fields.map((f) => f.name)) };
    FIELD_INDEX.set(fields, index);
  }
  return index;
}

function readFlat(r: StrictReader, fields: readonly Field[], required: number, what: string) {
  const index = fieldIndex(fields);
  const map = new MapKeys(r, index.keys, what);
  const out: Record<string, unknown> = {};
  for (let key = map.next(); key >= 0; key = map.next()) {
    const field = index.byKey[key]!;
    out[field.name] = readField(r, field);
  }
  map.require(required);
  return out;
}

function readField(r: StrictReader, field: Field): unknown {
  switch (field.type) {
    case 'uint':
      return r.uint(field.name, field.max);
    case 'text': {
      const value = r.text(field.name, field.max);
      if (field.values && !field.values.includes(value))
        fail('invalid-field', `${field.name}: one of ${field.values.join(', ')}`);
      return value;
    }
    case 'bool':
      return r.bool(field.name);
    case 'map':
      return readFlat(r, field.fields, field.required, field.name);
    case 'colours': {
      const map = new MapKeys(r, KEYS_01, field.name);
      let primary = '';
      let secondary = '';
      for (let key = map.next(); key >= 0; key = map.next()) {
        const text = colour(r.uint('aura colour', 0xffffff));
        if (key === 0) primary = text;
        else secondary = text;
      }
      map.require(KEYS_01);
      return { primary, secondary } satisfies Aura;
    }
  }
}

/**
 * `#rrggbb` for a colour, remembered (bounded): a nara's aura is the same in every newspaper, and building
 * the string (toString, padStart, a template) was four strings per colour per message.
 */
const colourTexts = new Map<number, string>();
function colour(value: number): string {
  const known = colourTexts.get(value);
  if (known !== undefined) return known;
  const text = `#${value.toString(16).padStart(6, '0')}`;
  if (colourTexts.size >= 4096) colourTexts.clear();
  colourTexts.set(value, text);
  return text;
}

/** The field of `table` with wire key `key` (the tables are indexed by key). */
function at(table: readonly Field[], key: number): Field {
  return table[key]!;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The status is on the path of every newspaper, so it is read with a named store per field (one hidden
 * class for every status with the same fields) instead of {@link readFlat}'s keyed stores, which cost about
 * as much as the rest of the payload together. The limits still come from STATUS_FIELDS, which the writer
 * and docs/PROTOCOL.md follow too.
 */
function readStatus(r: StrictReader): NewspaperStatus {
  const map = new MapKeys(r, STATUS_KEYS, 'status');
  const out: Mutable<NewspaperStatus> = {} as NewspaperStatus;
  for (let key = map.next(); key >= 0; key = map.next()) {
    const field = at(STATUS_FIELDS, key);
    switch (key) {
      case 0:
        out.licensePlate = readField(r, field) as string;
        break;
      case 1:
        out.flair = readField(r, field) as string;
        break;
      case 2:
        out.hostStats = readHostStats(r);
        break;
      case 3:
        out.chattiness = readField(r, field) as number;
        break;
      case 4:
        out.buzz = readField(r, field) as number;
        break;
      case 5:
        out.trend = readField(r, field) as string;
        break;
      case 6:
        out.trendEmoji = readField(r, field) as string;
        break;
      case 7:
        out.personality = readPersonality(r);
        break;
      case 8:
        out.aura = readField(r, field) as Aura;
        break;
      case 9:
        out.version = readField(r, field) as string;
        break;
      case 10:
        out.publicUrl = readField(r, field) as string;
        break;
      case 11:
        out.meshEnabled = readField(r, field) as boolean;
        break;
      case 12:
        out.meshIp = readField(r, field) as string;
        break;
      case 13:
        out.transportMode = readField(r, field) as TransportMode;
        break;
      case 14:
        out.stashStored = readField(r, field) as number;
        break;
      case 15:
        out.stashConfidants = readField(r, field) as number;
        break;
    }
  }
  map.require(STATUS_REQUIRED);
  return out;
}

const STATUS_KEYS = keysOf(STATUS_FIELDS);
const HOST_STATS_KEYS = keysOf(HOST_STATS);
const PERSONALITY_KEYS = keysOf(PERSONALITY);
const PERSONALITY_REQUIRED = keys(0, 1, 2);

function readHostStats(r: StrictReader): HostStats {
  const map = new MapKeys(r, HOST_STATS_KEYS, 'hostStats');
  let uptime = 0;
  let loadCenti = 0;
  let memAllocMb = 0;
  let memSysMb = 0;
  let memHeapMb = 0;
  let memStackMb = 0;
  let tasks = 0;
  let gcCount = 0;
  let cpuCenti = 0;
  let seen = 0;
  for (let key = map.next(); key >= 0; key = map.next()) {
    const field = at(HOST_STATS, key);
    const value = r.uint(field.name, (field as { max: number }).max);
    seen |= 1 << key;
    switch (key) {
      case 0:
        uptime = value;
        break;
      case 1:
        loadCenti = value;
        break;
      case 2:
        memAllocMb = value;
        break;
      case 3:
        memSysMb = value;
        break;
      case 4:
        memHeapMb = value;
        break;
      case 5:
        memStackMb = value;
        break;
      case 6:
        tasks = value;
        break;
      case 7:
        gcCount = value;
        break;
      case 8:
        cpuCenti = value;
        break;
    }
  }
  // A nara reports all its host stats: one literal, one object (grown field by field, nine fields also need
  // a second, out-of-object store, and three reallocations of it). Same fields in the same order either way.
  if (seen === HOST_STATS_KEYS)
    return { uptime, loadCenti, memAllocMb, memSysMb, memHeapMb, memStackMb, tasks, gcCount, cpuCenti };
  const out: Mutable<HostStats> = {};
  if (seen & 1) out.uptime = uptime;
  if (seen & 2) out.loadCenti = loadCenti;
  if (seen & 4) out.memAllocMb = memAllocMb;
  if (seen & 8) out.memSysMb = memSysMb;
  if (seen & 16) out.memHeapMb = memHeapMb;
  if (seen & 32) out.memStackMb = memStackMb;
  if (seen & 64) out.tasks = tasks;
  if (seen & 128) out.gcCount = gcCount;
  if (seen & 256) out.cpuCenti = cpuCenti;
  return out;
}

function readPersonality(r: StrictReader): Personality {
  const map = new MapKeys(r, PERSONALITY_KEYS, 'personality');
  let agreeableness = 0;
  let sociability = 0;
  let chill = 0;
  for (let key = map.next(); key >= 0; key = map.next()) {
    const field = at(PERSONALITY, key);
    const value = r.uint(field.name, (field as { max: number }).max);
    if (key === 0) agreeableness = value;
    else if (key === 1) sociability = value;
    else chill = value;
  }
  map.require(PERSONALITY_REQUIRED);
  return { agreeableness, sociability, chill };
}

// Checkpoint body keys.
const C_OP = 0;
const C_SUBJECT = 1;
const C_SUBJECT_ID = 2;
const C_OBSERVATION = 3;
const C_AS_OF = 4;
const C_ROUND = 5;
const C_LAST_SEEN = 6;
const C_PROPOSAL_TIME = 7;
const C_APPROVED = 8;
const C_PREVIOUS = 9;
const C_VOTES = 10;
const C_COMMON = keys(C_OP, C_SUBJECT, C_SUBJECT_ID, C_OBSERVATION, C_AS_OF, C_ROUND);
const C_ALLOWED = {
  propose: C_COMMON | keys(C_LAST_SEEN),
  vote: C_COMMON | keys(C_LAST_SEEN, C_PROPOSAL_TIME, C_APPROVED),
  final: C_COMMON | keys(C_PREVIOUS, C_VOTES),
} as const;
const C_REQUIRED = {
  propose: C_COMMON,
  vote: C_COMMON | keys(C_PROPOSAL_TIME, C_APPROVED),
  final: C_COMMON | keys(C_VOTES),
} as const;
const CHECKPOINT_ID_BYTES = 64;

function readCheckpoint(r: StrictReader): CheckpointBody {
  const map = new MapKeys(r, C_ALLOWED.propose | C_ALLOWED.vote | C_ALLOWED.final, 'checkpoint body');
  const out: Record<string, unknown> = {};
  let op: 'propose' | 'vote' | 'final' | undefined;
  for (let key = map.next(); key >= 0; key = map.next()) {
    if (key !== C_OP) {
      if (op === undefined) fail('missing-field', 'checkpoint body: key 0 (op) is required');
      if (((C_ALLOWED[op] >>> key) & 1) === 0)
        fail('unknown-field', `checkpoint body: key ${key} is not part of a ${op}`);
    }
    switch (key) {
      case C_OP: {
        const value = r.text('op', 8);
        if (value !== 'propose' && value !== 'vote' && value !== 'final')
          fail('invalid-field', 'op: one of propose, vote, final');
        op = value;
        out.op = op;
        break;
      }
      case C_SUBJECT: {
        const subject = r.text('subject', 64);
        const check = isValidName(subject);
        if (!check.ok) fail('invalid-name', `subject: ${check.reason}`);
        out.subject = subject;
        break;
      }
      case C_SUBJECT_ID:
        out.subjectId = readNaraId(r, 'subjectId');
        break;
      case C_OBSERVATION:
        out.observation = readFlat(r, OBSERVATION, KEYS_012, 'observation');
        break;
      case C_AS_OF:
        out.asOfTime = r.uint('asOfTime', MAX_INT);
        break;
      case C_ROUND: {
        const round = r.uint('round', 2);
        if (round === 0) fail('invalid-field', 'round: 1 or 2');
        out.round = round;
        break;
      }
      case C_LAST_SEEN:
        out.lastSeenCheckpointId = r.text('lastSeenCheckpointId', CHECKPOINT_ID_BYTES);
        break;
      case C_PROPOSAL_TIME:
        out.proposalTime = r.uint('proposalTime', MAX_INT);
        break;
      case C_APPROVED:
        out.approved = r.bool('approved');
        break;
      case C_PREVIOUS:
        out.previousCheckpointId = r.text('previousCheckpointId', CHECKPOINT_ID_BYTES);
        break;
      case C_VOTES: {
        const count = r.expect(MAJOR_ARRAY, 'votes');
        if (count > MAX_CHECKPOINT_VOTES) fail('invalid-field', `votes: at most ${MAX_CHECKPOINT_VOTES}`);
        const votes: Uint8Array[] = [];
        for (let i = 0; i < count; i++)
          votes.push(r.bytesView('vote envelope', MAX_VOTE_ENVELOPE_BYTES).slice());
        out.votes = votes;
        break;
      }
    }
  }
  if (op === undefined) return fail('missing-field', 'checkpoint body: key 0 (op) is required');
  map.require(C_REQUIRED[op]);
  return out as unknown as CheckpointBody;
}

const OBSERVATION: readonly Field[] = [
  field({ key: 0, name: 'restarts', type: 'uint', max: MAX_INT }),
  field({ key: 1, name: 'totalUptime', type: 'uint', max: MAX_INT }),
  field({ key: 2, name: 'startTime', type: 'uint', max: MAX_INT }),
];

// ---------------------------------------------------------------------------------------------------------
// Encoding

function bad(reason: RejectReason, message: string): never {
  throw new InvalidContentError(reason, message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

function checkUint(value: unknown, what: string, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max)
    bad('invalid-field', `${what} must be an integer from 0 to ${max}`);
  return value;
}

function writeText(w: Writer, value: unknown, what: string, max: number): void {
  if (typeof value !== 'string') bad('invalid-field', `${what} must be a string`);
  // Lone surrogates would become U+FFFD on the way out: refuse them rather than sign a changed string.
  if (hasSurrogates(value) && LONE_SURROGATE.test(value))
    bad('invalid-utf8', `${what} must be well-formed Unicode`);
  if (value.length > max || (value.length * 3 > max && utf8Length(value) > max))
    bad('invalid-field', `${what} must be at most ${max} bytes of UTF-8`);
  w.text(value);
}

const LONE_SURROGATE = /\p{Cs}/u;

/** Whether `value` has any surrogate unit: a loop over a short string is cheaper than the RegExp. */
function hasSurrogates(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) return true;
  }
  return false;
}

function utf8Length(value: string): number {
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** Rejects keys the schema does not define, so a typo is not silently dropped from a signed message. */
function checkKeys(value: Record<string, unknown>, allowed: ReadonlySet<string>, what: string): void {
  for (const key in value)
    if (value[key] !== undefined && !allowed.has(key)) bad('unknown-field', `${what} has no field ${key}`);
}

const CONTENT_KEYS = new Set(['kind', 'name', 'naraId', 'epoch', 'seq', 'time', 'body']);
const HEY_THERE_KEYS = new Set(['meshIp']);
const CHAU_KEYS = new Set(['reason']);
const NEWSPAPER_KEYS = new Set(['status', 'next']);
const NO_KEYS = new Set<string>();
const AURA_KEYS = new Set(['primary', 'secondary']);

/** Values of the fields of the map being written, read once per field (keyed reads are the cost here). */
const flatValues: unknown[] = [];

function writeFlat(w: Writer, value: unknown, fields: readonly Field[], required: number, what: string) {
  if (!isRecord(value)) bad('invalid-field', `${what} must be an object`);
  checkKeys(value, fieldIndex(fields).names, what);
  // Nested maps (hostStats in status) write after their parent has read its values: keep a frame each.
  const base = flatValues.length;
  let count = 0;
  for (const field of fields) {
    const v = value[field.name];
    flatValues.push(v);
    if (v !== undefined) count++;
    else if ((required >>> field.key) & 1) bad('missing-field', `${what}.${field.name} is required`);
  }
  try {
    w.head(5, count);
    for (let i = 0; i < fields.length; i++) {
      const v = flatValues[base + i];
      if (v === undefined) continue;
      const field = fields[i]!;
      w.uint(field.key);
      writeField(w, v, field, what);
    }
  } finally {
    flatValues.length = base;
  }
}

/** Writes one present field; the path for a message is only built when the value is refused. */
function writeField(w: Writer, v: unknown, field: Field, what: string): void {
  switch (field.type) {
    case 'uint':
      if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > field.max)
        checkUint(v, `${what}.${field.name}`, field.max);
      w.uint(v as number);
      return;
    case 'text':
      if (field.values && !field.values.includes(v as string))
        bad('invalid-field', `${what}.${field.name} must be one of ${field.values.join(', ')}`);
      if (typeof v === 'string' && v.length <= field.max && !hasSurrogates(v) && v.length * 3 <= field.max)
        w.text(v);
      else writeText(w, v, `${what}.${field.name}`, field.max);
      return;
    case 'bool':
      if (typeof v !== 'boolean') bad('invalid-field', `${what}.${field.name} must be a boolean`);
      w.bool(v);
      return;
    case 'map':
      writeFlat(w, v, field.fields, field.required, `${what}.${field.name}`);
      return;
    case 'colours': {
      const path = `${what}.${field.name}`;
      if (!isRecord(v)) bad('invalid-field', `${path} must be an object`);
      checkKeys(v, AURA_KEYS, path);
      w.head(5, 2);
      const primary = v.primary;
      const secondary = v.secondary;
      if (typeof primary !== 'string' || !COLOUR.test(primary))
        bad('invalid-field', `${path}.primary must be a lowercase #rrggbb colour`);
      if (typeof secondary !== 'string' || !COLOUR.test(secondary))
        bad('invalid-field', `${path}.secondary must be a lowercase #rrggbb colour`);
      w.uint(0);
      w.uint(Number.parseInt(primary.slice(1), 16));
      w.uint(1);
      w.uint(Number.parseInt(secondary.slice(1), 16));
      return;
    }
  }
}

/**
 * The status is on the path of every newspaper signed, so its fields are read with named loads (one
 * hidden class per status shape) rather than {@link writeFlat}'s keyed ones; limits still come from
 * STATUS_FIELDS. Same checks, same order, same messages as writeFlat.
 */
function writeStatus(w: Writer, value: unknown): void {
  const what = 'body.status';
  if (!isRecord(value)) bad('invalid-field', `${what} must be an object`);
  checkKeys(value, STATUS_NAMES, what);
  const s = value as unknown as NewspaperStatus;
  const v0 = s.licensePlate;
  const v1 = s.flair;
  const v2 = s.hostStats;
  const v3 = s.chattiness;
  const v4 = s.buzz;
  const v5 = s.trend;
  const v6 = s.trendEmoji;
  const v7 = s.personality;
  const v8 = s.aura;
  const v9 = s.version;
  const v10 = s.publicUrl;
  const v11 = s.meshEnabled;
  const v12 = s.meshIp;
  const v13 = s.transportMode;
  const v14 = s.stashStored;
  const v15 = s.stashConfidants;
  if (v3 === undefined) bad('missing-field', `${what}.chattiness is required`);
  if (v4 === undefined) bad('missing-field', `${what}.buzz is required`);
  const count =
    (v0 !== undefined ? 1 : 0) +
    (v1 !== undefined ? 1 : 0) +
    (v2 !== undefined ? 1 : 0) +
    2 +
    (v5 !== undefined ? 1 : 0) +
    (v6 !== undefined ? 1 : 0) +
    (v7 !== undefined ? 1 : 0) +
    (v8 !== undefined ? 1 : 0) +
    (v9 !== undefined ? 1 : 0) +
    (v10 !== undefined ? 1 : 0) +
    (v11 !== undefined ? 1 : 0) +
    (v12 !== undefined ? 1 : 0) +
    (v13 !== undefined ? 1 : 0) +
    (v14 !== undefined ? 1 : 0) +
    (v15 !== undefined ? 1 : 0);
  w.head(5, count);
  const F = STATUS_FIELDS;
  if (v0 !== undefined) writeKeyed(w, v0, at(F, 0), what);
  if (v1 !== undefined) writeKeyed(w, v1, at(F, 1), what);
  if (v2 !== undefined) writeKeyed(w, v2, at(F, 2), what);
  writeKeyed(w, v3, at(F, 3), what);
  writeKeyed(w, v4, at(F, 4), what);
  if (v5 !== undefined) writeKeyed(w, v5, at(F, 5), what);
  if (v6 !== undefined) writeKeyed(w, v6, at(F, 6), what);
  if (v7 !== undefined) writeKeyed(w, v7, at(F, 7), what);
  if (v8 !== undefined) writeKeyed(w, v8, at(F, 8), what);
  if (v9 !== undefined) writeKeyed(w, v9, at(F, 9), what);
  if (v10 !== undefined) writeKeyed(w, v10, at(F, 10), what);
  if (v11 !== undefined) writeKeyed(w, v11, at(F, 11), what);
  if (v12 !== undefined) writeKeyed(w, v12, at(F, 12), what);
  if (v13 !== undefined) writeKeyed(w, v13, at(F, 13), what);
  if (v14 !== undefined) writeKeyed(w, v14, at(F, 14), what);
  if (v15 !== undefined) writeKeyed(w, v15, at(F, 15), what);
}

const STATUS_NAMES = new Set(STATUS_FIELDS.map((f) => f.name));

function writeKeyed(w: Writer, v: unknown, field: Field, what: string): void {
  w.uint(field.key);
  writeField(w, v, field, what);
}

const payloadScratch = new Scratch(1024);

/**
 * Encodes `content` as the plaza/1 payload, validating every field. Returns a view of scratch space, valid
 * until the next call: copy it before encoding another payload.
 */
export function writeContent(content: AnyEnvelopeContent): Uint8Array {
  if (!isRecord(content)) throw new TypeError('content must be an object');
  const c = content as unknown as Record<string, unknown>;
  checkKeys(c, CONTENT_KEYS, 'content');
  const w = new Writer(payloadScratch.get(1024));
  w.head(5, 8);
  w.uint(P_VERSION);
  w.uint(SCHEMA_VERSION);
  w.uint(P_KIND);
  const kind = c.kind;
  if (
    kind !== 'hey-there' &&
    kind !== 'chau' &&
    kind !== 'newspaper' &&
    kind !== 'stash-refresh' &&
    kind !== 'checkpoint'
  )
    bad('unknown-kind', `content.kind: unknown kind ${JSON.stringify(kind)}`);
  w.text(kind);
  w.uint(P_NAME);
  if (typeof c.name !== 'string') bad('invalid-name', 'content.name must be a string');
  const name = isValidName(c.name);
  if (!name.ok) bad('invalid-name', `content.name: ${name.message}`);
  w.text(c.name);
  w.uint(P_ID);
  writeNaraId(w, c.naraId, 'content.naraId');
  w.uint(P_EPOCH);
  if (!(c.epoch instanceof Uint8Array) || c.epoch.length !== EPOCH_BYTES)
    bad('invalid-field', `content.epoch must be a Uint8Array of ${EPOCH_BYTES} bytes`);
  w.bytes(c.epoch);
  w.uint(P_SEQ);
  w.uint(checkUint(c.seq, 'content.seq', MAX_INT));
  w.uint(P_TIME);
  w.uint(checkUint(c.time, 'content.time', MAX_INT));
  w.uint(P_BODY);
  writeBody(w, kind, c.body);
  return w.finish();
}

function writeNaraId(w: Writer, value: unknown, what: string): void {
  if (typeof value !== 'string' || !isBase58(value))
    bad('invalid-field', `${what} must be base58, 1 to ${MAX_NARA_ID} characters`);
  w.text(value);
}

function writeBody(w: Writer, kind: EnvelopeKind, body: unknown): void {
  if (!isRecord(body)) bad('invalid-field', 'content.body must be an object');
  switch (kind) {
    case 'hey-there': {
      const b = body as HeyThereBody;
      checkKeys(body, HEY_THERE_KEYS, 'hey-there body');
      w.head(5, b.meshIp === undefined ? 0 : 1);
      if (b.meshIp !== undefined) {
        w.uint(0);
        writeText(w, b.meshIp, 'body.meshIp', 45);
      }
      return;
    }
    case 'chau': {
      checkKeys(body, CHAU_KEYS, 'chau body');
      const reason = (body as unknown as ChauBody).reason;
      if (reason !== 'left' && reason !== 'lost')
        bad('invalid-field', 'body.reason must be "left" or "lost"');
      w.head(5, 1);
      w.uint(0);
      w.text(reason);
      return;
    }
    case 'newspaper': {
      checkKeys(body, NEWSPAPER_KEYS, 'newspaper body');
      const b = body as unknown as NewspaperBody;
      w.head(5, 2);
      w.uint(0);
      writeStatus(w, b.status);
      w.uint(1);
      w.uint(checkUint(b.next, 'body.next', MAX_INT));
      return;
    }
    case 'stash-refresh':
      checkKeys(body, NO_KEYS, 'stash-refresh body');
      w.head(5, 0);
      return;
    case 'checkpoint':
      writeCheckpoint(w, body);
      return;
  }
}

function writeCheckpoint(w: Writer, b: Record<string, unknown>): void {
  const op = b.op;
  if (op !== 'propose' && op !== 'vote' && op !== 'final')
    bad('invalid-field', 'body.op must be propose, vote or final');
  const names: Record<number, string> = {
    [C_OP]: 'op',
    [C_SUBJECT]: 'subject',
    [C_SUBJECT_ID]: 'subjectId',
    [C_OBSERVATION]: 'observation',
    [C_AS_OF]: 'asOfTime',
    [C_ROUND]: 'round',
    [C_LAST_SEEN]: 'lastSeenCheckpointId',
    [C_PROPOSAL_TIME]: 'proposalTime',
    [C_APPROVED]: 'approved',
    [C_PREVIOUS]: 'previousCheckpointId',
    [C_VOTES]: 'votes',
  };
  const allowed = C_ALLOWED[op];
  const present: number[] = [];
  for (let key = 0; key <= C_VOTES; key++) {
    if (((allowed >>> key) & 1) === 0) continue;
    const name = names[key]!;
    if (b[name] !== undefined) present.push(key);
    else if ((C_REQUIRED[op] >>> key) & 1) bad('missing-field', `body.${name} is required for a ${op}`);
  }
  checkKeys(b, new Set(present.map((k) => names[k]!)), `checkpoint ${op} body`);
  w.head(5, present.length);
  for (const key of present) {
    w.uint(key);
    const v = b[names[key]!];
    switch (key) {
      case C_OP:
        w.text(op);
        break;
      case C_SUBJECT: {
        if (typeof v !== 'string') bad('invalid-name', 'body.subject must be a string');
        const check = isValidName(v);
        if (!check.ok) bad('invalid-name', `body.subject: ${check.message}`);
        w.text(v);
        break;
      }
      case C_SUBJECT_ID:
        writeNaraId(w, v, 'body.subjectId');
        break;
      case C_OBSERVATION:
        writeFlat(w, v as CheckpointObservation, OBSERVATION, keys(0, 1, 2), 'body.observation');
        break;
      case C_AS_OF:
        w.uint(checkUint(v, 'body.asOfTime', MAX_INT));
        break;
      case C_ROUND:
        if (v !== 1 && v !== 2) bad('invalid-field', 'body.round must be 1 or 2');
        w.uint(v);
        break;
      case C_LAST_SEEN:
      case C_PREVIOUS:
        writeText(w, v, `body.${names[key]}`, CHECKPOINT_ID_BYTES);
        break;
      case C_PROPOSAL_TIME:
        w.uint(checkUint(v, 'body.proposalTime', MAX_INT));
        break;
      case C_APPROVED:
        if (typeof v !== 'boolean') bad('invalid-field', 'body.approved must be a boolean');
        w.bool(v);
        break;
      case C_VOTES: {
        if (!Array.isArray(v) || v.length > MAX_CHECKPOINT_VOTES)
          bad('invalid-field', `body.votes must be an array of at most ${MAX_CHECKPOINT_VOTES} envelopes`);
        w.head(MAJOR_ARRAY, v.length);
        for (const vote of v) {
          if (!(vote instanceof Uint8Array) || vote.length > MAX_VOTE_ENVELOPE_BYTES)
            bad(
              'invalid-field',
              `body.votes entries must be Uint8Arrays of at most ${MAX_VOTE_ENVELOPE_BYTES} bytes`,
            );
          w.bytes(vote);
        }
        break;
      }
    }
  }
}
