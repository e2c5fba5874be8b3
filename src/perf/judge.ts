/**
 * The gate: a Summary judged against thresholds (budget file, CLI, and the script's own declared
 * thresholds), against a baseline run, and against k6's exit code. Pure: no I/O.
 */
import { verdictFor, type FailOn, type Finding, type GateResult } from '../kit/result.js';
import type { Allowance, Located } from './budget.js';
import { compareToBaseline, type Comparison } from './baseline.js';
import { k6ExitMeaning } from './exit-codes.js';
import { canonicalKey, findMetric, parseMetricKey, similarNames, type Metric, type Summary } from './metrics.js';
import { evaluate, mayBeNegative, parseExpression, type Threshold } from './thresholds.js';

export interface Row {
  metric: string;
  aggregation: string;
  /** `< 300`; empty when the row only compares with the baseline. */
  budget: string;
  actual?: number;
  baseline?: number;
  changePct?: number;
  /** `10%` or `+0.005` when a regression allowance applies. */
  allowed?: string;
  status: 'pass' | 'fail' | 'error' | 'info';
  /** Where the budget came from: the budget file, the command line, the script, k6's own summary. */
  origin: 'budget' | 'cli' | 'script' | 'k6' | 'baseline';
  unit?: 'ms' | 'B' | '';
}

export interface SerializedSummary {
  source: Summary['source'];
  script?: string;
  engine?: string;
  k6Version?: string;
  durationS?: number;
  metrics: Record<string, { type: Metric['type']; contains?: Metric['contains']; values: Record<string, number | null> }>;
}

export interface PerfResult extends GateResult {
  gate: 'perf';
  table: Row[];
  summary: SerializedSummary;
  k6ExitCode?: number;
}

export interface JudgeOptions {
  thresholds: (Located<Threshold> & { origin?: 'budget' | 'cli' })[];
  regression: Map<string, Located<Allowance>>;
  baseline?: Summary;
  /** The baseline file named does not exist (a first run): info, or an error when a baseline is required. */
  baselineMissing?: { file: string; required: boolean };
  k6ExitCode?: number;
  failOn?: FailOn;
  /** Identity of this run's script, compared with the baseline's. */
  script?: string;
  engine?: string;
  /** Judge the thresholds the NDJSON stream declares (default true). */
  scriptThresholds?: boolean;
}

const DEFAULT_REGRESSION_KEYS = [
  { metric: 'http_req_duration', aggregation: 'p(95)' },
  { metric: 'http_req_failed', aggregation: 'rate' },
  { metric: 'http_reqs', aggregation: 'rate' },
];

