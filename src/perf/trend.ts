/**
 * Streaming aggregators with bounded memory: a trend keeps an HDR histogram (3 significant digits)
 * plus exact count, sum, min and max, so any percentile can be asked after the fact. Percentiles follow
 * k6 (metrics.TrendSink.P): linear interpolation between the two samples around rank p·(n−1). The first
 * EXACT_SAMPLES samples are also kept as they are, so a run of that size gets k6's figures exactly;
 * beyond it the two samples are read from the histogram.
 */
import * as hdr from 'hdr-histogram-js';
import type { Metric, MetricType } from './metrics.js';

/** Histogram unit: values are stored ×1000 (a millisecond trend keeps microseconds). */
const SCALE = 1000;
const DEFAULT_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];
/** Samples kept exactly per trend (80 kB): small runs, where one sample moves a percentile most, match k6 to the digit. */
export const EXACT_SAMPLES = 10_000;

export class TrendAggregator {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  /** Values that a trend cannot hold (NaN, negative); counted so the judge can say so. */
  invalid = 0;
  private readonly h = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 2 ** 40, numberOfSignificantValueDigits: 3, autoResize: true });
  private exact: number[] | undefined = [];
  private sorted = true;

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
    if (this.exact) {
      if (this.exact.length >= EXACT_SAMPLES) this.exact = undefined;
      else {
        if (this.sorted && this.exact.length > 0 && v < this.exact[this.exact.length - 1]!) this.sorted = false;
        this.exact.push(v);
      }
    }
  }

  quantile(p: number): number {
    if (this.count === 0) return NaN;
    if (p <= 0) return this.min;
    if (p >= 100) return this.max;
    const rank = (p / 100) * (this.count - 1);
    const lo = Math.floor(rank);
    const hi = Math.ceil(rank);
    const a = this.at(lo);
    const b = hi === lo ? a : this.at(hi);
    return a + (b - a) * (rank - lo);
  }

  /** The sample at 0-based rank r in ascending order: exact while kept, else the histogram's bucket (never beyond min or max). */
  private at(r: number): number {
    if (this.exact) {
      if (!this.sorted) {
        this.exact.sort((x, y) => x - y);
        this.sorted = true;
      }
      return this.exact[r]!;
    }
    if (r <= 0) return this.min;
    if (r >= this.count - 1) return this.max;
    // getValueAtPercentile(q) answers the first bucket whose cumulative count reaches ceil(q·n/100) = r + 1.
    return Math.min(this.max, Math.max(this.min, this.h.getValueAtPercentile((100 * (r + 0.5)) / this.count) / SCALE));
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
    return { name, type: 'trend', contains, values, quantile: (p) => this.quantile(p), samples: this.count };
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
    const samples = this.count;
    if (this.type === 'counter') return { name, type: 'counter', contains, values: { count: this.sum, rate: durationS > 0 ? this.sum / durationS : NaN }, samples };
    if (this.type === 'gauge') return { name, type: 'gauge', contains, values: { value: this.last, min: this.count ? this.min : NaN, max: this.count ? this.max : NaN }, samples };
    return { name, type: 'rate', contains, values: { rate: this.count ? this.trues / this.count : NaN, passes: this.trues, fails: this.count - this.trues }, samples };
  }
}
