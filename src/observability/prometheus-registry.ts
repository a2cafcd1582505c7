/**
 * A minimal Prometheus registry: counters, histograms and gauges with labels, rendered in the text
 * exposition format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/).
 * Written here rather than taken from a dependency because the gateway needs only these three kinds.
 */

import { SeriesTable } from './series-table.js';

/** Label name → value. Every metric is always given the same label names it was declared with. */
export type Labels = Readonly<Record<string, string>>;

interface MetricDefinition {
  /** Metric name, e.g. `switchyard_requests_total`. */
  name: string;
  /** One-line description shown as `# HELP`. */
  help: string;
  /** Label names, in the order they are rendered. */
  labelNames?: readonly string[];
}

export interface HistogramDefinition extends MetricDefinition {
  /** Upper bounds of the buckets, ascending; `+Inf` is added. */
  buckets: readonly number[];
}

/** One sample of a gauge read at scrape time. */
export interface GaugeSample {
  labels?: Labels;
  value: number;
}

export interface GaugeDefinition extends MetricDefinition {
  /** Current samples; called on every `render`. */
  collect: () => readonly GaugeSample[];
}

/** `\`, `"` and line feeds escaped, as label values require. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sample value as Prometheus spells it: `+Inf`, `-Inf`, `NaN` or a plain number. */
export function formatSampleValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function renderLabels(pairs: readonly (readonly [string, string])[]): string {
  if (pairs.length === 0) return '';
  return `{${pairs.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`).join(',')}}`;
}

function header(definition: MetricDefinition, type: string): string[] {
  return [`# HELP ${definition.name} ${escapeHelp(definition.help)}`, `# TYPE ${definition.name} ${type}`];
}

/** Label values in declaration order; a missing label is the empty string (Prometheus' "absent"). */
function labelPairs(labelNames: readonly string[], labels: Labels | undefined): [string, string][] {
  return labelNames.map((name) => [name, labels?.[name] ?? '']);
}

interface Renderable {
  render(): string[];
}

/** A monotonically increasing count per label set. */
export class Counter implements Renderable {
  private readonly series: SeriesTable<{ pairs: [string, string][]; value: number }>;

  constructor(private readonly definition: MetricDefinition) {
    this.series = new SeriesTable(definition.labelNames ?? []);
  }

  /** Adds `amount` (default 1, must not be negative) to the series of `labels`. */
  inc(labels?: Labels, amount = 1): void {
    if (!(amount >= 0)) throw new RangeError(`Counter ${this.definition.name} cannot grow by ${amount}`);
    const labelNames = this.definition.labelNames ?? [];
    const series = this.series.obtain(labels, () => ({ pairs: labelPairs(labelNames, labels), value: 0 }));
    series.value += amount;
  }

  /** The value of one series, 0 when never incremented. */
  get(labels?: Labels): number {
    return this.series.find(labels)?.value ?? 0;
  }

  render(): string[] {
    const lines = header(this.definition, 'counter');
    for (const { pairs, value } of this.series.all) {
      lines.push(`${this.definition.name}${renderLabels(pairs)} ${formatSampleValue(value)}`);
    }
    return lines;
  }
}

interface HistogramSeries {
  pairs: [string, string][];
  /** Observations per bucket (not cumulative); the last slot is `+Inf`. */
  counts: number[];
  sum: number;
  count: number;
}

/** Observations counted into cumulative buckets per label set, with their sum and count. */
export class Histogram implements Renderable {
  private readonly series: SeriesTable<HistogramSeries>;

  constructor(private readonly definition: HistogramDefinition) {
    this.series = new SeriesTable(definition.labelNames ?? []);
    const sorted = definition.buckets.every(
      (bound, index, all) => index === 0 || bound > (all[index - 1] ?? 0),
    );
    if (!sorted) throw new RangeError(`Histogram ${definition.name} buckets must be strictly ascending`);
  }

  observe(labels: Labels | undefined, value: number): void {
    const labelNames = this.definition.labelNames ?? [];
    const found = this.series.obtain(labels, () => ({
      pairs: labelPairs(labelNames, labels),
      counts: new Array<number>(this.definition.buckets.length + 1).fill(0),
      sum: 0,
      count: 0,
    }));
    const { buckets } = this.definition;
    let slot = 0;
    while (slot < buckets.length && !(value <= (buckets[slot] ?? 0))) slot++;
    found.counts[slot] = (found.counts[slot] ?? 0) + 1;
    found.sum += value;
    found.count += 1;
  }

  render(): string[] {
    const { name, buckets } = this.definition;
    const lines = header(this.definition, 'histogram');
    for (const series of this.series.all) {
      let cumulative = 0;
      const bounds = [...buckets, Number.POSITIVE_INFINITY];
      bounds.forEach((bound, index) => {
        cumulative += series.counts[index] ?? 0;
        const pairs: [string, string][] = [...series.pairs, ['le', formatSampleValue(bound)]];
        lines.push(`${name}_bucket${renderLabels(pairs)} ${cumulative}`);
      });
      lines.push(`${name}_sum${renderLabels(series.pairs)} ${formatSampleValue(series.sum)}`);
      lines.push(`${name}_count${renderLabels(series.pairs)} ${series.count}`);
    }
    return lines;
  }
}

class Gauge implements Renderable {
  constructor(private readonly definition: GaugeDefinition) {}

  render(): string[] {
    const lines = header(this.definition, 'gauge');
    for (const sample of this.definition.collect()) {
      const pairs = labelPairs(this.definition.labelNames ?? [], sample.labels);
      lines.push(`${this.definition.name}${renderLabels(pairs)} ${formatSampleValue(sample.value)}`);
    }
    return lines;
  }
}

/** Holds metrics in registration order and renders them all. */
export class PrometheusRegistry {
  private readonly metrics = new Map<string, Renderable>();

  counter(definition: MetricDefinition): Counter {
    return this.add(definition.name, new Counter(definition));
  }

  histogram(definition: HistogramDefinition): Histogram {
    return this.add(definition.name, new Histogram(definition));
  }

  /** A gauge whose samples are read from `collect` at render time. */
  gauge(definition: GaugeDefinition): void {
    this.add(definition.name, new Gauge(definition));
  }

  /** Every metric in the text exposition format, ending with a line feed. */
  render(): string {
    const lines: string[] = [];
    for (const metric of this.metrics.values()) lines.push(...metric.render());
    return `${lines.join('\n')}\n`;
  }

  private add<Metric extends Renderable>(name: string, metric: Metric): Metric {
    if (!/^[a-zA-Z_:][a-zA-Z0-9_:]*$/.test(name)) throw new RangeError(`Invalid metric name ${name}`);
    if (this.metrics.has(name)) throw new RangeError(`Metric ${name} is already registered`);
    this.metrics.set(name, metric);
    return metric;
  }
}
