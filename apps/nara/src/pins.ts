import { readFileSync } from 'node:fs';
import { validateName } from '@nara/topics';
import { ConfigError } from './errors.js';

/** A public key an operator vouches for: the registry trusts it for `name` before hearing anyone. */
export interface Pin {
  readonly name: string;
  readonly publicKey: Uint8Array;
  /** The key's commitment to its next key (32 bytes, or empty: no successor), when the file gives one. */
  readonly commitment?: Uint8Array;
}

const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Parses a pins file. Two forms are accepted:
 * - text: one `name publicKey [commitment]` per line (public key in standard base64; the commitment to the
 *   next key as 64 hex digits, or `none` for no successor), `#` starts a comment;
 * - JSON: an array of objects with `name`, `publicKey` and optionally `commitment` (hex, `""` for none;
 *   null or absent when unknown), which is what `GET /peers` serves, so the peers a trusted nara sees can be
 *   pinned as they are, their commitments with them (docs/PROTOCOL.md section 12).
 *
 * Why pins at all: trust on first use cannot protect a nara whose first word about a name comes from an
 * impostor (a nara that joins while the real one is away). Pinning known keys closes that gap.
 *
 * @throws {ConfigError} naming the file, the line (or entry) and what is wrong with it.
 */
export function parsePins(text: string, source: string): Pin[] {
  const entries: Array<{ where: string; name: unknown; key: unknown; commitment?: unknown }> = [];
  if (text.trimStart().startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ConfigError(`${source}: not valid JSON`);
    }
    if (!Array.isArray(parsed))
      throw new ConfigError(`${source}: expected a JSON array of {name, publicKey}`);
    parsed.forEach((entry: unknown, i) => {
      const e = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      entries.push({
        where: `${source} entry ${i + 1}`,
        name: e.name,
        key: e.publicKey,
        commitment: e.commitment,
      });
    });
  } else {
    text.split('\n').forEach((raw, i) => {
      const line = raw.replace(/#.*$/, '').trim();
      if (line === '') return;
      const parts = line.split(/\s+/);
      if (parts.length !== 2 && parts.length !== 3)
        throw new ConfigError(`${source}:${i + 1}: expected "name publicKey [commitment]"`);
      const commitment = parts[2] === 'none' ? '' : parts[2];
      entries.push({ where: `${source}:${i + 1}`, name: parts[0], key: parts[1], commitment });
    });
  }
  const byName = new Map<string, Pin>();
  for (const { where, name, key, commitment } of entries) {
    const check = validateName(name);
    if (!check.ok) throw new ConfigError(`${where}: not a valid nara name (${check.reason})`);
    if (typeof key !== 'string' || !BASE64.test(key))
      throw new ConfigError(`${where}: the public key must be 32 bytes in standard base64 (44 characters)`);
    const publicKey = new Uint8Array(Buffer.from(key, 'base64'));
    const seen = byName.get(check.name);
    if (seen && Buffer.compare(seen.publicKey, publicKey) !== 0)
      throw new ConfigError(`${where}: ${JSON.stringify(check.name)} is pinned twice to different keys`);
    const next = parseCommitment(commitment, where);
    byName.set(check.name, { name: check.name, publicKey, ...(next ? { commitment: next } : {}) });
  }
  return [...byName.values()];
}

/**
 * A commitment to a next key as configured: 64 hex digits (SHA-256 of the next public key), or `''` for no
 * successor; undefined or null for none given.
 *
 * @throws {ConfigError} naming `where` when it is neither.
 */
export function parseCommitment(value: unknown, where: string): Uint8Array | undefined {
  if (value === undefined || value === null) return undefined;
  if (value === '') return new Uint8Array(0);
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/i.test(value))
    throw new ConfigError(`${where}: a commitment is 64 hex digits (nara soul prints it), or none`);
  return new Uint8Array(Buffer.from(value, 'hex'));
}

/** Reads and parses a pins file (see {@link parsePins}); one clear line when it cannot. */
export function readPins(path: string, source: string): Pin[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ConfigError(
      `${source}: cannot read the pins file ${path} (${code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable')})`,
    );
  }
  return parsePins(text, path);
}
