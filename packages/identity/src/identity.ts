import { ed25519 } from '@noble/curves/ed25519.js';
import { base64 } from '@scure/base';
import { IdentityError } from './errors.js';
import { genericNameRule, nameFromSoul } from './names.js';
import { computeNaraId } from './nara-id.js';
import { nativeSoulCustom, nativeSoulGenerated } from './native.js';
import { INSPECT, parseSoul, Soul, type SoulRejection } from './soul.js';

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
 * name, the ID and the public key, never the soul or the seed. Make one with {@link createIdentity},
 * {@link resolveIdentity} or {@link determineIdentity}.
 *
 * @example
 * ```ts
 * const identity = createIdentity({ name: 'jojo', soul: soulText }); // soulText: the operator's secret
 * identity.publicKeyBase64;                         // what Go naras announce as PublicKey
 * const signature = identity.sign(new TextEncoder().encode('hello'));  // 64 bytes
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
  readonly #seed: Uint8Array;
  readonly #publicKey: Uint8Array;

  /**
   * Prefer {@link createIdentity}, which also takes the soul's text. Throws {@link IdentityError} if the soul
   * is not bonded to the name, so no identity exists whose name its soul does not vouch for.
   */
  constructor(name: string, soul: Soul) {
    if (typeof name !== 'string') throw new TypeError('name must be a string');
    if (!(soul instanceof Soul)) throw new TypeError('soul must be a Soul');
    if (name === '') throw new IdentityError('empty-name', 'a nara needs a name: the name is empty');
    if (!soul.isBondedTo(name)) throw new IdentityError('not-bonded', notBondedMessage(name, 'custom'));
    this.name = name;
    this.#soul = soul;
    this.#seed = soul.unsafeSeed();
    this.#publicKey = soul.publicKey();
    this.naraId = computeNaraId(soul, name);
    this.publicKeyBase64 = base64.encode(this.#publicKey);
    Object.freeze(this);
  }

  /** The 32-byte Ed25519 public key (a copy). */
  get publicKey(): Uint8Array {
    return this.#publicKey.slice();
  }

  /** The soul, for whoever must store or pass it on; it prints redacted, see {@link Soul}. */
  get soul(): Soul {
    return this.#soul;
  }

  /** A copy of the 32-byte Ed25519 seed (the RFC 8032 private key), to build a signer elsewhere. Secret. */
  unsafeSeed(): Uint8Array {
    return this.#seed.slice();
  }

  /** An Ed25519 signature (64 bytes, RFC 8032, deterministic) of `message` with this nara's key. */
  sign(message: Uint8Array): Uint8Array {
    if (!(message instanceof Uint8Array)) throw new TypeError('message must be a Uint8Array');
    return ed25519.sign(message, this.#seed);
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

/** What {@link resolveIdentity} takes; every field may be absent, as flags and environment may be. */
export interface ResolveIdentityOptions {
  /** The name asked for (Go's `-nara-id` flag); empty or absent means "use the host name". */
  name?: string;
  /** The soul to use (Go's `-soul` flag), as text or a {@link Soul}; empty or absent means "native soul". */
  soul?: Soul | string;
  /** The short host name (Go uses `os.Hostname()` cut at the first dot). */
  hostname?: string;
  /** The hardware fingerprint native souls derive from; see `@nara/identity/node`. */
  hardwareFingerprint?: Uint8Array;
}

/**
 * A name that Go's generic-host-name rule replaced with a generated one: what a nara should say at start,
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

/** The outcome of {@link resolveIdentity}. */
export type IdentityResolution =
  | {
      ok: true;
      identity: Identity;
      /** Whether the soul is the one this hardware derives (Go's `IsNative`); `false` without a fingerprint. */
      isNative: boolean;
      mode: NameMode;
      /** Set when the generic-name rule replaced the name (`identity.name` is then the generated one). */
      replaced?: ReplacedName;
    }
  | { ok: false; reason: IdentityRejection; message: string; soulReason?: SoulRejection };

/**
 * Works out a nara's identity from the name flag, the soul flag, the host name and the hardware, following
 * Go's `DetermineIdentity` step by step:
 *
 * 1. The effective name is `name`, or the host name when `name` is empty.
 * 2. If the effective name is generic ({@link isGenericHostname}), the nara is in generated-name mode.
 * 3. With a soul: in generated mode the name is the one the soul generates ({@link nameFromSoul}), else the
 *    effective name. Without a soul: the native soul of this hardware ({@link nativeSoulGenerated} or
 *    {@link nativeSoulCustom}), which needs `hardwareFingerprint`.
 * 4. `isNative` says whether the soul equals the one this hardware would derive.
 *
 * One departure from Go, for names a person typed: a soul bonded to the typed name keeps that name even
 * when it is generic (the bond shows the intent; Go would generate a name and warn of a bad bond). Without
 * such a soul Go's rule stands, so a Go nara's identity carries over unchanged, and `replaced` says which
 * rule replaced which name.
 *
 * Where Go carries on with a warning, this refuses: a soul that does not parse (Go continues with an
 * all-zero seed and an empty ID) is `invalid-soul`; a soul whose tag does not bond it to the name (Go logs
 * "Inauthentic") is `not-bonded`; an empty name (Go's bond check fails) is `empty-name`. Never throws for
 * bad input; see {@link determineIdentity} for the throwing, Go-shaped form.
 *
 * @example
 * ```ts
 * const resolved = resolveIdentity({ hostname: 'nixos', hardwareFingerprint: hashHardware('hardware-1') });
 * if (resolved.ok) console.log(resolved.identity.name); // noisy-bear-189
 * ```
 */
export function resolveIdentity(options: ResolveIdentityOptions = {}): IdentityResolution {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const nameArg = optionalString(options.name, 'options.name');
  const hostname = optionalString(options.hostname, 'options.hostname');
  const hw = options.hardwareFingerprint;
  if (hw !== undefined && !(hw instanceof Uint8Array))
    throw new TypeError('options.hardwareFingerprint must be a Uint8Array');

  const effectiveName = nameArg !== '' ? nameArg : hostname;
  const rule = genericNameRule(effectiveName);
  const typedAndBonded = rule !== undefined && nameArg !== '' && soulBondedTo(options.soul, nameArg);
  const mode: NameMode = rule !== undefined && !typedAndBonded ? 'generated' : 'custom';
  const replaced: ReplacedName | undefined =
    mode === 'generated' && rule !== undefined
      ? { name: effectiveName, source: nameArg !== '' ? 'typed' : 'hostname', rule }
      : undefined;

  if (options.soul === undefined || options.soul === '') {
    if (mode === 'custom' && effectiveName === '') return emptyName();
    if (hw === undefined)
      return {
        ok: false,
        reason: 'no-hardware-fingerprint',
        message: 'no soul was given, and a native soul needs the hardware fingerprint',
      };
    // The native soul is bonded to its name by construction, and native by definition.
    const soul = nativeSoul(hw, mode, effectiveName);
    const name = mode === 'generated' ? nameFromSoul(soul) : effectiveName;
    return {
      ok: true,
      identity: new Identity(name, soul),
      isNative: true,
      mode,
      ...(replaced ? { replaced } : {}),
    };
  }

  const parsed = toSoul(options.soul, 'options.soul');
  if (!parsed.ok)
    return { ok: false, reason: 'invalid-soul', message: parsed.message, soulReason: parsed.reason };
  const { soul } = parsed;
  if (mode === 'custom' && effectiveName === '') return emptyName();
  const name = mode === 'generated' ? nameFromSoul(soul) : effectiveName;
  if (!soul.isBondedTo(name))
    return { ok: false, reason: 'not-bonded', message: notBondedMessage(name, mode, replaced) };
  const isNative = hw !== undefined && soul.equals(nativeSoul(hw, mode, name));
  return { ok: true, identity: new Identity(name, soul), isNative, mode, ...(replaced ? { replaced } : {}) };
}

function soulBondedTo(soul: unknown, name: string): boolean {
  if (soul instanceof Soul) return soul.isBondedTo(name);
  if (typeof soul !== 'string' || soul === '') return false;
  const parsed = parseSoul(soul);
  return parsed.ok && parsed.soul.isBondedTo(name);
}

function nativeSoul(hw: Uint8Array, mode: NameMode, name: string): Soul {
  return mode === 'generated' ? nativeSoulGenerated(hw) : nativeSoulCustom(hw, name);
}

/**
 * Go's `IdentityResult`, in camelCase, for a resolution that succeeded: `isValidBond` is always `true`
 * here, because an unbonded soul is an error rather than a result.
 */
export interface IdentityResult {
  name: string;
  soul: Soul;
  id: string;
  isValidBond: true;
  isNative: boolean;
  /** The same identity, with its key pair. */
  identity: Identity;
}

/**
 * Go's `DetermineIdentity(nameArg, soulArg, hostname, hwFingerprint)` with Go's argument order and result
 * fields; see {@link resolveIdentity} for the rules. Unlike Go, an invalid soul, a soul not bonded to the
 * name, or an empty name throws {@link IdentityError} instead of returning a zero soul or a
 * `false` bond. `soulArg` may be `''` (no soul), the soul's text, or a {@link Soul}.
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
  hwFingerprint: Uint8Array,
): IdentityResult {
  if (typeof nameArg !== 'string') throw new TypeError('nameArg must be a string');
  if (typeof soulArg !== 'string' && !(soulArg instanceof Soul))
    throw new TypeError('soulArg must be a string or a Soul');
  if (typeof hostname !== 'string') throw new TypeError('hostname must be a string');
  if (!(hwFingerprint instanceof Uint8Array)) throw new TypeError('hwFingerprint must be a Uint8Array');
  const resolved = resolveIdentity({
    name: nameArg,
    soul: soulArg,
    hostname,
    hardwareFingerprint: hwFingerprint,
  });
  if (!resolved.ok) throw new IdentityError(resolved.reason, resolved.message, resolved.soulReason);
  const { identity } = resolved;
  return {
    name: identity.name,
    soul: identity.soul,
    id: identity.naraId,
    isValidBond: true,
    isNative: resolved.isNative,
    identity,
  };
}

function toSoul(
  value: unknown,
  argument: string,
): { ok: true; soul: Soul } | { ok: false; reason: SoulRejection; message: string } {
  if (value instanceof Soul) return { ok: true, soul: value };
  if (typeof value === 'string') return parseSoul(value);
  throw new TypeError(`${argument} must be a Soul or its text`);
}

function optionalString(value: unknown, argument: string): string {
  if (value === undefined) return '';
  if (typeof value !== 'string') throw new TypeError(`${argument} must be a string`);
  return value;
}

function emptyName(): IdentityResolution {
  return {
    ok: false,
    reason: 'empty-name',
    message: 'a nara needs a name: no name was given and the host name is empty',
  };
}

function notBondedMessage(name: string, mode: NameMode, replaced?: ReplacedName): string {
  const shown = JSON.stringify(name);
  if (replaced?.source === 'typed')
    return `the soul is bonded neither to ${JSON.stringify(replaced.name)} nor to ${shown}, the name Go's generic-name rule (the name ${replaced.rule}) generates from it; pass the name the soul was made for`;
  if (mode === 'generated')
    return `the soul is not bonded to ${shown}, the name it generates on a generic host; pass the name the soul was made for`;
  return `the soul is not bonded to the name ${shown}: its tag was made for another name`;
}
