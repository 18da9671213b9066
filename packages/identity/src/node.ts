/**
 * The Node-only part of `@nara/identity`: reading this machine's hardware fingerprint and host name the way
 * the Go nara binary does on Linux, so that a nara started here without a soul gets the same native soul,
 * name and ID as the Go binary on the same machine: `determineIdentity(name, soul, readHostname(),
 * readHardwareFingerprint())` is what the Go binary does with `-nara-id` and `-soul`.
 *
 * What the Go binary (cmd/nara/main.go) computes, and what this reads to match it:
 *
 * fingerprint = SHA-256( HostID + "-" + MACs )
 *
 * - HostID is gopsutil v3's `host.Info().HostID` on Linux: the first of
 *   1. `/sys/class/dmi/id/product_uuid`, first line, lower-cased (readable by root only, so Go run as root
 *      and Go run as a user get different fingerprints on the same machine; so does this);
 *   2. `/etc/machine-id`, first line, only if exactly 32 characters, as `8-4-4-4-12` with dashes;
 *   3. `/proc/sys/kernel/random/boot_id`, first line, lower-cased (changes at every boot);
 *   4. otherwise the empty string.
 *   `HOST_SYS`, `HOST_ETC` and `HOST_PROC` replace `/sys`, `/etc` and `/proc`, as in gopsutil.
 * - MACs is eljojo/nara `CollectSoulFragments`: the hardware addresses of the interfaces named `en*`,
 *   `eth*` or `wlan*` that are not loopback and have a non-zero address, sorted and joined with `,`, each
 *   formatted `aa:bb:cc:dd:ee:ff`. Go lists every link through netlink, up or down; this reads the same
 *   links from `/sys/class/net/<name>/{address,flags,type}`, so an interface that is down or has no IP still
 *   counts, as in Go. Where `/sys/class/net` cannot be read (not Linux), it falls back to
 *   `os.networkInterfaces()`, which only lists interfaces that have an address: a fingerprint made there can
 *   differ from Go's.
 *
 * On macOS and Windows gopsutil reads other host IDs (IOPlatformUUID, the MachineGuid registry value) that
 * this does not: there, pass your own fingerprint or a soul.
 *
 * @packageDocumentation
 */
import { readdirSync, readFileSync } from 'node:fs';
import { hostname as osHostname, networkInterfaces as osNetworkInterfaces } from 'node:os';
import { join } from 'node:path';
import { hashHardware } from './native.js';

/** The part of an `os.networkInterfaces()` entry that matters here. */
export interface NetworkInterfaceEntry {
  mac: string;
  internal: boolean;
}

/** Where the readers look; every field defaults to the real machine. Tests inject their own. */
export interface MachineSources {
  /** The file's text, or `undefined` when it is missing or unreadable. */
  readFile?: (path: string) => string | undefined;
  /** The entries of a directory, or `undefined` when it cannot be listed. */
  listDirectory?: (path: string) => string[] | undefined;
  /** Node's `os.networkInterfaces()`, used only when `/sys/class/net` cannot be listed. */
  networkInterfaces?: () => Record<string, readonly NetworkInterfaceEntry[] | undefined>;
  /** Environment for `HOST_SYS`, `HOST_ETC`, `HOST_PROC`. */
  env?: Record<string, string | undefined>;
  /** The full host name, as `os.hostname()`. */
  hostname?: () => string;
}

const IFF_LOOPBACK = 0x8;
// ARPHRD types of IP tunnels, whose "hardware address" is an IP address; Go's net package ignores it.
const IP_TUNNEL_TYPES_V4 = new Set([768, 776, 778]);
const IP_TUNNEL_TYPES_V6 = new Set([769, 823]);
const PHYSICAL = /^(en|eth|wlan)/;

function realReadFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function realListDirectory(path: string): string[] | undefined {
  try {
    return readdirSync(path);
  } catch {
    return undefined;
  }
}

// gopsutil's ReadLines: lines split at "\n" with the newline removed; an empty file has no lines.
function firstLine(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  const end = text.indexOf('\n');
  return end === -1 ? text : text.slice(0, end);
}

function hostPath(
  env: Record<string, string | undefined>,
  variable: string,
  fallback: string,
  ...rest: string[]
) {
  const base = env[variable];
  return join(base !== undefined && base !== '' ? base : fallback, ...rest);
}

/**
 * This machine's host ID as gopsutil v3 computes `host.Info().HostID` on Linux (see the module notes):
 * product UUID, else machine ID with dashes, else boot ID, else `''`.
 *
 * @example
 * ```ts
 * readHostId(); // e.g. '4c4c4544-0042-3510-8052-b4c04f4e4e32'
 * ```
 */
