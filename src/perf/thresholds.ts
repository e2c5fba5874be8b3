/**
 * k6's threshold expressions: `<aggregation> <op> <number>`, e.g. `p(95)<300`, `rate<0.01`,
 * `count>100`, `avg<=200`. Aggregations by metric type follow k6 (metrics/thresholds.go):
 * counter count|rate, gauge value, rate rate, trend avg|min|max|med|p(N) with 0 ≤ N ≤ 100.
 */
import type { Metric, MetricType } from './metrics.js';
import { holdsTime, parseMetricKey } from './metrics.js';

export type Op = '<' | '<=' | '>' | '>=' | '==' | '===' | '!=';

export interface Threshold {
  /** Metric key as written, e.g. `http_req_duration{name:GET /pets}`. */
  metric: string;
  /** The expression as written, e.g. `p(95)<300`. */
  source: string;
  aggregation: string;
  /** For `p(N)`: N. */
  percentile?: number;
  op: Op;
  value: number;
}

export const AGGREGATIONS: Record<MetricType, string[]> = {
  counter: ['count', 'rate'],
  gauge: ['value'],
  rate: ['rate'],
  trend: ['avg', 'min', 'max', 'med', 'p(N)'],
};

const EXPR = /^\s*(count|rate|value|avg|min|max|med|p\(\s*([^)]*)\s*\))\s*(===|==|!=|<=|>=|<|>)\s*(\S+)\s*$/;
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parse one expression; throws a plain Error whose message says what was expected. */
export function parseExpression(metric: string, source: string): Threshold {
  const m = EXPR.exec(source);
  if (!m) {
    throw new Error(
      `'${source}' is not a k6 threshold expression: expected <aggregation> <op> <number>, e.g. p(95)<300, rate<0.01, count>100 ` +
        '(aggregations count, rate, value, avg, min, max, med, p(N); operators < <= > >= == === !=)',
    );
  }
  const [, agg, pct, op, num] = m;
  if (!NUMBER.test(num!)) throw new Error(`'${source}': '${num}' is not a number`);
  const value = Number(num);
  if (!Number.isFinite(value)) throw new Error(`'${source}': '${num}' is too large to be a limit`);
  let percentile: number | undefined;
  let aggregation = agg!;
  if (pct !== undefined) {
    if (!NUMBER.test(pct.trim())) throw new Error(`'${source}': p(${pct}) needs a number from 0 to 100`);
    percentile = Number(pct.trim());
    if (!(percentile >= 0 && percentile <= 100)) throw new Error(`'${source}': p(${pct}) is outside 0–100`);
    aggregation = `p(${percentile})`;
  }
  return { metric, source: source.trim(), aggregation, percentile, op: op as Op, value };
}

/**
 * `metric:expr` as the CLI takes it: `http_req_duration{name:GET /pets}:p(95)<300`. The tags run to the
 * last `}` (an expression never holds one), so a tag value may hold braces: `{name:GET /pets/{id}}`.
 */
export function parseThresholdArg(arg: string): Threshold {
  const m = /^\s*([A-Za-z_][A-Za-z0-9_.\-]*(?:\{.*\})?)\s*:\s*([^{}]+)$/s.exec(arg);
  if (!m || !parseMetricKey(m[1]!)) {
    throw new Error(`'${arg}' is not METRIC:EXPRESSION, e.g. http_req_duration:p(95)<300 or 'http_req_duration{name:GET /pets}:p(95)<150'`);
  }
  return parseExpression(m[1]!.trim(), m[2]!);
}

export function compare(actual: number, op: Op, limit: number): boolean {
  switch (op) {
    case '<':
      return actual < limit;
    case '<=':
      return actual <= limit;
    case '>':
      return actual > limit;
    case '>=':
      return actual >= limit;
    case '==':
    case '===':
      return actual === limit;
    case '!=':
      return actual !== limit;
  }
}

/** Whether the aggregation applies to the metric's type (k6 refuses the rest with exit 104). */
export function aggregationFits(t: Threshold, type: MetricType): boolean {
  const allowed = AGGREGATIONS[type];
  return t.percentile !== undefined ? allowed.includes('p(N)') : allowed.includes(t.aggregation);
}

export type Evaluation =
  | { kind: 'value'; actual: number; ok: boolean }
  | { kind: 'wrong-type'; type: MetricType }
  | { kind: 'not-in-summary' }
  | { kind: 'no-samples' }
  | { kind: 'invalid'; actual: number };

/** The metric's value for the threshold's aggregation, the way k6 computes it. */
export function aggregate(t: Threshold, m: Metric): number | undefined {
  const v = m.values;
  if (t.percentile !== undefined) {
    const key = `p(${t.percentile})`;
    if (typeof v[key] === 'number') return v[key];
    if (t.percentile === 50 && typeof v.med === 'number') return v.med;
    if (t.percentile === 0 && typeof v.min === 'number') return v.min;
    if (t.percentile === 100 && typeof v.max === 'number') return v.max;
    return m.quantile?.(t.percentile);
  }
  if (t.aggregation === 'med' && typeof v.med !== 'number') return m.quantile?.(50);
  const x = v[t.aggregation];
  return typeof x === 'number' ? x : undefined;
}

export function evaluate(t: Threshold, m: Metric): Evaluation {
  if (!aggregationFits(t, m.type)) return { kind: 'wrong-type', type: m.type };
  // A trend, rate or gauge without samples has no value (k6 shows 0 and would pass `p(95)<200` or `rate<0.01`);
  // a counter without samples counts 0, which is a real answer (`'http_reqs{status:500}': ['count<1']`).
  if (m.samples === 0 && m.type !== 'counter') return { kind: 'no-samples' };
  const actual = aggregate(t, m);
  if (actual === undefined) return { kind: 'not-in-summary' };
  if (!Number.isFinite(actual) || (actual < 0 && !mayBeNegative(m))) return { kind: 'invalid', actual };
  return { kind: 'value', actual, ok: compare(actual, t.op, t.value) };
}

/** A gauge, or a trend of something other than time (a custom `Trend` without isTime), may go below 0 in k6. */
export function mayBeNegative(m: Metric): boolean {
  return m.type === 'gauge' || (m.type === 'trend' && !holdsTime(m));
}

/** Does a smaller value satisfy this threshold better (`<`, `<=`)? Decides the direction of a regression. */
export function lowerIsBetter(op: Op): boolean | undefined {
  if (op === '<' || op === '<=') return true;
  if (op === '>' || op === '>=') return false;
  return undefined;
}
