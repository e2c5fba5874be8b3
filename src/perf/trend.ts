/**
 * Streaming aggregators with constant memory: a trend keeps an HDR histogram (3 significant digits)
 * plus exact count, sum, min and max, so any percentile can be asked after the fact.
 */
import * as hdr from 'hdr-histogram-js';
import type { Metric, MetricType } from './metrics.js';

/** Histogram unit: values are stored ×1000 (a millisecond trend keeps microseconds). */
const SCALE = 1000;
const DEFAULT_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

export class TrendAggregator {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  /** Values that a trend cannot hold (NaN, negative); counted so the judge can say so. */
  invalid = 0;
  private readonly h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 40, numberOfSignificantValueDigits: 3, autoResize: true });

  add(v: number): void {
    if (!(v >= 0) || v === Infinity) {
      this.invalid++;
      return;
    }
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.h.recordValue(Math.round(v * SCALE));
  }

  quantile(p: number): number {
    if (this.count === 0) return NaN;
    if (p <= 0) return this.min;
    if (p >= 100) return this.max;
    // The histogram answers with the bucket's highest equivalent value; never beyond the true max.
    return Math.min(this.max, Math.max(this.min, this.h.getValueAtPercentile(p) / SCALE));
  }

  toMetric(name: string, contains: Metric['contains'] = 'time', stats = DEFAULT_STATS): Metric {
    const values: Record<string, number> = {};
    for (const s of stats) {
      if (s === 'avg') values.avg = this.count ? this.sum / this.count : NaN;
      else if (s === 'min') values.min = this.count ? this.min : NaN;
      else if (s === 'max') values.max = this.count ? this.max : NaN;
      else if (s === 'med') values.med = this.quantile(50);
      else if (s === 'count') values.count = this.count;
      else {
        const p = /^p\((\d+(?:\.\d+)?)\)$/.exec(s);
        if (p) values[s] = this.quantile(Number(p[1]));
      }
    }
    return { name, type: 'trend', contains, values, quantile: (p) => this.quantile(p) };
  }
}

/** Counter, gauge or rate with a handful of numbers. */
export class ScalarAggregator {
  count = 0;
  sum = 0;
  last = NaN;
  min = Infinity;
  max = -Infinity;
  trues = 0;
  invalid = 0;
  constructor(readonly type: Exclude<MetricType, 'trend'>) {}

  add(v: number): void {
    if (Number.isNaN(v) || (this.type === 'counter' && v < 0)) {
      this.invalid++;
      return;
    }
    this.count++;
    this.sum += v;
    this.last = v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (v !== 0) this.trues++;
  }

  toMetric(name: string, durationS: number, contains: Metric['contains'] = 'default'): Metric {
    if (this.type === 'counter') return { name, type: 'counter', contains, values: { count: this.sum, rate: durationS > 0 ? this.sum / durationS : NaN } };
    if (this.type === 'gauge') return { name, type: 'gauge', contains, values: { value: this.last, min: this.count ? this.min : NaN, max: this.count ? this.max : NaN } };
    return { name, type: 'rate', contains, values: { rate: this.count ? this.trues / this.count : NaN, passes: this.trues, fails: this.count - this.trues } };
  }
}