export function readHostId(sources: MachineSources = {}): string {
  const readFile = sources.readFile ?? realReadFile;
  const env = sources.env ?? process.env;
  const productUuid = firstLine(readFile(hostPath(env, 'HOST_SYS', '/sys', 'class/dmi/id/product_uuid')));
  if (productUuid !== undefined && productUuid !== '') return productUuid.toLowerCase();
  const machineId = firstLine(readFile(hostPath(env, 'HOST_ETC', '/etc', 'machine-id')));
  // gopsutil compares the byte length; a machine ID is ASCII hex, so characters and bytes agree.
  if (machineId !== undefined && new TextEncoder().encode(machineId).length === 32) {
    const m = machineId;
    return `${m.slice(0, 8)}-${m.slice(8, 12)}-${m.slice(12, 16)}-${m.slice(16, 20)}-${m.slice(20, 32)}`;
  }
  const bootId = firstLine(readFile(hostPath(env, 'HOST_PROC', '/proc', 'sys/kernel/random/boot_id')));
  if (bootId !== undefined && bootId !== '') return bootId.toLowerCase();
  return '';
}

/**
 * The MAC part of the fingerprint, as eljojo/nara `CollectSoulFragments`: addresses of non-loopback `en*`,
 * `eth*` and `wlan*` interfaces with a non-zero address, sorted, joined with `,` (see the module notes).
 *
 * @example
 * ```ts
 * collectSoulFragments(); // e.g. '52:54:00:12:34:56,a4:bb:6d:00:11:22'
 * ```
 */
export function collectSoulFragments(sources: MachineSources = {}): string {
  const readFile = sources.readFile ?? realReadFile;
  const listDirectory = sources.listDirectory ?? realListDirectory;
  const links = listDirectory('/sys/class/net');
  const macs: string[] = [];
  if (links !== undefined) {
    for (const name of links) {
      if (!PHYSICAL.test(name)) continue;
      const dir = join('/sys/class/net', name);
      const flags = Number.parseInt((readFile(join(dir, 'flags')) ?? '').trim(), 16);
      if (Number.isFinite(flags) && (flags & IFF_LOOPBACK) !== 0) continue;
      const mac = (readFile(join(dir, 'address')) ?? '').trim().toLowerCase();
      if (!isHardwareAddress(mac)) continue;
      const type = Number.parseInt((readFile(join(dir, 'type')) ?? '').trim(), 10);
      const length = mac.split(':').length;
      if ((length === 4 && IP_TUNNEL_TYPES_V4.has(type)) || (length === 16 && IP_TUNNEL_TYPES_V6.has(type)))
        continue;
      macs.push(mac);
    }
  } else {
    const interfaces = (sources.networkInterfaces ?? osNetworkInterfaces)();
    for (const [name, entries] of Object.entries(interfaces)) {
      if (!PHYSICAL.test(name) || entries === undefined || entries.length === 0) continue;
      if (entries.some((entry) => entry.internal)) continue;
      const mac = (entries[0]?.mac ?? '').toLowerCase();
      if (isHardwareAddress(mac)) macs.push(mac);
    }
  }
  // Go's sort.Strings orders by bytes; these strings are ASCII, where UTF-16 order is the same.
  return macs.sort().join(',');
}

// Non-empty, colon-separated hex bytes, not all zero (Go drops all-zero link addresses).
function isHardwareAddress(mac: string): boolean {
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2})*$/.test(mac)) return false;
  return /[1-9a-f]/.test(mac);
}

/**
 * This machine's hardware fingerprint as the Go binary computes it on Linux:
 * `SHA-256(readHostId() + "-" + collectSoulFragments())`.
 *
 * @example
 * ```ts
 * const hardwareFingerprint = readHardwareFingerprint(); // 32 bytes
 * ```
 */
export function readHardwareFingerprint(sources: MachineSources = {}): Uint8Array {
  return hashHardware(`${readHostId(sources)}-${collectSoulFragments(sources)}`);
}

/**
 * The short host name, as the Go binary's `getHostname`: `os.hostname()` up to the first dot.
 *
 * @example
 * ```ts
 * readHostname(); // 'raspberrypi' on raspberrypi.local
 * ```
 */
export function readHostname(sources: MachineSources = {}): string {
  const full = (sources.hostname ?? osHostname)();
  return full.split('.')[0] ?? '';
}
