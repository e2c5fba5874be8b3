/**
 * The budget file (YAML or JSON): k6's own `thresholds` shape — metric key → list of expressions —
 * plus allowed regressions against a baseline. Every entry remembers its line for annotations.
 *
 *   thresholds:
 *     http_req_duration: ['p(95)<300', 'avg<200']
 *     'http_req_duration{name:GET /pets}': ['p(95)<150']
 *     http_req_failed: ['rate<0.01']
 *   regression:
 *     default: 10%                      # every budgeted aggregation
 *     'http_req_duration:p(95)': 10%    # relative growth allowed
 *     'http_req_failed:rate': '+0.005'  # absolute growth allowed
 *
 * A file holding only the metric map (no `thresholds:` key) is read as the thresholds.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { InputError } from '../kit/errors.js';
import { parseMetricKey } from './metrics.js';
import { parseExpression, type Threshold } from './thresholds.js';

export interface Located<T> {
  item: T;
  file?: string;
  line?: number;
}

/** Allowed growth against the baseline: relative (`10%`), absolute (`+5`), or both (`10% or +5`: a change must exceed both to count, which keeps noise on tiny values from failing). */
export interface Allowance {
  pct?: number;
  delta?: number;
  source: string;
}

export interface Budget {
  thresholds: Located<Threshold>[];
  /** `metric:aggregation` (or `default`) → allowance. */
  regression: Map<string, Located<Allowance>>;
}

export function emptyBudget(): Budget {
  return { thresholds: [], regression: new Map() };
}

/** `10%` (relative growth), `+0.005` / `0.005` (absolute, in the metric's unit), or `10% or +5`. */
export function parseAllowance(v: string, field: string, file?: string): Allowance {
  const s = v.trim();
  const m = /^(?:(\d+(?:\.\d+)?)\s*%)?\s*(?:or)?\s*(?:\+?(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?))?$/.exec(s);
  const both = /^\d+(?:\.\d+)?\s*%\s+or\s+\+?\d/.test(s);
  const onlyPct = /^\d+(?:\.\d+)?\s*%$/.test(s);
  const onlyAbs = /^\+?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/.test(s);
  if (!m || !(both || onlyPct || onlyAbs)) {
    throw new InputError(`${field}: '${v}' is not an allowed regression: expected a percentage such as 10%, an absolute amount such as +5, or both: '10% or +5'`, { file, field });
  }
  const a: Allowance = { source: s };
  if (m[1] !== undefined) a.pct = Number(m[1]);
  if (m[2] !== undefined) a.delta = Number(m[2]);
  return a;
}

export function parseBudget(text: string, file: string, embedded = false): Budget {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    const line = e.linePos?.[0]?.line;
    throw new InputError(`budget: '${file}'${line ? ` line ${line}` : ''} is not valid YAML: ${e.message.split('\n')[0]}`, { file, field: 'budget' });
  }
  const lineOf = (n: Node | null | undefined) => (n?.range ? lc.linePos(n.range[0]).line : undefined);
  const root = doc.contents;
  if (!isMap(root)) throw new InputError(`budget: '${file}' must be a mapping with 'thresholds' (metric → list of k6 expressions)`, { file, field: 'budget' });
  const budget = emptyBudget();
  const keys = root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : ''));
  const hasSections = embedded || keys.includes('thresholds') || keys.includes('regression');
  const thresholdsNode = hasSections ? root.get('thresholds', true) : root;
  for (const k of keys) {
    if (hasSections && !embedded && k !== 'thresholds' && k !== 'regression') {
      throw new InputError(`budget: '${file}' has an unknown key '${k}' (expected thresholds and regression)`, { file, field: `budget.${k}` });
    }
  }
  if (thresholdsNode !== undefined && thresholdsNode !== null) {
    if (!isMap(thresholdsNode)) throw new InputError(`budget: '${file}' line ${lineOf(thresholdsNode as Node)}: thresholds must map metric names to lists of expressions`, { file, field: 'budget.thresholds' });
    for (const pair of thresholdsNode.items) {
      const metric = isScalar(pair.key) ? String(pair.key.value) : '';
      const keyLine = lineOf(pair.key as Node);
      const where = `budget: '${file}' line ${keyLine}`;
      if (!parseMetricKey(metric)) throw new InputError(`${where}: '${metric}' is not a metric name (e.g. http_req_duration or 'http_req_duration{name:GET /pets}')`, { file, field: 'budget.thresholds' });
      const list = pair.value;
      const items = isSeq(list) ? list.items : isScalar(list) ? [list] : undefined;
      if (!items || items.length === 0) throw new InputError(`${where}: '${metric}' needs a list of expressions such as ['p(95)<300']`, { file, field: `budget.thresholds.${metric}` });
      for (const item of items) {
        const line = lineOf(item as Node) ?? keyLine;
        let expr: unknown;
        if (isScalar(item)) expr = item.value;
        else if (isMap(item)) expr = item.get('threshold');
        if (typeof expr !== 'string') throw new InputError(`budget: '${file}' line ${line}: each threshold of '${metric}' must be a string or {threshold: '...'}`, { file, field: `budget.thresholds.${metric}` });
        try {
          budget.thresholds.push({ item: parseExpression(metric, expr), file, line });
        } catch (e) {
          throw new InputError(`budget: '${file}' line ${line}: ${metric}: ${(e as Error).message}`, { file, field: `budget.thresholds.${metric}` });
        }
      }
    }
  }
  const reg = hasSections && !embedded ? root.get('regression', true) : undefined;
  if (reg !== undefined && reg !== null) {
    if (!isMap(reg)) throw new InputError(`budget: '${file}' line ${lineOf(reg as Node)}: regression must map 'metric:aggregation' (or default) to an allowance such as 10%`, { file, field: 'budget.regression' });
    for (const pair of reg.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      const line = lineOf(pair.key as Node);
      if (key !== 'default' && !/^.+:(count|rate|value|avg|min|max|med|p\(\d+(\.\d+)?\))$/.test(key)) {
        throw new InputError(`budget: '${file}' line ${line}: regression key '${key}' must be default or METRIC:AGGREGATION such as http_req_duration:p(95)`, { file, field: 'budget.regression' });
      }
      const v = isScalar(pair.value) ? String(pair.value.value) : '';
      budget.regression.set(normalizeRegressionKey(key), { item: parseAllowance(v, `budget.regression.${key}`, file), file, line });
    }
  }
  return budget;
}

/** `http_req_duration{name:X}:p(95)` with the aggregation spelled as the threshold parser spells it. */
export function normalizeRegressionKey(key: string): string {
  return key.replace(/:p\((\d+(?:\.\d+)?)\)$/, (_, n: string) => `:p(${Number(n)})`);
}
