/**
 * The gate's surfaces in one place: string inputs (as the CLI and the action receive them) →
 * PerfResult. `judgePerf` judges an existing summary; `runPerf` runs k6 or the built-in engine
 * first; `checkChecklist` verifies the performance checklist.
 */
import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../kit/errors.js';
import { parseFailOn, readTextFile } from '../kit/inputs.js';
import { verdictFor, type FailOn, type Finding, type GateResult } from '../kit/result.js';
import { emptyBudget, parseAllowance, parseBudget, type Budget, type Located } from './budget.js';
import { verifyChecklist } from './checklist.js';
import { runEngine, type Progress } from './engine/engine.js';
import { checkBaseUrl, LIMITS, parseDuration, parseScenario } from './engine/scenario.js';
import { parseExitCode } from './exit-codes.js';
import { judge, type PerfResult } from './judge.js';
import { installK6, normalizeVersion } from './k6/install.js';
import { runK6 } from './k6/run.js';
import type { Summary } from './metrics.js';
import { readSummary } from './summary.js';
import { parseThresholdArg, type Threshold } from './thresholds.js';

export interface BudgetInputs {
  /** `metric:expression` items (CLI `--threshold`, action `thresholds` lines). */
  thresholds?: string[];
  budget?: string;
  baseline?: string;
  /** Default allowed regression for every budgeted aggregation, e.g. `10%`. */
  maxRegression?: string;
  failOn?: string;
  /** Path of a filled-in performance checklist, verified into the same result. */
  checklist?: string;
  /**
   * A baseline file that does not exist is a first run: an info finding, nothing compared. With this set
   * (`--require-baseline`), it is an error finding instead. A baseline that exists but cannot be read is bad input either way.
   */
  requireBaseline?: boolean | string;
  cwd?: string;
}

export interface JudgeInputs extends BudgetInputs {
  summary: string;
  k6ExitCode?: string;
  /** What produced the summary, for the baseline check (default: what the summary says). */
  script?: string;
}

interface Prepared {
  cwd: string;
  failOn: FailOn;
  thresholds: (Located<Threshold> & { origin?: 'budget' | 'cli' })[];
  budget: Budget;
  baselineFile?: string;
  requireBaseline: boolean;
}

function prepare(i: BudgetInputs): Prepared {
  const cwd = i.cwd ?? process.cwd();
  const failOn = parseFailOn(i.failOn);
  const thresholds: Prepared['thresholds'] = [];
  for (const arg of i.thresholds ?? []) {
    if (!arg.trim()) continue;
    try {
      thresholds.push({ item: parseThresholdArg(arg), origin: 'cli' });
    } catch (e) {
      throw new InputError(`threshold: ${(e as Error).message}`, { field: 'threshold' });
    }
  }
  let budget = emptyBudget();
  if (i.budget?.trim()) {
    const rel = i.budget.trim();
    budget = parseBudget(readTextFile(path.resolve(cwd, rel), 'budget'), rel);
    for (const t of budget.thresholds) thresholds.push({ ...t, origin: 'budget' });
  }
  if (i.maxRegression?.trim()) {
    if (!i.baseline?.trim()) throw new InputError('max-regression: needs a baseline to compare with', { field: 'max-regression' });
    // Given explicitly, it replaces the budget file's `regression.default`; per-metric keys there still apply.
    budget.regression.set('default', { item: parseAllowance(i.maxRegression, 'max-regression') });
  }
  const baselineFile = i.baseline?.trim() ? path.resolve(cwd, i.baseline.trim()) : undefined;
  if (baselineFile && budget.regression.size === 0) budget.regression.set('default', { item: parseAllowance('10%', 'max-regression') });
  const requireBaseline = parseBool(i.requireBaseline, 'require-baseline');
  if (requireBaseline && !baselineFile) throw new InputError('require-baseline: needs a baseline file to require', { field: 'require-baseline' });
  return { cwd, failOn, thresholds, budget, baselineFile, requireBaseline };
}