export function judge(summary: Summary, opts: JudgeOptions): PerfResult {
  const findings: Finding[] = [];
  const rows: Row[] = [];
  const file = summary.file;
  const judged = { thresholds: 0, k6: 0, baseline: 0, exit: 0 };
  const seen = new Set<string>();

  const check = (t: Threshold, origin: Row['origin'], loc?: { file?: string; line?: number }) => {
    judged.thresholds++;
    const dedupe = `${canonicalKey(t.metric)}|${t.source.replace(/\s+/g, '')}`;
    if (seen.has(dedupe)) return;
    seen.add(dedupe);
    const location = loc?.file ? { file: loc.file, line: loc.line } : undefined;
    const budget = `${t.op} ${t.value}`;
    const m = findMetric(summary, t.metric);
    const where = originText(origin);
    if (!m) {
      const near = similarNames(summary, t.metric);
      findings.push({
        id: 'perf-metric-missing',
        level: 'error',
        message: `${t.metric}: no such metric in the summary${file ? ` '${file}'` : ''}${near.length ? `; did you mean ${near.map((n) => `\`${n}\``).join(', ')}?` : ''} (threshold ${t.source}${where}). ${whyMissing(summary, t.metric)}`,
        location,
        data: { metric: t.metric, threshold: t.source },
      });
      rows.push({ metric: t.metric, aggregation: t.aggregation, budget, status: 'error', origin });
      return;
    }
    const unit = unitOf(m);
    const e = evaluate(t, m);
    if (e.kind === 'wrong-type') {
      findings.push({
        id: 'perf-threshold-invalid-aggregation',
        level: 'error',
        message: `${t.metric} is a ${e.type}; '${t.aggregation}' does not apply (a ${e.type} takes ${aggList(e.type)}) in threshold ${t.source}${where}`,
        location,
        data: { metric: t.metric, threshold: t.source, type: e.type },
      });
      rows.push({ metric: t.metric, aggregation: t.aggregation, budget, status: 'error', origin, unit });
    } else if (e.kind === 'no-samples') {
      findings.push({
        id: 'perf-metric-empty',
        level: 'error',
        message: `${t.metric} has no samples${file ? ` in '${file}'` : ''}${noSampleReason(t.metric)}, so threshold ${t.source} cannot be judged (k6 shows 0 for an empty metric and would pass it)${where}`,
        location,
        data: { metric: t.metric, threshold: t.source },
      });
      rows.push({ metric: t.metric, aggregation: t.aggregation, budget, status: 'error', origin, unit });
    } else if (e.kind === 'not-in-summary') {
      findings.push({
        id: 'perf-aggregation-missing',
        level: 'error',
        message:
          `${t.metric}: the summary${file ? ` '${file}'` : ''} has no ${t.aggregation} (it holds ${Object.keys(m.values).join(', ')}); ` +
          (summary.source === 'machine-readable-v1'
            ? `the machine-readable summary (schema 1.0.0) keeps only avg, min, med, max, p(90) and p(95) of a trend whatever summaryTrendStats says: judge the legacy --summary-export file or the --out json stream${where}`
            : `add '${t.aggregation}' to the script's summaryTrendStats, or judge the --out json stream${where}`),
        location,
        data: { metric: t.metric, threshold: t.source },
      });
      rows.push({ metric: t.metric, aggregation: t.aggregation, budget, status: 'error', origin, unit });
    } else if (e.kind === 'invalid') {
      findings.push({
        id: 'perf-value-invalid',
        level: 'error',
        message: `${t.metric} ${t.aggregation} is ${e.actual} in the summary: not a valid measurement, so threshold ${t.source} cannot be judged${where}`,
        location,
        data: { metric: t.metric, threshold: t.source, actual: String(e.actual) },
      });
      rows.push({ metric: t.metric, aggregation: t.aggregation, budget, actual: e.actual, status: 'error', origin, unit });
    } else {
      if (m.samples === 0 && parseMetricKey(t.metric)?.tags.length) {
        // A counter of nothing is 0, a real answer ('http_reqs{status:500}': ['count<1']); say so, in case the tag is misspelt.
        findings.push({ id: 'perf-metric-empty', level: 'info', message: `${t.metric} has no samples${noSampleReason(t.metric)}: its ${t.aggregation} is 0 for threshold ${t.source}${where}`, location, data: { metric: t.metric, threshold: t.source } });
      }
      rows.push({ metric: t.metric, aggregation: t.aggregation, budget, actual: e.actual, status: e.ok ? 'pass' : 'fail', origin, unit });
      if (!e.ok) {
        findings.push({
          id: 'perf-threshold-failed',
          level: 'error',
          message: `${t.metric} ${t.aggregation} = ${fmt(e.actual)}${unit ? ` ${unit}` : ''}, budget ${t.aggregation} ${t.op} ${t.value}${where}`,
          location,
          operation: operationOf(t.metric),
          data: { metric: t.metric, threshold: t.source, actual: e.actual, limit: t.value },
        });
      }
    }
  };

  for (const t of opts.thresholds) check(t.item, t.origin ?? 'budget', t);

  if (opts.scriptThresholds !== false) {
    for (const d of summary.declared ?? []) {
      let t: Threshold;
      try {
        t = parseExpression(d.metric, d.expression);
      } catch (e) {
        findings.push({ id: 'perf-threshold-syntax', level: 'error', message: `the script's threshold on ${d.metric}: ${(e as Error).message}` });
        continue;
      }
      check(t, 'script');
    }
  }

  for (const k of summary.k6Thresholds) {
    judged.k6++;
    let actual: number | undefined;
    let aggregation = '';
    let budget = k.expression;
    const km = findMetric(summary, k.metric);
    try {
      const t = parseExpression(k.metric, k.expression);
      aggregation = t.aggregation;
      budget = `${t.op} ${t.value}`;
      const e = km ? evaluate(t, km) : undefined;
      if (e?.kind === 'value' || e?.kind === 'invalid') actual = e.actual;
    } catch {
      // k6 reported it; the expression text is shown as is.
    }
    rows.push({ metric: k.metric, aggregation, budget, actual, status: k.ok ? 'pass' : 'fail', origin: 'k6', unit: km ? unitOf(km) : undefined });
    if (k.ok && km?.samples === 0 && km.type !== 'counter') {
      findings.push({
        id: 'perf-metric-empty',
        level: 'warning',
        message: `k6 passed its threshold '${k.expression}' on ${k.metric}, which has no samples${noSampleReason(k.metric)}: k6 judged a 0 that was never measured`,
        operation: operationOf(k.metric),
        data: { metric: k.metric, threshold: k.expression },
      });
    }
    if (!k.ok) {
      findings.push({
        id: 'k6-threshold-failed',
        level: 'error',
        message: `k6 reports its threshold '${k.expression}' on ${k.metric} as failed${actual !== undefined ? ` (value ${fmt(actual)})` : ''}`,
        operation: operationOf(k.metric),
        data: { metric: k.metric, threshold: k.expression },
      });
    }
  }

  for (const bad of summary.invalidSamples ?? []) {
    findings.push({ id: 'perf-value-invalid', level: 'warning', message: `samples that are NaN or negative were left out of ${bad}` });
  }
  for (const m of summary.metrics.values()) {
    if (m.type === 'gauge') continue;
    const negativeOk = mayBeNegative(m);
    const wrong = Object.entries(m.values).filter(([, v]) => Number.isNaN(v) || (v < 0 && !negativeOk) || v === Infinity);
    const empty = wrong.length === Object.keys(m.values).length && wrong.every(([, v]) => Number.isNaN(v)); // no samples, not corrupt
    if (wrong.length && !empty && !rows.some((r) => r.metric === m.name && r.status === 'error')) {
      findings.push({
        id: 'perf-value-invalid',
        level: 'warning',
        message: `${m.name} holds ${wrong.map(([k, v]) => `${k} = ${v}`).join(', ')}: not a valid measurement for a ${m.type}; the summary may be corrupt`,
      });
    }
  }

  if (opts.baseline) judgeBaseline(summary, opts, rows, findings, () => judged.baseline++);
  else if (opts.baselineMissing) {
    const { file: bfile, required } = opts.baselineMissing;
    judged.baseline++;
    findings.push(
      required
        ? {
            id: 'perf-baseline-missing',
            level: 'error',
            message: `the baseline '${bfile}' does not exist, and a baseline is required (require-baseline): fetch the last accepted run's result file before judging`,
            data: { baseline: bfile },
          }
        : {
            id: 'perf-baseline-missing',
            level: 'info',
            message: `no baseline yet: '${bfile}' does not exist (a first run?), so nothing was compared with an earlier run; this run's result file can be the next baseline (set require-baseline to make a missing baseline fail the gate)`,
            data: { baseline: bfile },
          },
    );
  }

  if (opts.k6ExitCode !== undefined) {
    judged.exit++;
    const code = opts.k6ExitCode;
    if (code === 99) {
      findings.push({ id: 'k6-thresholds-failed', level: 'error', message: `k6 exited 99: ${k6ExitMeaning(99)}` , data: { exitCode: code } });
    } else if (code !== 0) {
      findings.push({
        id: 'k6-run-failed',
        level: 'error',
        message: `k6 exited ${code}: ${k6ExitMeaning(code)}. The run did not complete as designed, so its numbers cannot pass the gate`,
        data: { exitCode: code },
      });
    }
  }

  if (judged.thresholds + judged.k6 + judged.baseline + judged.exit === 0) {
    findings.push({
      id: 'perf-nothing-judged',
      level: 'error',
      message: 'nothing to judge: give thresholds (--threshold or a budget file), a baseline, or a summary whose script declared thresholds',
    });
  }

  const requests = findMetric(summary, 'http_reqs');
  if (requests && requests.values.count === 0) {
    findings.push({ id: 'perf-no-requests', level: 'error', message: 'the run made no HTTP requests (http_reqs count is 0): nothing was measured' });
  }
  const failedRate = findMetric(summary, 'http_req_failed')?.values.rate;
  if (requests && (requests.values.count ?? 0) > 0 && failedRate === 1) {
    findings.push({
      id: 'perf-all-requests-failed',
      level: 'error',
      message: `every one of the ${requests.values.count} requests failed (no answer, or a status outside the expected ones): is the base URL right and the service up?`,
    });
  }
  const dropped = findMetric(summary, 'dropped_iterations');
  if (dropped && (dropped.values.count ?? 0) > 0) {
    findings.push({
      id: 'perf-dropped-iterations',
      level: 'warning',
      message: `${dropped.values.count} iterations were dropped: the arrival rate could not be sustained with the VUs allowed (raise maxVUs, or the system under test is saturated)`,
    });
  }

  const metrics: Record<string, number> = {};
  const put = (name: string, key: string, agg: string) => {
    const m = findMetric(summary, key);
    const v = m?.values[agg];
    if (typeof v === 'number' && Number.isFinite(v)) metrics[name] = round(v);
  };
  put('p95-ms', 'http_req_duration', 'p(95)');
  put('error-rate', 'http_req_failed', 'rate');
  put('rps', 'http_reqs', 'rate');
  put('requests', 'http_reqs', 'count');

  const failOn = opts.failOn ?? 'error';
  const result: PerfResult = {
    gate: 'perf',
    verdict: verdictFor(findings, failOn),
    findings,
    metrics,
    table: rows,
    summary: serialize(summary, opts),
  };
  if (opts.k6ExitCode !== undefined) result.k6ExitCode = opts.k6ExitCode;
  return result;
}

