/**
 * Go's NaraStatus and plaza/1's NewspaperStatus, both ways. Lossless for every field plaza/1 has, with one
 * normalisation: Go writes every field, so a plaza/1 field that is absent and one at Go's zero value (`''`,
 * 0, false, an all-zero personality or host stats) are the same on the legacy wire. What plaza/1 leaves out
 * is listed in {@link NOT_IN_PLAZA}; a field beyond plaza/1's limits (a text too long, a colour not
 * `#RRGGBB`, a transport mode plaza/1 does not know) is dropped and named in `dropped`.
 */
import type { NewspaperStatus, TransportMode } from '@nara/envelope';
import type { GoHostStats, NaraStatus } from './types.js';

/** NaraStatus fields with no plaza/1 counterpart (the key and ID live in the plaza/1 header instead). */
export const NOT_IN_PLAZA = Object.freeze([
  'Observations',
  'PublicKey',
  'ID',
  'coordinates',
  'event_store_total',
  'event_store_by_service',
  'event_store_critical',
  'memory_mode',
  'memory_budget_mb',
  'memory_max_events',
  'stash_bytes',
] as const);

/** plaza/1's text limits in UTF-8 bytes (docs/PROTOCOL.md, NewspaperStatus). */
const TEXT_LIMITS = [
  ['LicensePlate', 'licensePlate', 64],
  ['Flair', 'flair', 64],
  ['Trend', 'trend', 64],
  ['TrendEmoji', 'trendEmoji', 32],
  ['Version', 'version', 32],
  ['PublicUrl', 'publicUrl', 256],
  ['MeshIP', 'meshIp', 45],
] as const;

const HOST_STATS = [
  ['Uptime', 'uptime'],
  ['MemAllocMB', 'memAllocMb'],
  ['MemSysMB', 'memSysMb'],
  ['MemHeapMB', 'memHeapMb'],
  ['MemStackMB', 'memStackMb'],
  ['NumGoroutines', 'tasks'],
  ['NumGC', 'gcCount'],
] as const;

const TRANSPORT_MODES: readonly string[] = ['mqtt', 'gossip', 'hybrid'];
const GO_COLOUR = /^#[0-9A-Fa-f]{6}$/;
const encoder = new TextEncoder();

export interface MappedStatus {
  readonly status: NewspaperStatus;
  /** Go fields that had a value plaza/1 cannot hold. */
  readonly dropped: readonly string[];
}

/** The plaza/1 view of a Go status. */
export function toNewspaperStatus(go: NaraStatus): MappedStatus {
  const dropped: string[] = [];
  const out: NewspaperStatus = { chattiness: go.Chattiness, buzz: go.Buzz };
  for (const [goKey, key, max] of TEXT_LIMITS) {
    const value = go[goKey];
    if (value === '') continue;
    if (encoder.encode(value).length > max) dropped.push(goKey);
    else out[key] = value;
  }
  const hostStats = toHostStats(go.HostStats, dropped);
  if (hostStats !== undefined) out.hostStats = hostStats;
  const p = go.Personality;
  if (p.Agreeableness !== 0 || p.Sociability !== 0 || p.Chill !== 0) {
    if ([p.Agreeableness, p.Sociability, p.Chill].every((v) => v >= 0 && v <= 100))
      out.personality = { agreeableness: p.Agreeableness, sociability: p.Sociability, chill: p.Chill };
    else dropped.push('Personality');
  }
  if (go.Aura.primary !== '' || go.Aura.secondary !== '') {
    if (GO_COLOUR.test(go.Aura.primary) && GO_COLOUR.test(go.Aura.secondary))
      out.aura = { primary: go.Aura.primary.toLowerCase(), secondary: go.Aura.secondary.toLowerCase() };
    else dropped.push('Aura');
  }
  if (go.MeshEnabled) out.meshEnabled = true;
  const mode = go.transport_mode ?? '';
  if (mode !== '') {
    if (TRANSPORT_MODES.includes(mode)) out.transportMode = mode as TransportMode;
    else dropped.push('transport_mode');
  }
  for (const [goKey, key] of [
    ['stash_stored', 'stashStored'],
    ['stash_confidants', 'stashConfidants'],
  ] as const) {
    const value = go[goKey] ?? 0;
    if (value > 0) out[key] = value;
    else if (value < 0) dropped.push(goKey);
  }
  return { status: out, dropped };
}

function toHostStats(go: GoHostStats, dropped: string[]): NewspaperStatus['hostStats'] {
  const out: NonNullable<NewspaperStatus['hostStats']> = {};
  let any = false;
  for (const [goKey, key] of HOST_STATS) {
    const value = go[goKey];
    if (value === 0) continue;
    if (value < 0) dropped.push(`HostStats.${goKey}`);
    else {
      out[key] = value;
      any = true;
    }
  }
  // Go truncates both to 2 decimals (float64(int64(x*100))/100): hundredths are exact integers.
  for (const [goKey, key] of [
    ['LoadAvg', 'loadCenti'],
    ['ProcCPUPercent', 'cpuCenti'],
  ] as const) {
    const value = go[goKey];
    if (value === 0) continue;
    const centi = Math.round(value * 100);
    if (centi < 0 || !Number.isSafeInteger(centi)) dropped.push(`HostStats.${goKey}`);
    else {
      out[key] = centi;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** What a Go status needs that a plaza/1 status does not carry. */
export interface GoStatusExtras {
  /** Standard base64 of our Ed25519 key. */
  readonly publicKey: string;
  readonly naraId: string;
  /** Go's MISSING threshold is 3600 s for `gossip`; we publish `mqtt` unless told. */
  readonly transportMode?: TransportMode;
}

/** The Go status a newspaper of ours carries on the legacy wire. */
export function toNaraStatus(status: NewspaperStatus, extras: GoStatusExtras): NaraStatus {
  const h = status.hostStats ?? {};
  const p = status.personality;
  const go: NaraStatus = {
    LicensePlate: status.licensePlate ?? '',
    Flair: status.flair ?? '',
    HostStats: {
      Uptime: h.uptime ?? 0,
      LoadAvg: (h.loadCenti ?? 0) / 100,
      MemAllocMB: h.memAllocMb ?? 0,
      MemSysMB: h.memSysMb ?? 0,
      MemHeapMB: h.memHeapMb ?? 0,
      MemStackMB: h.memStackMb ?? 0,
      NumGoroutines: h.tasks ?? 0,
      NumGC: h.gcCount ?? 0,
      ProcCPUPercent: (h.cpuCenti ?? 0) / 100,
    },
    Chattiness: status.chattiness,
    Buzz: status.buzz,
    Observations: null,
    Trend: status.trend ?? '',
    TrendEmoji: status.trendEmoji ?? '',
    Personality: {
      Agreeableness: p?.agreeableness ?? 0,
      Sociability: p?.sociability ?? 0,
      Chill: p?.chill ?? 0,
    },
    Aura: {
      primary: status.aura?.primary.toUpperCase() ?? '',
      secondary: status.aura?.secondary.toUpperCase() ?? '',
    },
    Version: status.version ?? '',
    PublicUrl: status.publicUrl ?? '',
    PublicKey: extras.publicKey,
    ID: extras.naraId,
    MeshEnabled: status.meshEnabled ?? false,
    MeshIP: status.meshIp ?? '',
  };
  const mode = status.transportMode ?? extras.transportMode;
  if (mode !== undefined) go.transport_mode = mode;
  if (status.stashStored !== undefined) go.stash_stored = status.stashStored;
  if (status.stashConfidants !== undefined) go.stash_confidants = status.stashConfidants;
  return go;
}