function parseBool(v: boolean | string | undefined, field: string): boolean {
  if (v === undefined || typeof v === 'boolean') return v ?? false;
  const s = v.trim().toLowerCase();
  if (s === '' || s === 'false') return false;
  if (s === 'true') return true;
  throw new InputError(`${field}: '${v}' is not true or false`, { field });
}

/** No file at the path (a first run has no earlier result yet); any other problem is left to the reader to report. */
function absent(file: string): boolean {
  try {
    statSync(file);
    return false;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR';
  }
}

/** Sub-metric keys the budget names: the NDJSON reader and the engine compute exactly those. */
function submetricKeys(p: Prepared): string[] {
  const keys = p.thresholds.map((t) => t.item.metric);
  for (const k of p.budget.regression.keys()) if (k !== 'default') keys.push(k.slice(0, k.lastIndexOf(':')));
  return keys.filter((k) => k.includes('{'));
}

async function finish(summary: Summary, p: Prepared, extra: { k6ExitCode?: number; script?: string; engine?: string; checklist?: string; notes?: Finding[] }): Promise<PerfResult> {
  const rel = p.baselineFile ? path.relative(p.cwd, p.baselineFile) : undefined;
  const baselineRel = p.baselineFile ? (rel && !rel.startsWith('..') ? rel : p.baselineFile) : undefined;
  const missing = p.baselineFile !== undefined && absent(p.baselineFile);
  const baseline = p.baselineFile && !missing ? await readSummary(p.baselineFile, { field: 'baseline', submetrics: submetricKeys(p) }) : undefined;
  if (baseline) baseline.file = baselineRel;
  const result = judge(summary, {
    thresholds: p.thresholds,
    regression: p.budget.regression,
    baseline,
    baselineMissing: missing ? { file: baselineRel!, required: p.requireBaseline } : undefined,
    k6ExitCode: extra.k6ExitCode,
    failOn: p.failOn,
    script: extra.script ?? summary.script,
    engine: extra.engine,
  });
  if (extra.notes) result.findings.push(...extra.notes);
  if (extra.checklist) result.findings.push(...checklistFindings(extra.checklist, p.cwd));
  result.verdict = verdictFor(result.findings, p.failOn);
  return result;
}

export async function judgePerf(i: JudgeInputs): Promise<PerfResult> {
  if (!i.summary?.trim()) throw new InputError('summary: required (a k6 --summary-export file, handleSummary JSON, machine-readable summary or --out json NDJSON)', { field: 'summary' });
  const p = prepare(i);
  let code: number | undefined;
  try {
    code = parseExitCode(i.k6ExitCode);
  } catch (e) {
    throw new InputError((e as Error).message, { field: 'k6-exit-code' });
  }
  const rel = i.summary.trim();
  const summary = await readSummary(path.resolve(p.cwd, rel), { submetrics: submetricKeys(p) });
  summary.file = rel;
  return finish(summary, p, { k6ExitCode: code, script: i.script?.trim() || undefined, checklist: i.checklist });
}

