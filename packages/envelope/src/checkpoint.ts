/**
 * The checkpoint body of plaza/1, read and written: which keys each op (propose, vote, final) allows and
 * requires, and the rules of each field (docs/PROTOCOL.md).
 */
import { fail, keys, MAJOR_ARRAY, MapKeys, type StrictReader } from './cbor-reader.js';
import { isValidName } from './names.js';
import { readField, readNaraId } from './read-fields.js';
import { CHECKPOINT_FIELDS, CHECKPOINT_NAMES } from './schema.js';
import { type CheckpointBody, MAX_CHECKPOINT_VOTES } from './types.js';
import { bad, checkKeys, checkNaraId, fieldValue, type WireMap } from './write-fields.js';

/** Longest vote envelope a final checkpoint may embed. */
const MAX_VOTE_ENVELOPE_BYTES = 2048;

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

export function readCheckpoint(r: StrictReader): CheckpointBody {
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
      case C_ROUND: {
        const round = r.uint('round', 2);
        if (round === 0) fail('invalid-field', 'round: 1 or 2');
        out.round = round;
        break;
      }
      case C_VOTES: {
        // An array's count is judged at its head, as a string's length (docs/PROTOCOL.md section 4.1).
        const count = r.expect(MAJOR_ARRAY, 'votes');
        if (count === 0 || count > MAX_CHECKPOINT_VOTES)
          fail('invalid-field', `votes: 1 to ${MAX_CHECKPOINT_VOTES}`);
        const votes: Uint8Array[] = [];
        for (let i = 0; i < count; i++)
          votes.push(r.bytesView('vote envelope', MAX_VOTE_ENVELOPE_BYTES).slice());
        out.votes = votes;
        break;
      }
      default:
        out[CHECKPOINT_NAMES[key]!] = readField(r, CHECKPOINT_FIELDS[key]!);
    }
  }
  if (op === undefined) return fail('missing-field', 'checkpoint body: key 0 (op) is required');
  map.require(C_REQUIRED[op]);
  return out as unknown as CheckpointBody;
}

/** A checkpoint body as it goes on the wire, every field checked. */
export function checkpointValue(b: Record<string, unknown>): WireMap {
  const op = b.op;
  if (op !== 'propose' && op !== 'vote' && op !== 'final')
    bad('invalid-field', 'body.op must be propose, vote or final');
  const names: readonly string[] = CHECKPOINT_NAMES;
  const allowed = C_ALLOWED[op];
  const present: number[] = [];
  for (let key = 0; key <= C_VOTES; key++) {
    if (((allowed >>> key) & 1) === 0) continue;
    const name = names[key]!;
    if (b[name] !== undefined) present.push(key);
    else if ((C_REQUIRED[op] >>> key) & 1) bad('missing-field', `body.${name} is required for a ${op}`);
  }
  checkKeys(b, new Set(present.map((k) => names[k]!)), `checkpoint ${op} body`);
  const out: WireMap = new Map();
  for (const key of present) {
    const v = b[names[key]!];
    switch (key) {
      case C_OP:
        out.set(key, op);
        break;
      case C_SUBJECT: {
        if (typeof v !== 'string') bad('invalid-name', 'body.subject must be a string');
        const check = isValidName(v);
        if (!check.ok) bad('invalid-name', `body.subject: ${check.message}`);
        out.set(key, v);
        break;
      }
      case C_SUBJECT_ID:
        out.set(key, checkNaraId(v, 'body.subjectId'));
        break;
      case C_ROUND:
        if (v !== 1 && v !== 2) bad('invalid-field', 'body.round must be 1 or 2');
        out.set(key, v);
        break;
      case C_VOTES: {
        if (!Array.isArray(v) || v.length === 0 || v.length > MAX_CHECKPOINT_VOTES)
          bad('invalid-field', `body.votes must be an array of 1 to ${MAX_CHECKPOINT_VOTES} envelopes`);
        for (const vote of v) {
          if (!(vote instanceof Uint8Array) || vote.length > MAX_VOTE_ENVELOPE_BYTES)
            bad(
              'invalid-field',
              `body.votes entries must be Uint8Arrays of at most ${MAX_VOTE_ENVELOPE_BYTES} bytes`,
            );
        }
        out.set(key, v as Uint8Array[]);
        break;
      }
      default:
        out.set(key, fieldValue(v, CHECKPOINT_FIELDS[key]!, 'body'));
    }
  }
  return out;
}
