/** The asvs gate from string inputs (as the CLI and the action receive them) to one GateResult. */
import { statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../kit/errors.js';
import { parseBool, parseFailOn, readTextFile } from '../kit/inputs.js';
import { sortFindings, verdictFor, type Finding, type GateResult } from '../kit/result.js';
import { readBaseChecklist } from './base.js';
import { loadCatalog, type Catalog } from './catalog-file.js';
import { parseChecklist } from './checklist.js';
import { initChecklist } from './init.js';
import { parseBaseUrl } from './probe/http.js';
import { isProbeId, PROBE_IDS, type ProbeId } from './probe/ids.js';
import { runProbes } from './probe/index.js';
import { readProbeSpec } from './probe/operations.js';
import type { ProbeOutcome } from './probe/types.js';
import { parseLevel, parseVersion, verifyChecklist, type ChapterCoverage, type StatusChange } from './verify.js';

export const MODES = ['verify', 'probe', 'both'] as const;
export type Mode = (typeof MODES)[number];

export interface AsvsInputs {
  mode?: string;
  checklist?: string;
  level?: string;
  version?: string;
  allowTodo?: string | boolean;
  base?: string;
  catalog?: string;
  openapi?: string;
  baseUrl?: string;
  token?: string;
  probes?: string;
  rateLimitOperation?: string;
  rateLimitMax?: string;
  rateLimitConcurrency?: string;
  timeout?: string;
  maxDuration?: string;
  failOn?: string;
  /** Directory relative paths are read from (default: the process's). */
  cwd?: string;
  /** Repository root: evidence paths are relative to it, findings name files from it (default: cwd). */
  root?: string;
}

export interface ChecklistReport {
  file: string;
  version: string;
  level: number;
  coverage: ChapterCoverage[];
  changes: StatusChange[];
  base?: string;
}

export interface AsvsResult extends GateResult {
  checklist?: ChecklistReport;
  probes?: Omit<ProbeOutcome, 'findings'>[];
}

function parseMode(v: string | undefined): Mode {
  const s = (v ?? '').trim() || 'verify';
  if (!(MODES as readonly string[]).includes(s)) throw new InputError(`mode: '${s}' is not one of ${MODES.join(', ')}`, { field: 'mode' });
  return s as Mode;
}

function parseCount(v: string | undefined, field: string, def: number, min: number, max: number, unit = ''): number {
  const s = (v ?? '').trim();
  if (s === '') return def;
  const whole = unit === '';
  if (!(whole ? /^\d+$/ : /^\d+(\.\d+)?$/).test(s) || Number(s) < min || Number(s) > max) {
    throw new InputError(`${field}: '${v}' is not a ${whole ? 'whole number' : 'number'} from ${min} to ${max}${unit}`, { field });
  }
  return Number(s);
}

function parseProbeList(v: string | undefined): ProbeId[] | undefined {
  const s = (v ?? '').trim();
  if (!s || s === 'all') return undefined;
  return s.split(/[\s,]+/).filter(Boolean).map((x) => {
    const id = x.startsWith('probe:') ? x : `probe:${x}`;
    if (!isProbeId(id)) throw new InputError(`probes: '${x}' is not one of ${PROBE_IDS.map((p) => p.slice(6)).join(', ')}`, { field: 'probes' });
    return id;
  });
}

function resolveCatalog(i: AsvsInputs, cwd: string): Catalog | undefined {
  const c = i.catalog?.trim();
  if (!c) return undefined;
  let file = path.resolve(cwd, c);
  // The shared folder of exports works too: pick the JSON of the version asked for.
  try {
    if (statSync(file).isDirectory()) {
      const v = i.version?.trim() ? parseVersion(i.version, 'version') : '5.0.0';
      file = path.join(file, `asvs-${v}-en.json`);
    }
  } catch {
    /* loadCatalog reports the missing file */
  }
  return loadCatalog(file);
}

export async function runAsvs(i: AsvsInputs): Promise<AsvsResult> {
  const cwd = i.cwd ?? process.cwd();
  const root = path.resolve(cwd, i.root?.trim() || '.');
  if (i.root?.trim()) {
    // Every evidence path would be "not found" (a failed gate) when the root itself is wrong.
    let isDir = false;
    try {
      isDir = statSync(root).isDirectory();
    } catch {
      throw new InputError(`root: '${i.root.trim()}' not found: expected the repository root directory that evidence paths are relative to`, { field: 'root' });
    }
    if (!isDir) throw new InputError(`root: '${i.root.trim()}' is a file: expected the repository root directory that evidence paths are relative to`, { field: 'root' });
  }
  const mode = parseMode(i.mode);
  const failOn = parseFailOn(i.failOn);
  const findings: Finding[] = [];
  const result: AsvsResult = { gate: 'asvs', verdict: 'pass', findings, metrics: {} };

  // Validate every input before any request goes out.
  const wantsChecklist = mode !== 'probe';
  const wantsProbes = mode !== 'verify';
  if (wantsChecklist && !i.checklist?.trim()) throw new InputError('checklist: required in mode verify and both (a markdown or YAML checklist)', { field: 'checklist' });
  if (wantsProbes && !i.openapi?.trim()) throw new InputError('openapi: required in mode probe and both (the OpenAPI file the probes call)', { field: 'openapi' });
  if (wantsProbes && !i.baseUrl?.trim()) throw new InputError('base-url: required in mode probe and both (e.g. https://staging.example.com)', { field: 'base-url' });
  const level = i.level?.trim() ? parseLevel(i.level, 'level') : undefined;
  const version = i.version?.trim() ? parseVersion(i.version, 'version') : undefined;
  const allowTodo = parseBool(i.allowTodo, 'allow-todo');
  const catalog = wantsChecklist ? resolveCatalog(i, cwd) : undefined;
  const probeSettings = wantsProbes
    ? {
        baseUrl: parseBaseUrl(i.baseUrl!),
        token: i.token?.trim() || undefined,
        probes: parseProbeList(i.probes),
        rateLimitOperation: i.rateLimitOperation?.trim() || undefined,
        rateLimitMax: parseCount(i.rateLimitMax, 'rate-limit-max', 200, 1, 10000),
        rateLimitConcurrency: parseCount(i.rateLimitConcurrency, 'rate-limit-concurrency', 8, 1, 64),
        timeoutMs: 1000 * parseCount(i.timeout, 'timeout', 10, 0.1, 120, ' seconds'),
        maxDurationMs: 1000 * parseCount(i.maxDuration, 'max-duration', 120, 1, 1800, ' seconds'),
        maxOtherRequests: 0,
      }
    : undefined;
  const spec = wantsProbes ? readProbeSpec(i.openapi!.trim(), cwd) : undefined;
  // headers 2, auth 1 and error-leak at most 3 per operation, plus the unknown path: never more.
  if (probeSettings && spec) probeSettings.maxOtherRequests = 4 * spec.operations.length + 3;

  const checklistAbs = wantsChecklist ? path.resolve(cwd, i.checklist!.trim()) : undefined;
  const shown = checklistAbs ? toPosix(path.relative(root, checklistAbs)) : '';
  const list = checklistAbs ? parseChecklist(readChecklistText(checklistAbs, i.checklist!.trim()), shown.startsWith('..') ? checklistAbs : shown) : undefined;
  const base = checklistAbs && i.base?.trim() ? readBaseChecklist(i.base, checklistAbs, list!.file) : undefined;

  let probeOutcomes: ProbeOutcome[] | undefined;
  if (spec && probeSettings) {
    const run = await runProbes(spec, probeSettings);
    probeOutcomes = run.outcomes;
    findings.push(...run.findings);
    result.probes = run.outcomes.map(({ findings: _f, ...rest }) => rest);
    result.metrics!['probe requests'] = run.requests;
    const limited = run.outcomes.find((o) => o.id === 'probe:rate-limit')?.data?.limitedAt;
    if (typeof limited === 'number') result.metrics!['rate limited at request'] = limited;
  }

  if (list) {
    const v = verifyChecklist(list, { level, version, root, allowTodo, catalog, probes: probeOutcomes, base });
    findings.push(...v.findings);
    Object.assign(result.metrics!, v.metrics);
    result.checklist = { file: list.file, version: v.version, level: v.level, coverage: v.coverage, changes: v.changes, ...(i.base?.trim() ? { base: i.base.trim() } : {}) };
    if (i.base?.trim() && !base) {
      findings.push({ id: 'asvs-base-missing', level: 'info', message: `${list.file} did not exist at ${i.base.trim()}: nothing to compare`, location: { file: list.file } });
    }
  }
  result.findings = sortFindings(findings);
  result.verdict = verdictFor(result.findings, failOn);
  return result;
}

function readChecklistText(abs: string, shown: string): string {
  let size: number;
  try {
    const st = statSync(abs);
    if (st.isDirectory()) throw new InputError(`checklist: '${shown}' is a directory; expected a markdown or YAML file`, { field: 'checklist', file: shown });
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`checklist: file '${shown}' not found or not readable`, { field: 'checklist', file: shown });
  }
  if (size > 16 * 1024 * 1024) throw new InputError(`checklist: '${shown}' is larger than 16 MB`, { field: 'checklist', file: shown });
  return readTextFile(abs, 'checklist');
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export interface InitInputs {
  level?: string;
  version?: string;
  catalog?: string;
  format?: string;
  cwd?: string;
}

/** The text of a new checklist. */
export function runInit(i: InitInputs): string {
  const cwd = i.cwd ?? process.cwd();
  if (!i.level?.trim()) throw new InputError('level: required (1, 2 or 3)', { field: 'level' });
  const level = parseLevel(i.level, 'level');
  const version = i.version?.trim() ? parseVersion(i.version, 'version') : '5.0.0';
  const catalog = resolveCatalog({ catalog: i.catalog, version }, cwd);
  if (catalog && catalog.version !== version) {
    throw new InputError(`catalog: '${catalog.file}' is ASVS ${catalog.version}, but version ${version} was asked for`, { field: 'catalog' });
  }
  const format = (i.format ?? '').trim() || 'markdown';
  if (format !== 'markdown' && format !== 'yaml') throw new InputError(`format: '${format}' is not markdown or yaml`, { field: 'format' });
  return initChecklist({ version, level, catalog, format });
}
