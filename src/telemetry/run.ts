/**
 * The telemetry gate: after a release, judge production (or a canary) from Prometheus: error rate and
 * latency percentiles, per route if asked, over a window after the deploy, against a budget. From
 * string inputs as the CLI and the action get them; no process.env.
 */
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseHeader } from '../conformance/run.js';
import { InputError } from '../kit/errors.js';
import { parseFailOn, readTextFile, rejectDirectory } from '../kit/inputs.js';
import { sortFindings, verdictFor, type FailOn, type Finding, type GateResult } from '../kit/result.js';
import { DEFAULT_NAMES, parseCheckEntry, parseChecksText, queryFor, toCheckUnit, type Check, type MetricNames, type NoDataLevel, type Scope } from './checks.js';
import { judgeAnswer, type CheckRow } from './judge.js';
import { instantQuery, type Connection } from './prometheus.js';
import { formatDuration, parseDuration, parseInstant } from './time.js';

export interface TelemetryInputs {
  /** The Prometheus server's base URL. */
  prometheusUrl?: string;
  /** Bearer token. */
  token?: string;
  /** `user:password`. */
  basicAuth?: string;
  /** `Name: value` lines. */
  headers?: string[];
  /** Ready-made checks one per line (or comma-separated), or a YAML list that may hold PromQL checks. */
  checks?: string;
  /** YAML file: a list of checks, or a mapping with `checks:` and defaults for the options below. */
  checksFile?: string;
  window?: string;
  selector?: string;
  by?: string;
  requestsMetric?: string;
  statusLabel?: string;
  errorStatus?: string;
  durationMetric?: string;
  durationUnit?: string;
  /** When the release went out (RFC 3339 or Unix seconds): the window never reaches before it. */
  deployedAt?: string;
  /** Settle time before querying: after deployedAt when given, else from now. */
  wait?: string;
  /** Evaluate at this time instead of now (RFC 3339 or Unix seconds). */
  at?: string;
  /** One request's timeout (a duration, or a bare number of seconds; default 30s). */
  queryTimeout?: string;
  retries?: string;
  noData?: string;
  failOn?: string;
  cwd?: string;
}

export interface TelemetryOptions {
  connection: Connection;
  /** The URL as shown in reports (never credentials). */
  prometheus: string;
  checks: Check[];
  names: MetricNames;
  selector: string;
  by: string;
  windowMs: number;
  deployedAt?: number;
  waitMs: number;
  at?: number;
  noData: NoDataLevel;
  failOn: FailOn;
}

export interface TelemetryResult extends GateResult {
  gate: 'telemetry';
  prometheus: string;
  /** The range the checks used (shortened to the time since the deploy when that is less). */
  window: string;
  /** The evaluation time, ISO 8601. */
  evaluatedAt: string;
  deployedAt?: string;
  selector: string;
  by: string;
  rows: CheckRow[];
}

export const DEFAULT_WINDOW = '15m';
export const DEFAULT_TIMEOUT = '30s';
export const DEFAULT_RETRIES = 3;
/** The longest settle time: a job waiting longer should be scheduled later instead. */
export const MAX_WAIT_MS = 6 * 3_600_000;
const MAX_RETRY_WAIT_MS = 120_000;
/** How far in the future deployed-at may be (clocks of the deploy system and the runner differ). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

/** The keys a checks file may hold beside `checks`, and the input each one defaults. */
const FILE_KEYS = ['window', 'selector', 'by', 'requests-metric', 'status-label', 'error-status', 'duration-metric', 'duration-unit', 'no-data'] as const;
type FileKey = (typeof FILE_KEYS)[number];

interface ChecksFile {
  checks: Check[];
  defaults: Partial<Record<FileKey, string>>;
}

function readChecksFile(file: string, cwd: string): ChecksFile {
  const field = 'checks-file';
  const full = path.resolve(cwd, file);
  rejectDirectory(full, field, 'a YAML checks file', file);
  const text = readTextFile(full, field, file);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (e) {
    throw new InputError(`${file}: not YAML: ${(e as Error).message.split('\n')[0]}`, { file, field });
  }
  const where = `${file}`;
  if (Array.isArray(doc)) return { checks: doc.map((v) => parseCheckEntry(v, where)), defaults: {} };
  if (!doc || typeof doc !== 'object') throw new InputError(`${file}: expected a list of checks or a mapping with 'checks:'`, { file, field });
  const map = doc as Record<string, unknown>;
  const unknown = Object.keys(map).filter((k) => k !== 'checks' && !(FILE_KEYS as readonly string[]).includes(k));
  if (unknown.length) throw new InputError(`${file}: unknown key '${unknown[0]}' (expected checks, ${FILE_KEYS.join(', ')})`, { file, field });
  if (!Array.isArray(map.checks)) throw new InputError(`${file}: 'checks' must be a list`, { file, field });
  const defaults: Partial<Record<FileKey, string>> = {};
  for (const k of FILE_KEYS) {
    const v = map[k];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'string' && typeof v !== 'number') throw new InputError(`${file}: '${k}' must be a string`, { file, field: k });
    defaults[k] = String(v);
  }
  return { checks: map.checks.map((v) => parseCheckEntry(v, `${where} checks`)), defaults };
}

