import { InvalidFilterError } from './errors.js';

/** MQTT's limit on a topic or filter: a two-byte length prefix (MQTT 3.1.1 section 1.5.3). */
export const MAX_TOPIC_BYTES = 65_535;

/** Why a string is neither a filter nor a topic name, whichever was asked for. */
type StringRejection = 'not-a-string' | 'empty' | 'too-long' | 'null-character' | 'invalid-utf8';

/** Why a subscription filter was refused. */
export type FilterRejection = StringRejection | 'misplaced-wildcard';

/** Why a string cannot be a topic name (a name a message is published on). */
export type TopicNameRejection = StringRejection | 'wildcard';

export type FilterCheck = { ok: true } | { ok: false; reason: FilterRejection; message: string };
export type TopicNameCheck = { ok: true } | { ok: false; reason: TopicNameRejection; message: string };

const encoder = new TextEncoder();
const LONE_SURROGATE = /\p{Cs}/u;

function byteLength(s: string): number {
  // Cheap upper bound first: each UTF-16 unit is at most 3 UTF-8 bytes.
  return s.length * 3 <= MAX_TOPIC_BYTES ? s.length : encoder.encode(s).length;
}

/**
 * The checks a filter and a topic name share, in their order, before their own (`what` names which): the
 * string itself when it passes them, else the refusal.
 */
function checkString(
  value: unknown,
  what: 'filter' | 'topic',
): string | { ok: false; reason: StringRejection; message: string } {
  if (typeof value !== 'string')
    return { ok: false, reason: 'not-a-string', message: `a ${what} must be a string` };
  if (value.length === 0) return { ok: false, reason: 'empty', message: `a ${what} must not be empty` };
  if (byteLength(value) > MAX_TOPIC_BYTES)
    return { ok: false, reason: 'too-long', message: `a ${what} must be at most ${MAX_TOPIC_BYTES} bytes` };
  if (value.includes('\u0000'))
    return { ok: false, reason: 'null-character', message: `a ${what} must not contain NUL` };
  return value;
}

function invalidUtf8(what: 'filter' | 'topic'): { ok: false; reason: 'invalid-utf8'; message: string } {
  return { ok: false, reason: 'invalid-utf8', message: `a ${what} must be valid UTF-8` };
}

/**
 * Checks an MQTT subscription filter (MQTT 3.1.1 section 4.7): `#` only as the whole last level, `+` only
 * as a whole level, no NUL, 1 to 65,535 bytes of valid UTF-8. Never throws.
 */
export function validateFilter(value: unknown): FilterCheck {
  const filter = checkString(value, 'filter');
  if (typeof filter !== 'string') return filter;
  if (LONE_SURROGATE.test(filter)) return invalidUtf8('filter');
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] as string;
    if (level === '#' && i !== levels.length - 1)
      return {
        ok: false,
        reason: 'misplaced-wildcard',
        message: `"#" must be the last level of a filter: ${JSON.stringify(filter)}`,
      };
    if (level.length > 1 && (level.includes('#') || level.includes('+')))
      return {
        ok: false,
        reason: 'misplaced-wildcard',
        message: `a wildcard must fill a whole topic level: ${JSON.stringify(filter)}`,
      };
  }
  return { ok: true };
}

/**
 * Checks a topic name, the thing a message is published on: like a filter, but wildcards are not allowed
 * anywhere. Brokers disconnect clients that publish such topics, and mqtt.js does not check.
 */
export function validateTopicName(value: unknown): TopicNameCheck {
  const topic = checkString(value, 'topic');
  if (typeof topic !== 'string') return topic;
  if (topic.includes('+') || topic.includes('#'))
    return {
      ok: false,
      reason: 'wildcard',
      message: `a topic name must not contain "+" or "#": ${JSON.stringify(topic)}`,
    };
  if (LONE_SURROGATE.test(topic)) return invalidUtf8('topic');
  return { ok: true };
}

/** A compiled filter: call it with a topic name. */
export type TopicMatcher = (topic: string) => boolean;

/**
 * Compiles an MQTT filter into a matcher, following MQTT 3.1.1 section 4.7: `+` matches exactly one level
 * (possibly empty), a trailing `#` matches the parent level and any number of levels below it, and a topic
 * starting with `$` is not matched by a filter whose first level is a wildcard. Topic names that contain
 * wildcards never match.
 *
 * @throws {InvalidFilterError} when `filter` is not a valid filter.
 * @example
 * ```ts
 * const isPlaza = compileFilter('nara/#');
 * isPlaza('nara/plaza/chau'); // true
 * ```
 */
export function compileFilter(filter: string): TopicMatcher {
  const check = validateFilter(filter);
  if (!check.ok) throw new InvalidFilterError(check.reason, check.message);
  const levels = (filter as string).split('/');
  const multi = levels[levels.length - 1] === '#';
  const fixed = multi ? levels.slice(0, -1) : levels;
  const leadingWildcard = levels[0] === '+' || levels[0] === '#';
  const exact = !filter.includes('+') && !multi;
  if (exact) return (topic) => topic === filter;
  return (topic) => {
    if (typeof topic !== 'string' || topic.length === 0) return false;
    if (leadingWildcard && topic.charCodeAt(0) === 0x24 /* $ */) return false;
    if (topic.includes('+') || topic.includes('#')) return false;
    const parts = topic.split('/');
    if (multi ? parts.length < fixed.length : parts.length !== fixed.length) return false;
    for (let i = 0; i < fixed.length; i++) {
      const want = fixed[i];
      if (want !== '+' && want !== parts[i]) return false;
    }
    return true;
  };
}

/**
 * `true` when `topic` matches the MQTT subscription `filter` (see {@link compileFilter} for the rules).
 * Compile once with {@link compileFilter} when matching many topics against one filter.
 *
 * @throws {InvalidFilterError} when `filter` is not a valid filter.
 */
export function matchesFilter(filter: string, topic: string): boolean {
  return compileFilter(filter)(topic);
}
