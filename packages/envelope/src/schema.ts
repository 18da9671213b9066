/**
 * The maps of plaza/1 that are flat tables of fields (the newspaper status and the maps in it, a checkpoint's
 * observation), written once: the reader, the writer and docs/PROTOCOL.md follow these tables, key by key.
 */
import { keys } from './cbor-reader.js';
import type { TransportMode } from './types.js';

/** Largest integer any plaza/1 field carries. */
export const MAX_INT = Number.MAX_SAFE_INTEGER;

/** One field of a table: its wire key, its name in the API, and how its value is read and written. */
export type Field =
  | { readonly key: number; readonly name: string; readonly type: 'uint'; readonly max: number }
  | {
      readonly key: number;
      readonly name: string;
      readonly type: 'text';
      readonly max: number;
      /** The only values allowed, when there is such a list. */
      readonly values?: readonly string[];
    }
  | { readonly key: number; readonly name: string; readonly type: 'bool' }
  | { readonly key: number; readonly name: string; readonly type: 'map'; readonly table: Table }
  /** `{ primary, secondary }` as `#rrggbb` in the API, two 24-bit integers (keys 0 and 1) on the wire. */
  | { readonly key: number; readonly name: string; readonly type: 'colours' };

/** A flat map: its fields by key (the index in `fields` is the key), which are required, and its name. */
export interface Table {
  /** The name rejections use (`hostStats: unknown key 12`). */
  readonly what: string;
  readonly fields: readonly Field[];
  /** Bit sets of the keys defined and of the keys required. */
  readonly known: number;
  readonly required: number;
  /** The field names, for refusing unknown ones when writing. */
  readonly names: ReadonlySet<string>;
}

function table(what: string, required: number[], fields: Field[]): Table {
  fields.forEach((f, index) => {
    if (f.key !== index) throw new Error(`${what}: field ${f.name} is not at index ${f.key}`);
  });
  return {
    what,
    fields,
    known: keys(...fields.map((f) => f.key)),
    required: keys(...required),
    names: new Set(fields.map((f) => f.name)),
  };
}

const uint = (key: number, name: string, max = MAX_INT): Field => ({ key, name, type: 'uint', max });
const text = (key: number, name: string, max: number, values?: readonly string[]): Field =>
  values === undefined ? { key, name, type: 'text', max } : { key, name, type: 'text', max, values };

const TRANSPORT_MODES: readonly TransportMode[] = ['mqtt', 'gossip', 'hybrid'];

export const HOST_STATS = table(
  'hostStats',
  [],
  [
    uint(0, 'uptime'),
    uint(1, 'loadCenti'),
    uint(2, 'memAllocMb'),
    uint(3, 'memSysMb'),
    uint(4, 'memHeapMb'),
    uint(5, 'memStackMb'),
    uint(6, 'tasks'),
    uint(7, 'gcCount'),
    uint(8, 'cpuCenti'),
  ],
);

export const PERSONALITY = table(
  'personality',
  [0, 1, 2],
  [uint(0, 'agreeableness', 100), uint(1, 'sociability', 100), uint(2, 'chill', 100)],
);

/** NewspaperStatus, key by key (docs/PROTOCOL.md has the same table). */
export const STATUS = table(
  'status',
  [3, 4],
  [
    text(0, 'licensePlate', 64),
    text(1, 'flair', 64),
    { key: 2, name: 'hostStats', type: 'map', table: HOST_STATS },
    uint(3, 'chattiness', 100),
    uint(4, 'buzz', 182),
    text(5, 'trend', 64),
    text(6, 'trendEmoji', 32),
    { key: 7, name: 'personality', type: 'map', table: PERSONALITY },
    { key: 8, name: 'aura', type: 'colours' },
    text(9, 'version', 32),
    text(10, 'publicUrl', 256),
    { key: 11, name: 'meshEnabled', type: 'bool' },
    text(12, 'meshIp', 45),
    text(13, 'transportMode', 8, TRANSPORT_MODES),
    uint(14, 'stashStored'),
    uint(15, 'stashConfidants'),
  ],
);

/** The bodies of hey-there and newspaper. */
export const HEY_THERE_BODY = table('hey-there body', [], [text(0, 'meshIp', 45)]);
export const NEWSPAPER_BODY = table(
  'newspaper body',
  [0, 1],
  [{ key: 0, name: 'status', type: 'map', table: STATUS }, uint(1, 'next')],
);

/** A checkpoint's observation of its subject. */
export const OBSERVATION = table(
  'observation',
  [0, 1, 2],
  [uint(0, 'restarts'), uint(1, 'totalUptime'), uint(2, 'startTime')],
);

/**
 * The names of a checkpoint body's keys, and the fields among them read and written as any table's (keys
 * 0 op, 1 subject, 2 subjectId, 5 round and 10 votes have rules of their own, in checkpoint.ts).
 */
export const CHECKPOINT_NAMES: readonly string[] = (
  'op subject subjectId observation asOfTime round lastSeenCheckpointId proposalTime approved ' +
  'previousCheckpointId votes'
).split(' ');
export const CHECKPOINT_FIELDS: Readonly<Record<number, Field>> = {
  3: { key: 3, name: 'observation', type: 'map', table: OBSERVATION },
  4: uint(4, 'asOfTime'),
  6: text(6, 'lastSeenCheckpointId', 64),
  7: uint(7, 'proposalTime'),
  8: { key: 8, name: 'approved', type: 'bool' },
  9: text(9, 'previousCheckpointId', 64),
};
