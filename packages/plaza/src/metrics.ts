/**
 * What a nara counts: counters with labels and gauges read when collected, in Prometheus's data model. The
 * program exposes them (the `nara` app serves them as Prometheus text on `/metrics`). No dependency.
 */

export type Labels = Readonly<Record<string, string>>;

const NO_LABELS: Labels = {};

interface CounterFamily {
  readonly kind: 'counter';
  readonly help: string;
  readonly values: Map<string, { labels: Labels; value: number }>;
}

interface GaugeFamily {
  readonly kind: 'gauge';
  readonly help: string;
  readonly read: () => ReadonlyArray<{ labels: Labels; value: number }>;
}

export interface Counter {
  inc(labels?: Labels, by?: number): void;
  get(labels?: Labels): number;
}

const NEEDS_ESCAPE = /[\\\n"]/;

function escapeLabel(value: string): string {
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/**
 * The series key and its rendering: `a="1",b="2"`, names sorted. Computed at every `inc` (the receive
 * path counts every message): one label or none skips the sort, a value with nothing to escape the replaces.
 */
function labelKey(labels: Labels): string {
  const keys = Object.keys(labels);
  if (keys.length > 1) keys.sort();
  let key = '';
  for (const k of keys) key += `${key === '' ? '' : ','}${k}="${escapeLabel(labels[k] ?? '')}"`;
  return key;
}

/** One series as collected: its labels, and `key`, the label set as Prometheus writes it (`a="1",b="2"`). */
export interface MetricSample {
  readonly labels: Labels;
  readonly key: string;
  readonly value: number;
}

/** One metric as collected, in registration order. */
export interface MetricFamily {
  readonly name: string;
  readonly help: string;
  readonly kind: 'counter' | 'gauge';
  readonly samples: readonly MetricSample[];
}

/**
 * @example
 * ```ts
 * const metrics = new MetricsRegistry();
 * const accepted = metrics.counter('nara_envelopes_accepted_total', 'Envelopes verified and accepted.');
 * accepted.inc();
 * console.log(accepted.get(), metrics.collect()[0]?.samples); // 1 [{ labels: {}, key: '', value: 1 }]
 * ```
 */
export class MetricsRegistry {
  readonly #families = new Map<string, CounterFamily | GaugeFamily>();

  /**
   * A counter. `initial` lists label sets to expose at 0 from the start, so that a dashboard sees the
   * series before the first event.
   */
  counter(name: string, help: string, initial: readonly Labels[] = []): Counter {
    if (this.#families.has(name)) throw new TypeError(`metric ${name} is already registered`);
    const family: CounterFamily = { kind: 'counter', help, values: new Map() };
    this.#families.set(name, family);
    const counter: Counter = {
      inc(labels = NO_LABELS, by = 1) {
        const key = labelKey(labels);
        const entry = family.values.get(key);
        if (entry) entry.value += by;
        else family.values.set(key, { labels: { ...labels }, value: by });
      },
      get(labels = NO_LABELS) {
        return family.values.get(labelKey(labels))?.value ?? 0;
      },
    };
    for (const labels of initial) counter.inc(labels, 0);
    return counter;
  }

  /** A gauge whose samples are read when metrics are collected. */
  gauge(name: string, help: string, read: () => ReadonlyArray<{ labels: Labels; value: number }>): void {
    if (this.#families.has(name)) throw new TypeError(`metric ${name} is already registered`);
    this.#families.set(name, { kind: 'gauge', help, read });
  }

  /** Every metric with its current samples (gauges are read now). */
  collect(): MetricFamily[] {
    const families: MetricFamily[] = [];
    for (const [name, family] of this.#families) {
      const samples =
        family.kind === 'counter'
          ? [...family.values.entries()].map(([key, { labels, value }]) => ({ labels, key, value }))
          : family.read().map(({ labels, value }) => ({ labels, key: labelKey(labels), value }));
      families.push({ name, help: family.help, kind: family.kind, samples });
    }
    return families;
  }
}