function judgeBaseline(summary: Summary, opts: JudgeOptions, rows: Row[], findings: Finding[], judged: () => void): void {
  const baseline = opts.baseline!;
  const bfile = baseline.file ?? 'baseline';
  if (opts.script && baseline.script && opts.script !== baseline.script) {
    findings.push({
      id: 'perf-baseline-other-script',
      level: 'error',
      message: `the baseline '${bfile}' was measured with ${baseline.script}, this run with ${opts.script}: comparing them means nothing (pass the result of an earlier run of the same script)`,
      data: { baseline: baseline.script, current: opts.script },
    });
    judged();
    return;
  }
  if (!baseline.script || !opts.script) {
    findings.push({
      id: 'perf-baseline-unidentified',
      level: 'info',
      message: `the baseline '${bfile}' or this run does not say which script produced it; compared by metric names only`,
    });
  }
  const keys = opts.thresholds.map((t) => ({ metric: t.item.metric, aggregation: t.item.aggregation, op: t.item.op }));
  for (const k of opts.regression.keys()) {
    if (k === 'default') continue;
    const i = k.lastIndexOf(':');
    keys.push({ metric: k.slice(0, i), aggregation: k.slice(i + 1), op: undefined as never });
  }
  if (keys.length === 0) for (const k of DEFAULT_REGRESSION_KEYS) if (findMetric(summary, k.metric)) keys.push({ ...k, op: undefined as never });
  const comps = compareToBaseline(summary, baseline, keys, opts.regression);
  const common = comps.filter((c) => !c.missing);
  // Another script shares no metric at all; the same script with other endpoints (new, renamed or removed
  // sub-metrics) still shares its base metrics, and each endpoint without a counterpart is a warning below.
  const bases = (s: Summary) => new Set([...s.metrics.keys()].map((k) => parseMetricKey(k)?.base ?? k));
  const currentBases = bases(summary);
  const sharesMetrics = [...bases(baseline)].some((b) => currentBases.has(b));
  if (comps.length > 0 && common.length === 0 && !sharesMetrics) {
    findings.push({
      id: 'perf-baseline-other-script',
      level: 'error',
      message: `the baseline '${bfile}' has none of the compared metrics (${comps.map((c) => c.key).join(', ')}) and no metric of this run: it does not come from the same script`,
    });
    judged();
    return;
  }
  for (const c of comps) {
    judged();
    attach(rows, c);
    if (c.missing === 'baseline') {
      findings.push({ id: 'perf-baseline-metric-missing', level: 'warning', message: `${c.metric} ${c.aggregation} is not in the baseline '${bfile}': no comparison (a new endpoint or metric?)`, operation: operationOf(c.metric) });
    } else if (c.missing === 'current' && c.baseline !== undefined && !rows.some((r) => r.metric === c.metric && r.aggregation === c.aggregation && r.status === 'error')) {
      // A threshold on it has already said so; a `regression:` key alone would otherwise compare nothing in silence.
      findings.push({
        id: 'perf-regression-metric-missing',
        level: 'warning',
        message: `${c.metric} ${c.aggregation} is in the baseline '${bfile}' but not in this run${summary.file ? ` ('${summary.file}')` : ''}: the regression allowance ${c.allowance?.item.source ?? ''} compared nothing (an endpoint removed or renamed?)`,
        location: c.allowance?.file ? { file: c.allowance.file, line: c.allowance.line } : undefined,
        operation: operationOf(c.metric),
        data: { metric: c.metric, aggregation: c.aggregation },
      });
    } else if (c.regressed) {
      const a = c.allowance!;
      const m = findMetric(summary, c.metric);
      const u = m ? unitOf(m) : '';
      const unit = u ? ` ${u}` : '';
      findings.push({
        id: 'perf-regression',
        level: 'error',
        message: `${c.metric} ${c.aggregation} ${c.lowerIsBetter ? 'grew' : 'fell'} from ${fmt(c.baseline!)}${unit} to ${fmt(c.current!)}${unit} (${pct(c.changePct!, a.item.pct)}), more than the ${a.item.source} allowed`,
        location: a.file ? { file: a.file, line: a.line } : undefined,
        operation: operationOf(c.metric),
        data: { metric: c.metric, aggregation: c.aggregation, baseline: c.baseline, current: c.current, allowed: a.item.source },
      });
    }
  }
}

