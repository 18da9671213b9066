import { base64 } from '@scure/base';
import { IdentityError } from './errors.js';
import { genericNameRule, nameFromSoul } from './names.js';
import { computeNaraId } from './nara-id.js';
import { nativeSoulCustom, nativeSoulGenerated } from './native.js';
import { INSPECT, parseSoul, Soul, type SoulRejection, validateBond } from './soul.js';

/**
 * Why no identity could be made. A closed set: stable strings, safe as metric labels.
 *
 * - `invalid-soul`: the soul text is not a soul (`soulReason` says why);
 * - `not-bonded`: the soul's tag was made for another name;
 * - `empty-name`: no name given and the host name is empty;
 * - `no-hardware-fingerprint`: no soul given and no hardware fingerprint to derive a native one from.
 */
export type IdentityRejection = 'invalid-soul' | 'not-bonded' | 'empty-name' | 'no-hardware-fingerprint';

/** How the name was found: given (or the host name), or generated from the soul because the host is generic. */
export type NameMode = 'custom' | 'generated';

/** The public facts of an identity, as `JSON.stringify(identity)` writes them. */
export interface IdentityJSON {
  name: string;
  naraId: string;
  publicKey: string;
}

/**
 * A nara's identity: its name, its nara ID and its Ed25519 key pair, from a soul bonded to the name. Only
 * public facts print: `String(identity)`, `JSON.stringify(identity)` and `util.inspect(identity)` show the
 * name, the ID and the public key, never the soul or the seed. Make one with {@link createIdentity} (a
 * name and its soul) or {@link determineIdentity} (Go's rules from flags, host name and hardware). Signing
 * is `@nara/envelope`'s: `createSigner(identity.soul.unsafeSeed())`.
 *
 * @example
 * ```ts
 * const identity = createIdentity({ name: 'jojo', soul: soulText }); // soulText: the operator's secret
 * identity.publicKeyBase64;                         // what Go naras announce as PublicKey
 * ```
 */
export class Identity {
  /** The nara's name, as bonded to the soul. */
  readonly name: string;
  /** The nara ID (base58 of SHA-256 of soul and name), as Go computes it. */
  readonly naraId: string;
  /** The 32-byte Ed25519 public key in standard base64 with padding, Go's wire form. */
  readonly publicKeyBase64: string;
  readonly #soul: Soul;
  readonly #publicKey: Uint8Array;

  /**
   * Not exported as a value: {@link createIdentity} and {@link determineIdentity} make identities. Throws
   * {@link IdentityError} if the soul is not bonded to the name, so no identity exists whose name its soul
   * does not vouch for.
   */
  constructor(name: string, soul: Soul) {
    if (typeof name !== 'string') throw new TypeError('name must be a string');
    if (!(soul instanceof Soul)) throw new TypeError('soul must be a Soul');
    if (name === '') throw new IdentityError('empty-name', 'a nara needs a name: the name is empty');
    if (!validateBond(soul, name)) throw new IdentityError('not-bonded', notBondedMessage(name, 'custom'));
    this.name = name;
    this.#soul = soul;
    this.#publicKey = soul.publicKey();
    this.naraId = computeNaraId(soul, name);
    this.publicKeyBase64 = base64.encode(this.#publicKey);
    Object.freeze(this);
  }

  /** The 32-byte Ed25519 public key (a copy). */
  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }

  /**
   * The soul, for whoever must store or pass it on, or build a signer from its seed
   * (`createSigner(identity.soul.unsafeSeed())` of `@nara/envelope`); it prints redacted, see {@link Soul}.
   */
  get soul(): Soul {
    return this.#soul;
  }

  toString(): string {
    return `Identity(${this.name}, ${this.naraId})`;
  }

  toJSON(): IdentityJSON {
    return { name: this.name, naraId: this.naraId, publicKey: this.publicKeyBase64 };
  }

  [INSPECT](): string {
    const facts = this.toJSON();
    return `Identity { name: ${JSON.stringify(facts.name)}, naraId: ${JSON.stringify(facts.naraId)}, publicKey: ${JSON.stringify(facts.publicKey)} }`;
  }
}