export interface RunInputs extends BudgetInputs {
  engine?: string;
  /** k6 script (JS). */
  script?: string;
  /** Built-in engine scenario (YAML/JSON). */
  scenario?: string;
  baseUrl?: string;
  duration?: string;
  vus?: string;
  k6Version?: string;
  /** Extra k6 arguments, whitespace-separated. */
  k6Args?: string;
  /** Keep the raw --out json stream too (k6 only). */
  rawOutput?: string | boolean;
  env?: Record<string, string | undefined>;
  /** Where the summary and NDJSON go. */
  outDir: string;
  toolCacheDir: string;
  tempDir: string;
  downloadBase?: string;
  onProgress?: (p: Progress) => void;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export type Engine = 'k6' | 'builtin';

export async function runPerf(i: RunInputs): Promise<PerfResult & { engineUsed: Engine; summaryFile?: string }> {
  const engine = (i.engine ?? 'auto').trim() || 'auto';
  if (!['auto', 'k6', 'builtin'].includes(engine)) throw new InputError(`engine: '${engine}' is not one of auto, k6, builtin`, { field: 'engine' });
  const p = prepare(i);
  const script = i.script?.trim();
  const scenario = i.scenario?.trim();
  const env = { ...process.env, ...(i.env ?? {}) };
  const log = i.log ?? (() => {});
  const notes: Finding[] = [];
  if (engine === 'k6' && !script) throw new InputError('script: required with engine k6 (a k6 JavaScript file)', { field: 'script' });
  if (engine === 'builtin' && !scenario) throw new InputError('scenario: required with engine builtin (a YAML scenario file, see docs/perf.md)', { field: 'scenario' });
  if (!script && !scenario) throw new InputError('script or scenario: give a k6 script, a built-in scenario, or both (engine auto uses k6 when it can)', { field: 'script' });
  if (i.duration?.trim()) {
    const ms = parseDuration(i.duration.trim(), 'duration');
    if (ms <= 0) throw new InputError(`duration: '${i.duration.trim()}' must be more than 0`, { field: 'duration' });
  }
  if (i.vus?.trim() && !/^[1-9]\d{0,3}$/.test(i.vus.trim())) throw new InputError(`vus: '${i.vus}' is not a number of virtual users (1–9999)`, { field: 'vus' });
  try {
    mkdirSync(i.outDir, { recursive: true });
  } catch (e) {
    throw new InputError(`out-dir: '${i.outDir}' cannot be used as a directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { file: i.outDir, field: 'out-dir' });
  }

  if (script && engine !== 'builtin') {
    const version = normalizeVersion(i.k6Version);
    const scriptPath = path.resolve(p.cwd, script);
    readTextFile(scriptPath, 'script');
    let k6: string | undefined;
    try {
      k6 = (await installK6({ version, toolCacheDir: i.toolCacheDir, tempDir: i.tempDir, downloadBase: i.downloadBase, log, pathEnv: env.PATH })).path;
    } catch (e) {
      if (engine === 'k6' || !scenario || !(e instanceof InputError)) throw e;
      log(`${e.message}\nfalling back to the built-in engine with ${scenario}`);
      notes.push({ id: 'perf-engine-fallback', level: 'warning', message: `k6 could not be installed (${e.message.split('. ')[0]}); the built-in engine ran ${scenario} instead of ${script}` });
    }
    if (k6) {
      const summaryFile = path.join(i.outDir, 'k6-summary.json');
      const ndjsonFile = i.rawOutput === true || i.rawOutput === 'true' ? path.join(i.outDir, 'k6-samples.ndjson') : undefined;
      const extraArgs = (i.k6Args ?? '').split(/\s+/).filter(Boolean);
      if (i.duration?.trim()) extraArgs.push('--duration', i.duration.trim());
      if (i.vus?.trim()) extraArgs.push('--vus', i.vus.trim());
      const runEnv = { ...env };
      if (i.baseUrl?.trim()) runEnv.BASE_URL = checkBaseUrl(i.baseUrl.trim(), 'base-url');
      const code = await runK6({ k6, script: scriptPath, summaryFile, ndjsonFile, extraArgs, env: runEnv, cwd: p.cwd, onLine: log });
      let summary: Summary;
      try {
        summary = await readSummary(ndjsonFile ?? summaryFile, { submetrics: submetricKeys(p) });
      } catch (e) {
        if (code !== 0 && code !== 99) {
          // k6 stopped before writing a summary: its exit code is the finding.
          return emptyRun(p, code, `k6:${script}`, notes);
        }
        throw e;
      }
      if (ndjsonFile) {
        // Thresholds k6 evaluated live are in the export file; keep those beside the NDJSON numbers.
        try {
          summary.k6Thresholds = (await readSummary(summaryFile)).k6Thresholds;
        } catch {
          // no export: the NDJSON's declared thresholds are judged instead
        }
      }
      summary.file = path.relative(p.cwd, ndjsonFile ?? summaryFile);
      const result = await finish(summary, p, { k6ExitCode: code, script: `k6:${script}`, engine: 'k6', checklist: i.checklist, notes });
      return { ...result, engineUsed: 'k6', summaryFile: ndjsonFile ?? summaryFile };
    }
  }

  const scenarioPath = path.resolve(p.cwd, scenario!);
  const text = readTextFile(scenarioPath, 'scenario');
  const sc = parseScenario(text, scenario!, env);
  if (i.duration?.trim()) {
    sc.durationMs = parseDuration(i.duration.trim(), 'duration');
    if (sc.durationMs > LIMITS.maxDurationMs) throw new InputError(`duration: '${i.duration.trim()}' is longer than the built-in engine runs (at most ${LIMITS.maxDurationMs / 60_000}m; use k6 for longer tests)`, { field: 'duration' });
  }
  if (i.vus?.trim()) {
    if (Number(i.vus.trim()) > LIMITS.maxVUs) throw new InputError(`vus: '${i.vus.trim()}' is more than the built-in engine runs (at most ${LIMITS.maxVUs} VUs)`, { field: 'vus' });
    if (sc.executor === 'constant-vus') sc.vus = Number(i.vus.trim());
    else sc.maxVUs = Math.max(sc.preAllocatedVUs, Number(i.vus.trim()));
  }
  const baseUrl = i.baseUrl?.trim() ? checkBaseUrl(i.baseUrl.trim(), 'base-url') : sc.baseUrl;
  if (!baseUrl) throw new InputError(`base-url: required (the scenario '${scenario}' has no baseUrl)`, { field: 'base-url' });
  if (sc.hasThresholds) for (const t of parseBudget(text, scenario!, true).thresholds) p.thresholds.push({ ...t, origin: 'budget' });
  log(`built-in engine: ${sc.executor === 'constant-vus' ? `${sc.vus} VUs` : `${sc.rate} iterations per ${sc.timeUnitMs} ms (up to ${sc.maxVUs} VUs)`} for ${sc.durationMs / 1000}s against ${baseUrl}`);
  // About twenty progress lines per run: every second for short runs, every 15 s at most.
  const progressIntervalMs = Math.min(15_000, Math.max(1000, Math.round(sc.durationMs / 20 / 1000) * 1000));
  const summary = await runEngine(sc, { baseUrl, submetrics: submetricKeys(p), onProgress: i.onProgress, progressIntervalMs, signal: i.signal });
  summary.script = `builtin:${scenario}`;
  summary.file = scenario;
  const result = await finish(summary, p, { script: `builtin:${scenario}`, engine: 'builtin', checklist: i.checklist, notes });
  return { ...result, engineUsed: 'builtin' };
}

function emptyRun(p: Prepared, code: number, script: string, notes: Finding[]): PerfResult & { engineUsed: Engine } {
  const summary: Summary = { source: 'summary-export', metrics: new Map(), k6Thresholds: [] };
  const r = judge(summary, { thresholds: [], regression: new Map(), k6ExitCode: code, failOn: p.failOn, script, engine: 'k6' });
  r.findings.push(...notes);
  r.verdict = verdictFor(r.findings, p.failOn);
  return { ...r, engineUsed: 'k6' };
}

function readChecklist(file: string, cwd: string): string {
  const text = readTextFile(path.resolve(cwd, file), 'checklist', file);
  if (!text.trim()) throw new InputError(`checklist: '${file}' is empty: expected a filled-in Performance-checklist.md (templates/Performance-checklist.md)`, { file, field: 'checklist' });
  return text;
}

function checklistFindings(file: string, cwd: string): Finding[] {
  const rel = file.trim();
  return verifyChecklist(readChecklist(rel, cwd), rel).findings;
}

/** `perf checklist FILE` on its own. */
export function checkChecklist(file: string, opts: { failOn?: string; cwd?: string } = {}): GateResult {
  if (!file?.trim()) throw new InputError('checklist: required (a filled-in Performance-checklist.md)', { field: 'checklist' });
  const cwd = opts.cwd ?? process.cwd();
  const rel = file.trim();
  const { findings, stats } = verifyChecklist(readChecklist(rel, cwd), rel);
  return {
    gate: 'perf',
    verdict: verdictFor(findings, parseFailOn(opts.failOn)),
    findings,
    metrics: { targets: stats.targets, 'targets-missing': stats.targetsMissing, items: stats.items, checked: stats.checked, justified: stats.justified, open: stats.open },
  };
}