/** Put the baseline figures on the threshold's row, or add a baseline-only row. */
function attach(rows: Row[], c: Comparison): void {
  const row = rows.find((r) => r.metric === c.metric && r.aggregation === c.aggregation && r.origin !== 'k6');
  const extra = { baseline: c.baseline, changePct: c.changePct, allowed: c.allowance?.item.source };
  if (row) {
    Object.assign(row, extra);
    if (c.regressed && row.status === 'pass') row.status = 'fail';
  } else {
    rows.push({ metric: c.metric, aggregation: c.aggregation, budget: '', actual: c.current, ...extra, status: c.regressed ? 'fail' : 'info', origin: 'baseline' });
  }
}

function serialize(s: Summary, opts: JudgeOptions): SerializedSummary {
  const metrics: SerializedSummary['metrics'] = {};
  for (const m of s.metrics.values()) {
    const values: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(m.values)) values[k] = Number.isFinite(v) ? round(v) : null;
    // Keep every percentile the budget asks for, so this result can be the next run's baseline.
    if (m.quantile) {
      for (const t of opts.thresholds) {
        if (t.item.percentile !== undefined && findMetricName(s, t.item.metric) === m.name) values[t.item.aggregation] = round(m.quantile(t.item.percentile));
      }
    }
    metrics[m.name] = { type: m.type, contains: m.contains, values };
  }
  const out: SerializedSummary = { source: s.source, metrics };
  const script = opts.script ?? s.script;
  if (script) out.script = script;
  if (opts.engine) out.engine = opts.engine;
  if (s.k6Version) out.k6Version = s.k6Version;
  if (s.durationS !== undefined) out.durationS = round(s.durationS);
  return out;
}

