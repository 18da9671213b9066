import { readFileSync } from 'node:fs';
import { validateName } from '@nara/topics';
import { ConfigError } from './errors.js';

/** A public key an operator vouches for: the registry trusts it for `name` before hearing anyone. */
export interface Pin {
  readonly name: string;
  readonly publicKey: Uint8Array;
}

const BASE64 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Parses a pins file. Two forms are accepted:
 * - text: one `name publicKey` pair per line (public key in standard base64), `#` starts a comment;
 * - JSON: an array of objects with `name` and `publicKey`, which is what `GET /peers` serves, so the peers a
 *   trusted nara sees can be pinned as they are.
 *
 * Why pins at all: trust on first use cannot protect a nara whose first word about a name comes from an
 * impostor (a nara that joins while the real one is away). Pinning known keys closes that gap.
 *
 * @throws {ConfigError} naming the file, the line (or entry) and what is wrong with it.
 */
export function parsePins(text: string, source: string): Pin[] {
  const entries: Array<{ where: string; name: unknown; key: unknown }> = [];
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
      entries.push({ where: `${source} entry ${i + 1}`, name: e.name, key: e.publicKey });
    });
  } else {
    text.split('\n').forEach((raw, i) => {
      const line = raw.replace(/#.*$/, '').trim();
      if (line === '') return;
      const parts = line.split(/\s+/);
      if (parts.length !== 2) throw new ConfigError(`${source}:${i + 1}: expected "name publicKey"`);
      entries.push({ where: `${source}:${i + 1}`, name: parts[0], key: parts[1] });
    });
  }
  const byName = new Map<string, Pin>();
  for (const { where, name, key } of entries) {
    const check = validateName(name);
    if (!check.ok) throw new ConfigError(`${where}: not a valid nara name (${check.reason})`);
    if (typeof key !== 'string' || !BASE64.test(key))
      throw new ConfigError(`${where}: the public key must be 32 bytes in standard base64 (44 characters)`);
    const publicKey = new Uint8Array(Buffer.from(key, 'base64'));
    const seen = byName.get(check.name);
    if (seen && Buffer.compare(seen.publicKey, publicKey) !== 0)
      throw new ConfigError(`${where}: ${JSON.stringify(check.name)} is pinned twice to different keys`);
    byName.set(check.name, { name: check.name, publicKey });
  }
  return [...byName.values()];
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
