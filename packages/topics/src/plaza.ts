import { InvalidNameError } from './errors.js';
import { MAX_NAME_BYTES, type NameRejection, validateName } from './names.js';

/** The one subscription a nara makes: everything under `nara/`. */
export const PLAZA_FILTER = 'nara/#';

/** Fixed topic names of the plaza (from the seed spec; QoS 0, live only: newspapers alone are retained). */
export const HEY_THERE_TOPIC = 'nara/plaza/hey-there';
export const CHAU_TOPIC = 'nara/plaza/chau';
export const STASH_REFRESH_TOPIC = 'nara/plaza/stash_refresh';
const NEWSPAPER_PREFIX = 'nara/plaza/newspaper/';
const SUCCESSION_PREFIX = 'nara/plaza/succession/';
const NAMED_TOPICS = [
  [NEWSPAPER_PREFIX, 'newspaper'],
  [SUCCESSION_PREFIX, 'succession'],
] as const;
const CHECKPOINT_PREFIX = 'nara/checkpoint/';

/** The operations a checkpoint topic can carry. */
export const CHECKPOINT_OPS = ['propose', 'vote', 'final'] as const;
export type CheckpointOp = (typeof CHECKPOINT_OPS)[number];

/** The kinds of plaza message, named as in the envelope's `kind` field. */
export type PlazaKind = 'hey-there' | 'chau' | 'newspaper' | 'stash-refresh' | 'checkpoint' | 'succession';

/** A plaza topic taken apart. */
export type PlazaTopic =
  | { kind: 'hey-there' }
  | { kind: 'chau' }
  | { kind: 'stash-refresh' }
  | { kind: 'newspaper'; name: string }
  | { kind: 'checkpoint'; subject: string; op: CheckpointOp }
  | { kind: 'succession'; name: string };

/** Why a topic could not be parsed. A closed set, stable for metrics and logs. */
export type TopicRejection =
  | 'not-a-topic'
  | 'too-long'
  | 'invalid-utf8'
  | 'outside-plaza'
  | 'unknown-topic'
  | 'invalid-name'
  | 'unknown-checkpoint-op';

export type TopicParse =
  | { ok: true; topic: PlazaTopic }
  | { ok: false; reason: TopicRejection; message: string; nameReason?: NameRejection };

/**
 * Longest plaza topic: `nara/checkpoint/` + a maximal name with every byte escaped (3 bytes each, see
 * {@link escapeNameLevel}) + `/propose`. Anything longer is refused before it is split or decoded.
 */
export const MAX_PLAZA_TOPIC_BYTES = CHECKPOINT_PREFIX.length + 3 * MAX_NAME_BYTES + '/propose'.length;

/**
 * A nara name as a topic level. Brokers treat `.` specially (NATS 2.9 closes the connection of a client
 * publishing it in an MQTT topic; RabbitMQ delivers it as `/`, another level), and host names such as
 * `bravo.local` are common nara names: so `.` travels as `%2E`, and `%` as `%25` to keep the mapping
 * one-to-one. Every valid name has exactly one level, and {@link unescapeNameLevel} gives the name back.
 *
 * @example
 * ```ts
 * escapeNameLevel('bravo.local'); // 'bravo%2Elocal'
 * escapeNameLevel('100%');        // '100%25'
 * ```
 */
export function escapeNameLevel(name: string): string {
  return name.replace(/[%.]/g, (c) => (c === '%' ? '%25' : '%2E'));
}

/**
 * The name a topic level carries: `%25` and `%2E` decoded (uppercase only, as {@link escapeNameLevel}
 * writes them); `undefined` for any other `%`. A literal `.` is taken as it is (what this implementation
 * sent before the escaping, over brokers that carry it).
 */
export function unescapeNameLevel(level: string): string | undefined {
  if (!level.includes('%')) return level;
  let bad = false;
  const name = level.replace(/%(25|2E)?/g, (match, code: string | undefined) => {
    if (code === undefined) bad = true;
    return code === '25' ? '%' : code === '2E' ? '.' : match;
  });
  return bad ? undefined : name;
}

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The topic a nara's newspapers are published on.
 *
 * @throws {InvalidNameError} when `name` would corrupt the topic (see `validateName`).
 * @example
 * ```ts
 * newspaperTopic('noisy-bear-189'); // 'nara/plaza/newspaper/noisy-bear-189'
 * ```
 */
export function newspaperTopic(name: string): string {
  return NEWSPAPER_PREFIX + escapeNameLevel(checkedName(name, 'name'));
}

/**
 * The topic on which the nara `name` announces that it moved to its next soul (docs/PROTOCOL.md section 12).
 *
 * @throws {InvalidNameError} when `name` would corrupt the topic (see `validateName`).
 * @example
 * ```ts
 * successionTopic('noisy-bear-189'); // 'nara/plaza/succession/noisy-bear-189'
 * ```
 */
export function successionTopic(name: string): string {
  return SUCCESSION_PREFIX + escapeNameLevel(checkedName(name, 'name'));
}

/**
 * The topic of a checkpoint operation about `subject`.
 *
 * @throws {InvalidNameError} when `subject` is not a valid nara name.
 * @throws {TypeError} when `op` is not one of {@link CHECKPOINT_OPS}.
 */