function findMetricName(s: Summary, key: string): string | undefined {
  return findMetric(s, key)?.name;
}

/** `: no http_reqs sample carried scenario:chekout (…)` for a tagged key; empty for a plain one. */
function noSampleReason(key: string): string {
  const k = parseMetricKey(key);
  if (!k?.tags.length) return '';
  return `: no ${k.base} sample carried ${k.tags.map(([t, v]) => `${t}:${v}`).join(', ')} (a misspelt tag, a scenario that never ran, or requests that got no answer?)`;
}

/** Why a metric the budget names can be absent, for the k6 user who expects it there. */
function whyMissing(summary: Summary, key: string): string {
  const k = parseMetricKey(key);
  const base = k?.base ?? key;
  const baseThere = findMetric(summary, base) !== undefined;
  if (k && k.tags.length && baseThere) {
    if (summary.source === 'ndjson' || summary.source === 'builtin') return `No ${base} sample carried those tags.`;
    return `k6 writes a tagged sub-metric into its summary only when the script declares a threshold on it: add '${key}' to the script's options.thresholds, or judge the --out json stream, where every tag is kept.`;
  }
  return `A metric the script never defines makes k6 exit 104; a custom metric the script defines appears only once it gets a sample.`;
}

/** Where a threshold came from, for the message; a budget file's line is the finding's location instead. */
function originText(origin: Row['origin']): string {
  if (origin === 'script') return ", declared in the k6 script's options";
  if (origin === 'cli') return ', from --threshold';
  return '';
}

