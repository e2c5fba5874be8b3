/** The gate's inputs as strings (as the CLI and the action receive them) → options → result. */
import path from 'node:path';
import { InputError } from '../kit/errors.js';
import { parseBool, parseFailOn, parseRegex, readTextFile } from '../kit/inputs.js';
import { sortFindings, verdictFor, type FailOn, type GateResult } from '../kit/result.js';
import { CHECKS, isCheckId } from './checks.js';
import { runConformance, type ConformanceOptions, type ConformanceResult, type Mode } from './engine.js';
import { linkPlan, verifyPlan, type PlanLink, type PlanReport } from './plan.js';

export interface ConformanceInputs {
  openapi?: string;
  baseUrl?: string;
  mode?: string;
  seed?: string;
  casesPerOperation?: string;
  maxRequests?: string;
  concurrency?: string;
  timeout?: string;
  requestTimeout?: string;
  maxResponseTime?: string;
  /** `Name: value` entries (the action takes one per line). */
  headers?: string[];
  stateful?: string | boolean;
  showSecrets?: string | boolean;
  failOn?: string;
  skipChecks?: string;
  include?: string;
  testPlan?: string;
  cwd?: string;
}

export interface ConformanceGateResult extends ConformanceResult {
  plan?: { file: string; links: PlanLink[] };
}

export const DEFAULTS = {
  mode: 'full',
  seed: 1,
  casesPerOperation: 20,
  maxRequests: { full: 1000, smoke: 100 },
  concurrency: 4,
  timeoutSeconds: 300,
  requestTimeoutSeconds: 10,
  maxResponseTimeMs: 5000,
} as const;

function int(v: string | undefined, field: string, min: number, max: number, fallback: number, unit = ''): number {
  const s = (v ?? '').trim();
  if (s === '') return fallback;
  if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
    throw new InputError(`${field}: '${v}' is not a whole number from ${min} to ${max}${unit}`, { field });
  }
  return Number(s);
}

/** `Name: value` → a header pair; the value is never echoed in errors (it is usually a secret). */
export function parseHeader(line: string, field = 'header'): [string, string] {
  const i = line.indexOf(':');
  const name = i > 0 ? line.slice(0, i).trim() : '';
  if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new InputError(`${field}: expected 'Name: value' (e.g. 'Authorization: Bearer …'), got an entry without a valid header name`, { field });
  }
  const value = line.slice(i + 1).trim();
  if (/[\r\n\0]/.test(value)) throw new InputError(`${field}: the value of '${name}' contains a line break or NUL`, { field });
  return [name, value];
}