/** What {@link createIdentity} takes: a name and the soul bonded to it, as a {@link Soul} or its text. */
export interface CreateIdentityOptions {
  name: string;
  soul: Soul | string;
}

/**
 * The identity of `name` with `soul`. Throws {@link IdentityError} when the soul text is not a soul
 * (`invalid-soul`), when the name is empty (`empty-name`), or when the soul is not bonded to the name
 * (`not-bonded`); the message never contains the soul.
 *
 * @example
 * ```ts
 * const soul = randomSoul('jojo');
 * const identity = createIdentity({ name: 'jojo', soul });
 * console.log(`${identity}`); // Identity(jojo, <nara ID>)
 * ```
 */
export function createIdentity(options: CreateIdentityOptions): Identity {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { name } = options;
  if (typeof name !== 'string') throw new TypeError('options.name must be a string');
  const soul = toSoul(options.soul, 'options.soul');
  if (!soul.ok) throw new IdentityError('invalid-soul', soul.message, soul.reason);
  return new Identity(name, soul.soul);
}

/**
 * A name that Go's generic-name rule replaced with a generated one: what a nara should say at start,
 * so that nobody's typed name disappears without a word.
 */
export interface ReplacedName {
  /** The name that was replaced. */
  readonly name: string;
  /** Where it came from: typed (a flag or `NARA_NAME`) or the host name. */
  readonly source: 'typed' | 'hostname';
  /** The rule, in words: `contains "nara"`, `is 12 or more hex digits, like a container ID`. */
  readonly rule: string;
}

/**
 * Go's `IdentityResult`, in camelCase, with what Go only logs: `isValidBond` is always `true` here, because
 * an unbonded soul is an error rather than a result.
 */
export interface IdentityResult {
  name: string;
  soul: Soul;
  id: string;
  isValidBond: true;
  /** Whether the soul is the one this hardware derives (Go's `IsNative`); `false` without a fingerprint. */
  isNative: boolean;
  /** Whether the name was taken as given (or from the host), or generated from the soul on a generic host. */
  mode: NameMode;
  /** Set when the generic-name rule replaced the name (`name` is then the generated one). */
  replaced?: ReplacedName;
  /** The same identity, with its key pair. */
  identity: Identity;
}

/**
 * Works out a nara's identity from the name flag, the soul flag, the host name and the hardware, as Go's
 * `DetermineIdentity(nameArg, soulArg, hostname, hwFingerprint)`, with Go's argument order and result
 * fields, step by step:
 *
 * 1. The effective name is `nameArg`, or the host name when `nameArg` is empty.
 * 2. If the effective name is generic ({@link isGenericHostname}), the nara is in generated-name mode.
 * 3. With a soul: in generated mode the name is the one the soul generates ({@link nameFromSoul}), else the
 *    effective name. Without a soul (`soulArg` is `''`): the native soul of this hardware
 *    ({@link nativeSoulGenerated} or {@link nativeSoulCustom}), which needs `hwFingerprint`.
 * 4. `isNative` says whether the soul equals the one this hardware would derive (`false` without
 *    `hwFingerprint`, which a soul does not need: in a browser, pass none).
 *
 * One departure from Go, for names a person typed: a soul bonded to the typed name keeps that name even
 * when it is generic (the bond shows the intent; Go would generate a name and warn of a bad bond). Without
 * such a soul Go's rule stands, so a Go nara's identity carries over unchanged, and `replaced` says which
 * rule replaced which name.
 *
 * Where Go carries on with a warning, this throws {@link IdentityError}, whose message never contains the
 * soul: a soul that does not parse (Go continues with an all-zero seed and an empty ID) is `invalid-soul`
 * (`soulReason` says why); a soul whose tag does not bond it to the name (Go logs "Inauthentic") is
 * `not-bonded`; an empty name (Go's bond check fails) is `empty-name`; no soul and no fingerprint is
 * `no-hardware-fingerprint`.
 *
 * @example
 * ```ts
 * const result = determineIdentity('', '', 'nixos', hashHardware('hardware-1'));
 * result.name;     // 'noisy-bear-189'
 * result.id;       // 'BJaCQEz3nSxx6JJ5AYw9UgTwhHHr3EQNVrxLameiVY4J'
 * result.isNative; // true
 * ```
 */