const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function name(v: string | undefined, fallback: string, field: string, re: RegExp, what: string): string {
  const s = (v ?? '').trim() || fallback;
  if (!re.test(s)) throw new InputError(`${field}: '${s}' is not a Prometheus ${what} name`, { field });
  return s;
}

function parseUrl(v: string | undefined): string {
  const s = (v ?? '').trim();
  if (!s) throw new InputError('prometheus-url: required (the Prometheus server, e.g. http://prometheus:9090)', { field: 'prometheus-url' });
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new InputError(`prometheus-url: '${s}' is not a URL (expected http(s)://host[:port][/prefix])`, { field: 'prometheus-url' });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError(`prometheus-url: '${s}' must use http or https`, { field: 'prometheus-url' });
  if (u.username || u.password) throw new InputError('prometheus-url: put credentials in basic-auth or token, not in the URL', { field: 'prometheus-url' });
  if (u.search || u.hash) throw new InputError(`prometheus-url: '${s}' must not have a query or fragment`, { field: 'prometheus-url' });
  const base = `${u.origin}${u.pathname}`.replace(/\/+$/, '');
  if (/\/api\/v1(\/.*)?$/.test(base)) {
    throw new InputError(`prometheus-url: '${s}' is an API path: give the server's base URL (without /api/v1)`, { field: 'prometheus-url' });
  }
  return base;
}

function parseSelector(v: string | undefined): string {
  let s = (v ?? '').trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (/[{}]/.test(s)) throw new InputError(`selector: '${v}' should be label matchers such as service="pets",env=~"prod|canary" (no braces inside)`, { field: 'selector' });
  if (s && !/^[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*["'`]/.test(s)) {
    throw new InputError(`selector: '${v}' should be label matchers such as service="pets" (label, operator, quoted value)`, { field: 'selector' });
  }
  return s;
}

/** The unit a histogram's name ends with (`…_milliseconds`, `…_ms`, `…_seconds`), if any. */
export function unitOfName(metric: string): MetricNames['durationUnit'] | undefined {
  if (/_(milliseconds|ms)$/.test(metric)) return 'milliseconds';
  if (/_seconds$/.test(metric)) return 'seconds';
  return undefined;
}

/** `by`: one label, or several separated by commas (or spaces): `route`, `method,route`. Canonical: `method,route` as given. */
function parseBy(v: string | undefined): string {
  const s = (v ?? '').trim().replace(/^\((.*)\)$/, '$1');
  if (!s) return '';
  const labels = s.split(/[\s,]+/).filter(Boolean);
  for (const l of labels) {
    if (!LABEL.test(l)) throw new InputError(`by: '${l}' is not a Prometheus label name (by takes label names separated by commas, e.g. route or method,route)`, { field: 'by' });
    if (l === 'le') throw new InputError("by: 'le' is the histogram's bucket label, not one to judge by", { field: 'by' });
  }
  const dup = labels.find((l, k) => labels.indexOf(l) !== k);
  if (dup) throw new InputError(`by: '${dup}' is given twice`, { field: 'by' });
  return labels.join(',');
}

function parseCount(v: string | undefined, field: string, fallback: number, max: number): number {
  const s = (v ?? '').trim();
  if (!s) return fallback;
  if (!/^\d+$/.test(s) || Number(s) > max) throw new InputError(`${field}: '${v}' is not a whole number from 0 to ${max}`, { field });
  return Number(s);
}

function authHeaders(i: TelemetryInputs): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of i.headers ?? []) {
    for (const l of line.split('\n')) {
      if (!l.trim()) continue;
      const [k, v] = parseHeader(l, 'headers');
      headers[k] = v;
    }
  }
  const token = (i.token ?? '').trim();
  const basic = (i.basicAuth ?? '').trim();
  if (token && basic) throw new InputError('token and basic-auth: give one of them, not both', { field: 'token' });
  if (token) headers.Authorization = `Bearer ${token}`;
  if (basic) {
    if (!basic.includes(':')) throw new InputError('basic-auth: expected user:password', { field: 'basic-auth' });
    headers.Authorization = `Basic ${Buffer.from(basic, 'utf8').toString('base64')}`;
  }
  return headers;
}

