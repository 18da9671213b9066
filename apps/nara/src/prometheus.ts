import type { MetricsRegistry } from '@nara/plaza';

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

/**
 * A nara's metrics in the Prometheus text exposition format (version 0.0.4), as `GET /metrics` serves
 * them: HELP and TYPE lines, then one line per series.
 *
 * @example
 * ```ts
 * const metrics = new MetricsRegistry();
 * metrics.counter('nara_envelopes_accepted_total', 'Envelopes verified and accepted.').inc();
 * console.log(renderPrometheus(metrics));
 * ```
 */
export function renderPrometheus(metrics: MetricsRegistry): string {
  const lines: string[] = [];
  for (const family of metrics.collect()) {
    lines.push(`# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
    lines.push(`# TYPE ${family.name} ${family.kind}`);
    for (const { key, value } of family.samples)
      lines.push(`${family.name}${key ? `{${key}}` : ''} ${formatValue(value)}`);
  }
  return `${lines.join('\n')}\n`;
}
