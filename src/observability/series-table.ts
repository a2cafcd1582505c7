import type { Labels } from './prometheus-registry.js';

/** A level of the table: label value → next level, and at the last level label value → series. */
type Level<T> = Map<string, Level<T> | T>;

/**
 * The series of one metric by label set: one map per label, in declaration order, keyed by the
 * label's value (a missing label is the empty string, as rendering spells it). A lookup builds no
 * key string, so counting a request allocates nothing once its series exists. `all` holds the
 * series in the order they were created (the order they are rendered in).
 */
export class SeriesTable<T> {
  private readonly root: Level<T> = new Map();
  readonly all: T[] = [];

  constructor(private readonly labelNames: readonly string[]) {}

  /** The series of `labels`, or undefined when it was never created. */
  find(labels: Labels | undefined): T | undefined {
    if (this.labelNames.length === 0) return this.all[0];
    let level = this.root;
    const last = this.labelNames.length - 1;
    for (let index = 0; index < last; index++) {
      const next = level.get(labels?.[this.labelNames[index] as string] ?? '') as Level<T> | undefined;
      if (next === undefined) return undefined;
      level = next;
    }
    return level.get(labels?.[this.labelNames[last] as string] ?? '') as T | undefined;
  }

  /** The series of `labels`, created with `create` when it is the first time. */
  obtain(labels: Labels | undefined, create: () => T): T {
    const found = this.find(labels);
    if (found !== undefined) return found;
    const series = create();
    this.all.push(series);
    if (this.labelNames.length === 0) return series;
    let level = this.root;
    const last = this.labelNames.length - 1;
    for (let index = 0; index < last; index++) {
      const value = labels?.[this.labelNames[index] as string] ?? '';
      let next = level.get(value) as Level<T> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(value, next);
      }
      level = next;
    }
    level.set(labels?.[this.labelNames[last] as string] ?? '', series);
    return series;
  }
}