export function parseConformanceInputs(i: ConformanceInputs): ConformanceOptions & { testPlan?: string } {
  const openapi = i.openapi?.trim();
  if (!openapi) throw new InputError('openapi: required (the OpenAPI file of the API under test)', { field: 'openapi' });
  const baseUrl = (i.baseUrl ?? '').trim();
  if (!baseUrl) throw new InputError('base-url: required (the running API, e.g. https://staging.example.com)', { field: 'base-url' });
  let u: URL;
  try {
    u = new URL(baseUrl);
  } catch {
    throw new InputError(`base-url: '${baseUrl}' is not a URL (expected http://host[:port][/prefix])`, { field: 'base-url' });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError(`base-url: '${baseUrl}' must use http or https`, { field: 'base-url' });
  if (u.username || u.password) throw new InputError('base-url: put credentials in a header (--header), not in the URL', { field: 'base-url' });
  if (u.search || u.hash) throw new InputError(`base-url: '${baseUrl}' must not have a query or fragment`, { field: 'base-url' });
  const mode = ((i.mode ?? '').trim() || DEFAULTS.mode) as Mode;
  if (mode !== 'full' && mode !== 'smoke') throw new InputError(`mode: '${i.mode}' is not one of full, smoke`, { field: 'mode' });
  const seedText = (i.seed ?? '').trim();
  const seed = seedText === 'random' ? Math.floor(Math.random() * 2 ** 31) : int(seedText, 'seed', 0, 2 ** 31 - 1, DEFAULTS.seed, " (or 'random')");
  const skipChecks = new Set(
    (i.skipChecks ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((c) => c.replace(/^conformance:/, '')),
  );
  for (const c of skipChecks) {
    if (!isCheckId(c)) throw new InputError(`skip-checks: '${c}' is not a check (one of ${Object.keys(CHECKS).join(', ')})`, { field: 'skip-checks' });
  }
  const cwd = i.cwd ?? process.cwd();
  const testPlan = i.testPlan?.trim() ? i.testPlan.trim() : undefined;
  return {
    openapi,
    baseUrl: u.toString().replace(/\/+$/, ''),
    mode,
    seed,
    casesPerOperation: int(i.casesPerOperation, 'cases', 1, 1000, DEFAULTS.casesPerOperation),
    maxRequests: int(i.maxRequests, 'max-requests', 1, 1_000_000, DEFAULTS.maxRequests[mode]),
    concurrency: int(i.concurrency, 'concurrency', 1, 64, DEFAULTS.concurrency),
    timeoutMs: int(i.timeout, 'timeout', 1, 86_400, DEFAULTS.timeoutSeconds, ' seconds') * 1000,
    requestTimeoutMs: int(i.requestTimeout, 'request-timeout', 1, 600, DEFAULTS.requestTimeoutSeconds, ' seconds') * 1000,
    maxResponseTimeMs: int(i.maxResponseTime, 'max-response-time', 0, 600_000, DEFAULTS.maxResponseTimeMs, ' ms (0 turns the check off)'),
    headers: (i.headers ?? []).filter((h) => h.trim() !== '').map((h) => parseHeader(h)),
    stateful: parseBool(i.stateful, 'stateful'),
    showSecrets: parseBool(i.showSecrets, 'show-secrets'),
    failOn: parseFailOn(i.failOn),
    skipChecks,
    include: parseRegex(i.include, 'include'),
    cwd,
    testPlan,
  };
}

/** Parse inputs, run against the API, verify and link the test plan when one is given. */
export async function runConformanceGate(i: ConformanceInputs): Promise<ConformanceGateResult> {
  const opts = parseConformanceInputs(i);
  const plan = opts.testPlan ? readPlan(opts.testPlan, opts.cwd!) : undefined;
  const result: ConformanceGateResult = await runConformance(opts);
  if (!plan) return result;
  const { links, findings } = linkPlan(plan, result.checks, opts.baseUrl);
  result.findings = sortFindings([...result.findings, ...plan.findings, ...findings]);
  result.verdict = verdictFor(result.findings, opts.failOn);
  result.plan = { file: plan.file, links };
  return result;
}

function readPlan(file: string, cwd: string): PlanReport {
  const text = readTextFile(path.resolve(cwd, file), 'test-plan', file);
  if (!text.trim()) throw new InputError(`test-plan: '${file}' is empty: expected a filled-in test plan (templates/Test-plan.md)`, { file, field: 'test-plan' });
  return verifyPlan(text, file);
}

/** `conformance plan FILE`: the plan on its own (structure, justifications, known check ids). */
export function runPlanCheck(file: string | undefined, failOn: string | undefined, cwd = process.cwd()): GateResult {
  if (!file?.trim()) throw new InputError('plan: expected the test plan file (e.g. docs/Test-plan.md)', { field: 'test-plan' });
  const fo: FailOn = parseFailOn(failOn);
  const plan = readPlan(file.trim(), cwd);
  const findings = sortFindings(plan.findings);
  const checked = plan.items.filter((x) => x.checked).length;
  return {
    gate: 'conformance',
    verdict: verdictFor(findings, fo),
    findings,
    metrics: { items: plan.items.length, checked, justified: plan.items.filter((x) => !x.checked && x.justification).length, 'check references': plan.items.reduce((n, x) => n + x.checks.length, 0) },
  };
}