export function checkpointTopic(subject: string, op: CheckpointOp): string {
  if (!isCheckpointOp(op))
    throw new TypeError(`op must be one of ${CHECKPOINT_OPS.join(', ')}, got ${JSON.stringify(op)}`);
  return `${CHECKPOINT_PREFIX}${escapeNameLevel(checkedName(subject, 'subject'))}/${op}`;
}

/**
 * Builds the topic for a parsed topic value; the inverse of {@link parseTopic}.
 *
 * @throws {InvalidNameError} or {TypeError} when a part is invalid.
 */
export function buildTopic(topic: PlazaTopic): string {
  switch (topic.kind) {
    case 'hey-there':
      return HEY_THERE_TOPIC;
    case 'chau':
      return CHAU_TOPIC;
    case 'stash-refresh':
      return STASH_REFRESH_TOPIC;
    case 'newspaper':
      return newspaperTopic(topic.name);
    case 'checkpoint':
      return checkpointTopic(topic.subject, topic.op);
    case 'succession':
      return successionTopic(topic.name);
    default:
      throw new TypeError(`unknown plaza topic kind: ${JSON.stringify((topic as { kind?: unknown }).kind)}`);
  }
}

/**
 * Takes a received topic apart. Accepts the topic as a string or as the raw bytes from the wire (then
 * invalid UTF-8 is a rejection, not a U+FFFD). Never throws: an unknown or malformed topic gives a reason.
 *
 * @example
 * ```ts
 * const parsed = parseTopic('nara/plaza/newspaper/jojo');
 * if (parsed.ok && parsed.topic.kind === 'newspaper') console.log(parsed.topic.name); // 'jojo'
 * ```
 */
export function parseTopic(topic: string | Uint8Array): TopicParse {
  let text: string;
  if (typeof topic === 'string') {
    text = topic;
    if (text.length > MAX_PLAZA_TOPIC_BYTES) return tooLong();
  } else if (topic instanceof Uint8Array) {
    if (topic.length > MAX_PLAZA_TOPIC_BYTES) return tooLong();
    try {
      text = strictDecoder.decode(topic);
    } catch {
      return { ok: false, reason: 'invalid-utf8', message: 'the topic is not valid UTF-8' };
    }
  } else {
    return { ok: false, reason: 'not-a-topic', message: 'a topic must be a string or a Uint8Array' };
  }

  switch (text) {
    case HEY_THERE_TOPIC:
      return { ok: true, topic: { kind: 'hey-there' } };
    case CHAU_TOPIC:
      return { ok: true, topic: { kind: 'chau' } };
    case STASH_REFRESH_TOPIC:
      return { ok: true, topic: { kind: 'stash-refresh' } };
  }
  // The topics whose last level is the sender's name: a newspaper's, a succession's.
  for (const [prefix, kind] of NAMED_TOPICS) {
    if (!text.startsWith(prefix)) continue;
    const name = unescapeNameLevel(text.slice(prefix.length));
    if (name === undefined) return badEscape();
    const check = validateName(name);
    if (!check.ok) return badName(check.reason, check.message);
    return { ok: true, topic: { kind, name } };
  }
  if (text.startsWith(CHECKPOINT_PREFIX)) {
    const rest = text.slice(CHECKPOINT_PREFIX.length);
    const slash = rest.lastIndexOf('/');
    if (slash < 0) return unknown(text);
    const subject = unescapeNameLevel(rest.slice(0, slash));
    const op = rest.slice(slash + 1);
    if (subject === undefined) return badEscape();
    const check = validateName(subject);
    if (!check.ok) return badName(check.reason, check.message);
    if (!isCheckpointOp(op))
      return {
        ok: false,
        reason: 'unknown-checkpoint-op',
        message: `unknown checkpoint operation ${JSON.stringify(op)}`,
      };
    return { ok: true, topic: { kind: 'checkpoint', subject, op } };
  }
  if (text !== 'nara' && !text.startsWith('nara/'))
    return { ok: false, reason: 'outside-plaza', message: 'the topic is not under nara/' };
  return unknown(text);
}

/** `true` for `propose`, `vote` and `final`. */
export function isCheckpointOp(op: unknown): op is CheckpointOp {
  return op === 'propose' || op === 'vote' || op === 'final';
}

function checkedName(name: string, argument: string): string {
  const check = validateName(name);
  if (!check.ok) throw new InvalidNameError(check.reason, `${argument}: ${check.message}`);
  return name;
}

function tooLong(): TopicParse {
  return {
    ok: false,
    reason: 'too-long',
    message: `a plaza topic is at most ${MAX_PLAZA_TOPIC_BYTES} bytes`,
  };
}

function unknown(text: string): TopicParse {
  // The topic itself is attacker-chosen: quote a bounded, escaped prefix, never the raw bytes.
  return {
    ok: false,
    reason: 'unknown-topic',
    message: `unknown plaza topic ${JSON.stringify(text.slice(0, 48))}`,
  };
}

function badEscape(): TopicParse {
  return {
    ok: false,
    reason: 'invalid-name',
    message: 'invalid nara name in topic: a "%" other than the escapes %25 and %2E',
  };
}

function badName(nameReason: NameRejection, message: string): TopicParse {
  return { ok: false, reason: 'invalid-name', nameReason, message: `invalid nara name in topic: ${message}` };
}
