/**
 * Regressions against an earlier run: for each budgeted aggregation (and any named in the budget's
 * `regression` map) the change from the baseline, judged against the allowed growth.
 */
import type { Allowance, Located } from './budget.js';
import { findMetric, parseMetricKey, type Summary } from './metrics.js';
import { aggregate, lowerIsBetter, parseExpression, type Op, type Threshold } from './thresholds.js';

export interface Comparison {
  key: string;
  metric: string;
  aggregation: string;
  current?: number;
  baseline?: number;
  /** Relative change in percent; Infinity when the baseline was 0. */
  changePct?: number;
  allowance?: Located<Allowance>;
  lowerIsBetter: boolean;
  regressed: boolean;
  missing?: 'current' | 'baseline';
}

/** Default direction when no threshold says it: latencies, failures and drops should go down. */
function defaultLowerIsBetter(metric: string, aggregation: string): boolean {
  const base = parseMetricKey(metric)?.base ?? metric;
  if (/failed|dropped|duration|blocked|connecting|waiting|sending|receiving|tls/.test(base)) return true;
  if (aggregation.startsWith('p(') || ['avg', 'med', 'min', 'max'].includes(aggregation)) return true;
  return false;
}

export function compareToBaseline(
  current: Summary,
  baseline: Summary,
  keys: { metric: string; aggregation: string; op?: Op }[],
  regression: Map<string, Located<Allowance>>,
): Comparison[] {
  const out: Comparison[] = [];
  const seen = new Set<string>();
  for (const k of keys) {
    const key = `${k.metric}:${k.aggregation}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const t: Threshold = parseExpression(k.metric, `${k.aggregation}<0`);
    const lower = (k.op && lowerIsBetter(k.op)) ?? defaultLowerIsBetter(k.metric, k.aggregation);
    const allowance = regression.get(key) ?? regression.get('default');
    const cm = findMetric(current, k.metric);
    const bm = findMetric(baseline, k.metric);
    const c: Comparison = { key, metric: k.metric, aggregation: t.aggregation, lowerIsBetter: lower, regressed: false, allowance };
    c.current = cm ? aggregate(t, cm) : undefined;
    c.baseline = bm ? aggregate(t, bm) : undefined;
    if (c.current === undefined || !Number.isFinite(c.current)) c.missing = 'current';
    else if (c.baseline === undefined || !Number.isFinite(c.baseline)) c.missing = 'baseline';
    if (!c.missing) {
      const cur = c.current!;
      const base = c.baseline!;
      c.changePct = base === 0 ? (cur === 0 ? 0 : cur > 0 ? Infinity : -Infinity) : ((cur - base) / Math.abs(base)) * 100;
      if (allowance) c.regressed = exceeds(cur, base, allowance.item, lower);
    }
    out.push(c);
  }
  return out;
}

/**
 * Growth beyond the allowance. A change of exactly the allowance is allowed: 123.4 → 135.74 is 10%, although
 * the subtraction gives 12.340000000000003 against 12.34; differences within a few ulps of the values count as equal.
 */
function exceeds(cur: number, base: number, a: Allowance, lower: boolean): boolean {
  const growth = lower ? cur - base : base - cur;
  const tolerance = 1e-9 * Math.max(Math.abs(cur), Math.abs(base), Number.MIN_VALUE);
  if (growth <= tolerance) return false;
  const overPct = a.pct === undefined || base === 0 || growth - (Math.abs(base) * a.pct) / 100 > tolerance;
  const overDelta = a.delta === undefined || growth - a.delta > tolerance;
  return overPct && overDelta;
}