function aggList(type: string): string {
  return { counter: 'count or rate', gauge: 'value', rate: 'rate', trend: 'avg, min, max, med or p(N)' }[type] ?? '';
}

/** `http_req_duration{name:GET /pets}` → `GET /pets`, so findings group by endpoint. */
export function operationOf(metric: string): string | undefined {
  return parseMetricKey(metric)?.tags.find(([k]) => k === 'name')?.[1];
}

function unitOf(m: Metric): Row['unit'] {
  return m.contains === 'time' ? 'ms' : m.contains === 'data' ? 'B' : '';
}

export function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

export function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(2) : String(round(v));
}

/**
 * `+12.3%`. Beside an allowance (`allowedPct`), a change just past it gets the decimals that show it is past:
 * `+10.02%` against 10%, never `+10.0%` reported as more than 10%.
 */
export function pct(v: number, allowedPct?: number): string {
  if (v === Infinity) return '+∞%';
  if (v === -Infinity) return '−∞%';
  let digits = 1;
  if (allowedPct !== undefined) {
    const beyond = Math.abs(v) - allowedPct > 1e-6; // float noise on an exact 10% is not beyond 10%
    while (digits < 4 && beyond && Number(Math.abs(v).toFixed(digits)) <= allowedPct) digits++;
  }
  return `${v >= 0 ? '+' : ''}${v.toFixed(digits)}%`;
}
