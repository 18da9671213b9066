/**
 * The Go nara's MQTT topics (PROTOCOL-FACTS §1). They sit beside plaza/1's under `nara/`: `nara/plaza/chau`
 * is shared by both wires (a JSON chau starts with `{`, a plaza/1 one with the COSE tag byte 0xd2).
 */
import { validateName } from '@nara/topics';

export const LEGACY_HEY_THERE_TOPIC = 'nara/plaza/hey_there';
export const LEGACY_CHAU_TOPIC = 'nara/plaza/chau';
export const LEGACY_HOWDY_TOPIC = 'nara/plaza/howdy';
export const LEGACY_NEWSPAPER_FILTER = 'nara/newspaper/#';
const NEWSPAPER_PREFIX = 'nara/newspaper/';

/** The topic a Go nara named `name` publishes its newspapers on. Throws TypeError on an invalid name. */
export function legacyNewspaperTopic(name: string): string {
  const check = validateName(name);
  if (!check.ok) throw new TypeError(`name: ${check.message}`);
  return NEWSPAPER_PREFIX + name;
}

/** What a topic of the Go wire carries. */
export type LegacyTopic =
  | { readonly kind: 'hey-there' }
  | { readonly kind: 'chau' }
  | { readonly kind: 'howdy' }
  | { readonly kind: 'newspaper'; readonly name: string };

/**
 * The Go-wire meaning of `topic`, or null when it is not a topic this package reads (plaza/1 topics, the Go
 * topics nobody needs: social, ledger, checkpoint, journey). A newspaper topic's name is returned as is;
 * the verifier checks it.
 *
 * @example
 * ```ts
 * parseLegacyTopic('nara/newspaper/jojo'); // { kind: 'newspaper', name: 'jojo' }
 * parseLegacyTopic('nara/plaza/hey-there'); // null: that is plaza/1's
 * ```
 */
export function parseLegacyTopic(topic: string): LegacyTopic | null {
  if (topic === LEGACY_HEY_THERE_TOPIC) return HEY_THERE;
  if (topic === LEGACY_CHAU_TOPIC) return CHAU;
  if (topic === LEGACY_HOWDY_TOPIC) return HOWDY;
  if (topic.startsWith(NEWSPAPER_PREFIX))
    return { kind: 'newspaper', name: topic.slice(NEWSPAPER_PREFIX.length) };
  return null;
}

const HEY_THERE = Object.freeze({ kind: 'hey-there' as const });
const CHAU = Object.freeze({ kind: 'chau' as const });
const HOWDY = Object.freeze({ kind: 'howdy' as const });

/** Whether a payload on the shared chau topic is the Go wire's JSON (first byte `{`, after JSON spaces). */
export function isJsonPayload(bytes: Uint8Array): boolean {
  for (const b of bytes) {
    if (b === 0x7b) return true;
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  }
  return false;
}