export function parseTelemetryInputs(i: TelemetryInputs): TelemetryOptions {
  const cwd = i.cwd ?? process.cwd();
  const url = parseUrl(i.prometheusUrl);
  const file = (i.checksFile ?? '').trim() ? readChecksFile(i.checksFile!.trim(), cwd) : { checks: [], defaults: {} as ChecksFile['defaults'] };
  const d = file.defaults;
  const pick = (v: string | undefined, k: FileKey) => ((v ?? '').trim() ? v : d[k]);
  const checks = [...file.checks, ...parseChecksText(i.checks)];
  if (checks.length === 0) {
    throw new InputError('checks: none given: add checks such as error-rate<0.01 and p95<300ms, or a checks-file', { field: 'checks' });
  }
  const seen = new Set<string>();
  for (const c of checks) {
    const key = c.kind === 'promql' ? `promql:${c.name}` : c.source.replace(/\s+/g, '');
    if (seen.has(key)) throw new InputError(`checks: '${c.kind === 'promql' ? c.name : c.source}' is given twice`, { field: 'checks' });
    seen.add(key);
  }
  const duration = name(pick(i.durationMetric, 'duration-metric'), DEFAULT_NAMES.duration, 'duration-metric', METRIC, 'metric');
  // Unset, the unit is the one the metric's name ends with (Prometheus names carry their unit): a
  // histogram `…_milliseconds` read as seconds would be off by 1000.
  const unit = (pick(i.durationUnit, 'duration-unit') ?? '').trim() || unitOfName(duration) || DEFAULT_NAMES.durationUnit;
  if (unit !== 'seconds' && unit !== 'milliseconds') throw new InputError(`duration-unit: '${unit}' is not seconds or milliseconds`, { field: 'duration-unit' });
  const errorStatus = (pick(i.errorStatus, 'error-status') ?? '').trim() || DEFAULT_NAMES.errorStatus;
  const names: MetricNames = {
    requests: name(pick(i.requestsMetric, 'requests-metric'), DEFAULT_NAMES.requests, 'requests-metric', METRIC, 'metric'),
    statusLabel: name(pick(i.statusLabel, 'status-label'), DEFAULT_NAMES.statusLabel, 'status-label', LABEL, 'label'),
    errorStatus,
    duration,
    durationUnit: unit,
  };
  const by = parseBy(pick(i.by, 'by'));
  const windowMs = parseDuration((pick(i.window, 'window') ?? '').trim() || DEFAULT_WINDOW, 'window');
  if (windowMs < 1000) throw new InputError(`window: '${pick(i.window, 'window')}' is shorter than a second`, { field: 'window' });
  const noDataRaw = (pick(i.noData, 'no-data') ?? '').trim() || 'error';
  if (noDataRaw !== 'error' && noDataRaw !== 'warning') throw new InputError(`no-data: '${noDataRaw}' is not error or warning`, { field: 'no-data' });
  const rawTimeout = (i.queryTimeout ?? '').trim() || DEFAULT_TIMEOUT;
  const timeoutMs = parseDuration(/^\d+$/.test(rawTimeout) ? `${rawTimeout}s` : rawTimeout, 'query-timeout');
  if (timeoutMs < 1000) throw new InputError(`query-timeout: '${rawTimeout}' is shorter than a second`, { field: 'query-timeout' });
  const waitMs = (i.wait ?? '').trim() ? parseDuration(i.wait!, 'wait') : 0;
  if (waitMs > MAX_WAIT_MS) throw new InputError(`wait: '${i.wait}' is longer than ${formatDuration(MAX_WAIT_MS)}: schedule the job later instead`, { field: 'wait' });
  const at = (i.at ?? '').trim() ? parseInstant(i.at!, 'at') : undefined;
  if (at !== undefined && waitMs > 0) throw new InputError('wait and at: give one of them (at evaluates a past moment, so there is nothing to wait for)', { field: 'wait' });
  const deployedAt = (i.deployedAt ?? '').trim() ? parseInstant(i.deployedAt!, 'deployed-at') : undefined;
  return {
    connection: { url, headers: authHeaders(i), timeoutMs, retries: parseCount(i.retries, 'retries', DEFAULT_RETRIES, 10), maxRetryWaitMs: MAX_RETRY_WAIT_MS },
    prometheus: url,
    checks,
    names,
    selector: parseSelector(pick(i.selector, 'selector')),
    by,
    windowMs,
    ...(deployedAt !== undefined ? { deployedAt } : {}),
    waitMs,
    ...(at !== undefined ? { at } : {}),
    noData: noDataRaw,
    failOn: parseFailOn(i.failOn),
  };
}

