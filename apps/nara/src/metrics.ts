/**
 * A small Prometheus registry: counters with labels and gauges read at scrape time, rendered in the text
 * exposition format (version 0.0.4). Enough for a nara; no dependency.
 */

type Labels = Readonly<Record<string, string>>;

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

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/**
 * @example
 * ```ts
 * const metrics = new MetricsRegistry();
 * const accepted = metrics.counter('nara_envelopes_accepted_total', 'Envelopes verified and accepted.');
 * accepted.inc();
 * console.log(metrics.render());
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

  /** A gauge whose samples are read when metrics are rendered. */
  gauge(name: string, help: string, read: () => ReadonlyArray<{ labels: Labels; value: number }>): void {
    if (this.#families.has(name)) throw new TypeError(`metric ${name} is already registered`);
    this.#families.set(name, { kind: 'gauge', help, read });
  }

  render(): string {
    const lines: string[] = [];
    for (const [name, family] of this.#families) {
      lines.push(`# HELP ${name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      lines.push(`# TYPE ${name} ${family.kind}`);
      const samples = family.kind === 'counter' ? [...family.values.values()] : family.read();
      for (const { labels, value } of samples) {
        const key = labelKey(labels);
        lines.push(`${name}${key ? `{${key}}` : ''} ${formatValue(value)}`);
      }
    }
    return `${lines.join('\n')}\n`;
  }
}