export function determineIdentity(
  nameArg: string,
  soulArg: string | Soul,
  hostname: string,
  hwFingerprint?: Uint8Array,
): IdentityResult {
  if (typeof nameArg !== 'string') throw new TypeError('nameArg must be a string');
  if (typeof soulArg !== 'string' && !(soulArg instanceof Soul))
    throw new TypeError('soulArg must be a string or a Soul');
  if (typeof hostname !== 'string') throw new TypeError('hostname must be a string');
  if (hwFingerprint !== undefined && !(hwFingerprint instanceof Uint8Array))
    throw new TypeError('hwFingerprint must be a Uint8Array');

  const effectiveName = nameArg !== '' ? nameArg : hostname;
  const rule = genericNameRule(effectiveName);
  const typedAndBonded = rule !== undefined && nameArg !== '' && soulBondedTo(soulArg, nameArg);
  const mode: NameMode = rule !== undefined && !typedAndBonded ? 'generated' : 'custom';
  const replaced: ReplacedName | undefined =
    mode === 'generated' && rule !== undefined
      ? { name: effectiveName, source: nameArg !== '' ? 'typed' : 'hostname', rule }
      : undefined;
  const result = (name: string, soul: Soul, isNative: boolean): IdentityResult => {
    const identity = new Identity(name, soul);
    return {
      name,
      soul,
      id: identity.naraId,
      isValidBond: true,
      isNative,
      mode,
      ...(replaced ? { replaced } : {}),
      identity,
    };
  };

  if (soulArg === '') {
    if (mode === 'custom' && effectiveName === '') throw emptyName();
    if (hwFingerprint === undefined)
      throw new IdentityError(
        'no-hardware-fingerprint',
        'no soul was given, and a native soul needs the hardware fingerprint',
      );
    // The native soul is bonded to its name by construction, and native by definition.
    const soul = nativeSoul(hwFingerprint, mode, effectiveName);
    return result(mode === 'generated' ? nameFromSoul(soul) : effectiveName, soul, true);
  }

  const parsed = toSoul(soulArg, 'soulArg');
  if (!parsed.ok) throw new IdentityError('invalid-soul', parsed.message, parsed.reason);
  const { soul } = parsed;
  if (mode === 'custom' && effectiveName === '') throw emptyName();
  const name = mode === 'generated' ? nameFromSoul(soul) : effectiveName;
  if (!validateBond(soul, name))
    throw new IdentityError('not-bonded', notBondedMessage(name, mode, replaced));
  const isNative = hwFingerprint !== undefined && soul.equals(nativeSoul(hwFingerprint, mode, name));
  return result(name, soul, isNative);
}

function soulBondedTo(soul: string | Soul, name: string): boolean {
  if (soul instanceof Soul) return validateBond(soul, name);
  if (soul === '') return false;
  const parsed = parseSoul(soul);
  return parsed.ok && validateBond(parsed.soul, name);
}

function nativeSoul(hw: Uint8Array, mode: NameMode, name: string): Soul {
  return mode === 'generated' ? nativeSoulGenerated(hw) : nativeSoulCustom(hw, name);
}

function toSoul(
  value: unknown,
  argument: string,
): { ok: true; soul: Soul } | { ok: false; reason: SoulRejection; message: string } {
  if (value instanceof Soul) return { ok: true, soul: value };
  if (typeof value === 'string') return parseSoul(value);
  throw new TypeError(`${argument} must be a Soul or its text`);
}

function emptyName(): IdentityError {
  return new IdentityError('empty-name', 'a nara needs a name: no name was given and the host name is empty');
}

function notBondedMessage(name: string, mode: NameMode, replaced?: ReplacedName): string {
  const shown = JSON.stringify(name);
  if (replaced?.source === 'typed')
    return `the soul is bonded neither to ${JSON.stringify(replaced.name)} nor to ${shown}, the name Go's generic-name rule (the name ${replaced.rule}) generates from it; pass the name the soul was made for`;
  if (mode === 'generated')
    return `the soul is not bonded to ${shown}, the name it generates on a generic host; pass the name the soul was made for`;
  return `the soul is not bonded to the name ${shown}: its tag was made for another name`;
}