export interface RunHooks {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Told before a settle wait, so a surface can say why it is waiting. */
  onWait?: (ms: number, until: number) => void;
}

const sleepFor = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function checkTelemetry(o: TelemetryOptions, hooks: RunHooks = {}): Promise<TelemetryResult> {
  const now = hooks.now ?? Date.now;
  const sleep = hooks.sleep ?? sleepFor;
  // A deploy time in the future is a mistake (a wrong year or time zone), not a reason to sleep until
  // then: beyond a few minutes of clock skew it is bad input, before any wait.
  if (o.deployedAt !== undefined && o.at === undefined && o.deployedAt - now() > MAX_CLOCK_SKEW_MS) {
    throw new InputError(
      `deployed-at: ${new Date(o.deployedAt).toISOString()} is ${formatDuration(o.deployedAt - now())} in the future: give the time the release reached production (RFC 3339 with its offset, or Unix seconds)`,
      { field: 'deployed-at' },
    );
  }
  if (o.waitMs > 0) {
    const until = (o.deployedAt ?? now()) + o.waitMs;
    const left = until - now();
    if (left > MAX_WAIT_MS) {
      throw new InputError(`wait: until ${new Date(until).toISOString()} is longer than ${formatDuration(MAX_WAIT_MS)} from now: schedule the job later instead`, { field: 'wait' });
    }
    if (left > 0) {
      hooks.onWait?.(left, until);
      await sleep(left);
    }
  }
  const evaluatedAt = o.at ?? now();
  let windowMs = o.windowMs;
  if (o.deployedAt !== undefined) {
    const since = Math.floor((evaluatedAt - o.deployedAt) / 1000) * 1000;
    if (since < 1000) {
      const when = new Date(o.deployedAt).toISOString();
      throw new InputError(
        o.at !== undefined
          ? `deployed-at: ${when} is not before the evaluation time ${new Date(evaluatedAt).toISOString()} (at): there is no traffic of the release to judge then (give an at after the deploy)`
          : `deployed-at: ${when} is not before the evaluation time ${new Date(evaluatedAt).toISOString()}: nothing to judge yet (use wait to let traffic arrive)`,
        { field: 'deployed-at' },
      );
    }
    windowMs = Math.min(windowMs, since);
  }
  const window = formatDuration(windowMs);
  const scope: Scope = { selector: o.selector, by: o.by, window };
  const rows: CheckRow[] = [];
  const findings: Finding[] = [];
  const connection = { ...o.connection, sleep: o.connection.sleep ?? sleep };
  for (const c of o.checks) {
    const query = queryFor(c, o.names, scope);
    const answer = await instantQuery(connection, query, `check '${c.name}'`, o.at);
    const judged = judgeAnswer(c, query, answer, { by: c.kind === 'promql' ? '' : o.by, noData: o.noData, window, convert: (v) => toCheckUnit(c, v, o.names) });
    rows.push(...judged.rows);
    findings.push(...judged.findings);
  }
  const failedChecks = new Set(rows.filter((r) => r.result !== 'pass').map((r) => r.check));
  return {
    gate: 'telemetry',
    verdict: verdictFor(findings, o.failOn),
    findings: sortFindings(findings),
    metrics: {
      checks: o.checks.length,
      'checks failing': failedChecks.size,
      series: rows.filter((r) => r.raw !== '').length,
      'no data': rows.filter((r) => r.result === 'no-data').length,
    },
    prometheus: o.prometheus,
    window,
    evaluatedAt: new Date(evaluatedAt).toISOString(),
    ...(o.deployedAt !== undefined ? { deployedAt: new Date(o.deployedAt).toISOString() } : {}),
    selector: o.selector,
    by: o.by,
    rows,
  };
}

/** Parse inputs, wait if asked, query, judge: one call for every surface. */
export async function runTelemetry(i: TelemetryInputs, hooks: RunHooks = {}): Promise<TelemetryResult> {
  return checkTelemetry(parseTelemetryInputs(i), hooks);
}
