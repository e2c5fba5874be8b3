/**
 * The conformance gate: turn the spec into requests against a running API and check every answer
 * against the spec. Bounded in requests, concurrency and time; only the base URL is ever called.
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadSpec, type Spec } from '../breaking/spec/load.js';
import { InputError } from '../kit/errors.js';
import { escapePointer, isObj, type Loc } from '../breaking/spec/loc.js';
import { sortFindings, verdictFor, type FailOn, type Finding, type GateResult } from '../kit/result.js';
import { exampleCases, generatedCases, negativeCases, untestable, type CaseContext, type TestCase } from './cases.js';
import { CHECKS, checkResponse, type CheckContext, type CheckId, type Failure } from './checks.js';
import { MAX_BODY_BYTES, retryAfterSeconds, send, type HttpResponse } from './http.js';
import { lineOf, listOperations, STATEFUL_METHODS, type Operation } from './operations.js';
import { buildRequest, curlLine, redact, sendsAsBuilt, spellingFrom, underBase, type Credentials, type HttpRequest } from './request.js';
import { SchemaBank } from './schema.js';
import { Validator } from './validate.js';

export type Mode = 'full' | 'smoke';

export interface ConformanceOptions {
  openapi: string;
  baseUrl: string;
  mode: Mode;
  seed: number;
  /** Generated positive cases per operation in full mode. */
  casesPerOperation: number;
  maxRequests: number;
  concurrency: number;
  /** Whole run, in ms; cases not started by then are counted as not run. */
  timeoutMs: number;
  requestTimeoutMs: number;
  /** 0 turns the response-time check off. */
  maxResponseTimeMs: number;
  headers: [string, string][];
  stateful: boolean;
  showSecrets: boolean;
  failOn: FailOn;
  skipChecks: ReadonlySet<string>;
  include?: RegExp;
  cwd?: string;
  maxSpecBytes?: number;
  /** Longest wait honoured for a 429's Retry-After, in seconds. */
  maxRetryAfterSeconds?: number;
}

export interface OperationCoverage {
  operation: string;
  line?: number;
  /** Why the operation was not exercised. */
  skipped?: string;
  positive: number;
  negative: number;
  requests: number;
  checksPassed: number;
  checksFailed: number;
  notRun: number;
}

export interface ConformanceResult extends GateResult {
  mode: Mode;
  seed: number;
  baseUrl: string;
  spec: string;
  coverage: OperationCoverage[];
  /** Checks that ran at least once, with how many times they passed and failed. */
  checks: Record<string, { passed: number; failed: number }>;
}

interface Recorded {
  failure: Failure;
  op: Operation;
  curl: string;
  count: number;
}

const MAX_429_RETRIES = 2;

/** Load the spec; the loader's advice for URL `$ref`s names an option of another gate. */
function load(o: ConformanceOptions): Spec {
  try {
    return loadSpec(o.openapi, { cwd: o.cwd, maxBytes: o.maxSpecBytes });
  } catch (e) {
    if (e instanceof InputError && /--allow-external-refs/.test(e.message)) {
      const message = e.message.replace(/\s*\(pass --allow-external-refs to allow[^)]*\)/, ' (the conformance gate never fetches them: save the file next to the spec and refer to it by a relative path)');
      throw new InputError(message, { file: e.file, field: e.field ?? 'openapi' });
    }
    throw e;
  }
}

/** The source texts of the spec's files (for the exact digits of integers beyond 2^53). */
function sourceTexts(spec: Spec): string[] {
  const out: string[] = [];
  for (const doc of spec.docs.values()) {
    try {
      if (existsSync(doc.id)) out.push(readFileSync(doc.id, 'utf8'));
    } catch {
      // A file read once already; if it is gone now, numbers are spelled from their doubles.
    }
  }
  return out;
}

export async function runConformance(o: ConformanceOptions): Promise<ConformanceResult> {
  const spec = load(o);
  const spell = spellingFrom(sourceTexts(spec));
  const request = new SchemaBank(spec, 'request');
  const response = new SchemaBank(spec, 'response');
  const all = listOperations(spec);
  const ops = o.include ? all.filter((op) => o.include!.test(op.name) || (op.operationId !== undefined && o.include!.test(op.operationId))) : all;
  if (o.include && ops.length === 0 && all.length > 0) {
    // A filter that selects nothing would test nothing and pass: almost surely a typo.
    const some = all.slice(0, 5).map((op) => `'${op.name}'`).join(', ');
    throw new InputError(`include: '${o.include.source}' matches none of the ${all.length} operations of ${spec.root.name} (e.g. ${some}${all.length > 5 ? ', …' : ''}); it is matched against 'METHOD /path' and operationId`, { field: 'include' });
  }
  const validator = prepare(ops, request, response, spec.version === '3.1');
  const creds: Credentials = { headers: o.headers };
  const ctx: CaseContext = { request, validator, seed: o.seed, hasCredentials: o.headers.length > 0, credentialHeaders: new Set(o.headers.map(([k]) => k.toLowerCase())) };
  const checkCtx: CheckContext = { response, validator, maxResponseTimeMs: o.maxResponseTimeMs, credentialsConfigured: o.headers.length > 0, skip: o.skipChecks };

  const coverage = new Map<Operation, OperationCoverage>();
  const untestables: { op: Operation; why: string }[] = [];
  const plans: { op: Operation; cases: TestCase[] }[] = [];
  for (const op of ops) {
    const cov: OperationCoverage = { operation: op.name, line: lineOf(op.loc), positive: 0, negative: 0, requests: 0, checksPassed: 0, checksFailed: 0, notRun: 0 };
    coverage.set(op, cov);
    cov.skipped = skipReason(op, o);
    if (cov.skipped) continue;
    const why = untestable(op);
    if (why) {
      cov.skipped = `not testable: ${why}`;
      untestables.push({ op, why });
      continue;
    }
    const cases = casesFor(op, o, ctx);
    cov.positive = cases.filter((c) => c.expect === 'accept').length;
    cov.negative = cases.length - cov.positive;
    plans.push({ op, cases });
  }
  const queue = order(plans);

  const checkTally: Record<string, { passed: number; failed: number }> = {};
  const recorded = new Map<string, Recorded>();
  const deadline = Date.now() + o.timeoutMs;
  let budget = o.maxRequests;
  let sent = 0;
  /** Answers to positive cases, and how many of them were 404. */
  const positives = { answered: 0, notFound: 0 };
  /** Requests the run's timeout cut short (not the API's fault: counted as not run). */
  let cutShort = 0;
  /** Per operation: answers whose body was over the size limit, so not checked. */
  const oversized = new Map<Operation, { count: number; at: Loc; status: number }>();

  const record = (c: TestCase, req: HttpRequest, passed: CheckId[], failures: Failure[]) => {
    const cov = coverage.get(c.op)!;
    cov.checksPassed += passed.length;
    cov.checksFailed += failures.length;
    for (const id of passed) (checkTally[id] ??= { passed: 0, failed: 0 }).passed++;
    for (const raw of failures) {
      // Servers echo what they got (a token in a 401's detail): the report never shows a credential.
      const f = o.showSecrets ? raw : { ...raw, message: redact(raw.message, creds) };
      (checkTally[f.check] ??= { passed: 0, failed: 0 }).failed++;
      const key = `${f.check}\u0000${c.op.name}\u0000${f.key}`;
      const curl = curlLine(req, creds, o.showSecrets);
      const seen = recorded.get(key);
      if (!seen) recorded.set(key, { failure: f, op: c.op, curl, count: 1 });
      else {
        seen.count++;
        // Keep the simplest reproduction (shortest, then first in sort order): stable whatever order answers arrive in.
        if (curl.length < seen.curl.length || (curl.length === seen.curl.length && curl < seen.curl)) Object.assign(seen, { failure: f, curl });
      }
    }
  };

  const runCase = async (c: TestCase) => {
    const req = buildRequest(c, o.baseUrl, creds, spell);
    // Never leave the base URL, and never send a path the URL parser would rewrite.
    if (!underBase(req.url, o.baseUrl) || !sendsAsBuilt(req.url)) return;
    let answer: HttpResponse | undefined;
    for (let attempt = 0; ; attempt++) {
      if (budget <= 0 || Date.now() >= deadline) {
        coverage.get(c.op)!.notRun++;
        return;
      }
      budget--;
      sent++;
      coverage.get(c.op)!.requests++;
      const allowed = Math.min(o.requestTimeoutMs, Math.max(1, deadline - Date.now()));
      const result = await send(req, allowed);
      if (!result.ok && result.timedOut && allowed < o.requestTimeoutMs) {
        // The run's --timeout ran out before the request's own: no verdict on the API.
        coverage.get(c.op)!.notRun++;
        cutShort++;
        return;
      }
      if (!result.ok && result.badPort) {
        // Every request would fail the same way: the run cannot work as configured.
        throw new InputError(
          `base-url: port ${new URL(o.baseUrl).port} is one that Node's HTTP client refuses to call (a port the Fetch standard blocks, e.g. 6000 or 6665-6669): serve the API on another port`,
          { field: 'base-url' },
        );
      }
      if (!result.ok) {
        if (!o.skipChecks.has('request-completed')) {
          // A timeout's own text already says what was missing ('no answer within 1000 ms').
          const message = result.timedOut ? result.error : `${result.answered ? 'no complete answer' : 'no answer'}: ${result.error}`;
          record(c, req, [], [{ check: 'request-completed', message, at: c.op.loc, key: result.error }]);
        }
        return;
      }
      answer = result.response;
      if (answer.status !== 429 || attempt >= MAX_429_RETRIES) break;
      const wait = retryAfterSeconds(answer.headers.get('retry-after')) ?? 1;
      if (wait > (o.maxRetryAfterSeconds ?? 10) || Date.now() + wait * 1000 >= deadline) break;
      await new Promise((r) => setTimeout(r, Math.max(wait, 0.05) * 1000));
    }
    if (c.expect === 'accept') {
      positives.answered++;
      if (answer.status === 404) positives.notFound++;
    }
    const { passed, failures, unchecked } = checkResponse(c, answer, checkCtx);
    record(c, req, passed, failures);
    if (unchecked) {
      const seen = oversized.get(c.op);
      if (seen) seen.count++;
      else oversized.set(c.op, { count: 1, at: unchecked, status: answer.status });
    }
  };

  const runPhase = async (list: TestCase[]) => {
    let i = 0;
    const worker = async () => {
      while (i < list.length) await runCase(list[i++]!);
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(o.concurrency, list.length)) }, worker));
  };
  // Reads, then writes, then deletes: a delete cannot hide what the reads would have seen.
  for (const phase of phasesOf(queue)) await runPhase(phase);

  const findings: Finding[] = [...recorded.values()].map((r) => toFinding(r));
  findings.push(...runNotes(o, ops, coverage, cutShort));
  for (const { op, why } of untestables) {
    findings.push({ id: 'operation-untestable', level: 'warning', message: `not tested: ${why}`, location: locationOf(op.loc), operation: op.name });
  }
  for (const [op, x] of oversized) {
    findings.push({
      id: 'body-too-large',
      level: 'warning',
      message: `answered ${x.status} with a body over ${MAX_BODY_BYTES / 1024 / 1024} MiB${x.count > 1 ? ` (${x.count} answers)` : ''}: the gate read no further and did not check it against the schema (is the list unpaginated?)`,
      location: locationOf(x.at),
      operation: op.name,
    });
  }
  if (positives.answered > 0 && positives.notFound === positives.answered) findings.push(allNotFound(o, spec.root.value, positives.answered, ops[0]!.loc));
  const sorted = sortFindings(findings);
  const covList = [...coverage.values()];
  const passedTotal = covList.reduce((n, c) => n + c.checksPassed, 0);
  const failedTotal = covList.reduce((n, c) => n + c.checksFailed, 0);
  return {
    gate: 'conformance',
    verdict: verdictFor(sorted, o.failOn),
    findings: sorted,
    metrics: {
      requests: sent,
      'operations tested': covList.filter((c) => !c.skipped && c.requests > 0).length,
      'operations skipped': covList.filter((c) => c.skipped).length,
      'checks passed': passedTotal,
      'checks failed': failedTotal,
      seed: o.seed,
    },
    mode: o.mode,
    seed: o.seed,
    baseUrl: o.baseUrl,
    spec: spec.root.name,
    coverage: covList,
    checks: checkTally,
  };
}

/** Convert every schema once up front (ajv sees the finished banks), then compile each with its location. */
function prepare(ops: Operation[], request: SchemaBank, response: SchemaBank, openapi31: boolean): Validator {
  const used: [SchemaBank, Loc][] = [];
  for (const op of ops) {
    for (const p of op.parameters) if (p.schema) used.push([request, p.schema]);
    for (const m of op.body?.content ?? []) if (m.schema) used.push([request, m.schema]);
    for (const r of op.responses) {
      for (const m of r.content) if (m.schema) used.push([response, m.schema]);
      for (const h of r.headers) if (h.schema) used.push([response, h.schema]);
    }
  }
  for (const [bank, loc] of used) bank.convert(loc);
  const validator = new Validator([request, response], openapi31);
  const where = (loc: Loc) => `${loc.doc.name} at /${loc.path.map(escapePointer).join('/')}`;
  for (const bank of [request, response]) for (const [name, loc] of bank.sources) validator.prepare(bank.refTo(name), where(loc));
  for (const [bank, loc] of used) validator.prepare(bank.convert(loc), where(loc));
  return validator;
}

function skipReason(op: Operation, o: ConformanceOptions): string | undefined {
  if (o.mode === 'smoke' && op.method !== 'get') return 'smoke mode runs GET operations only';
  if (STATEFUL_METHODS.has(op.method) && !o.stateful) return `${op.method.toUpperCase()} changes state: enable stateful operations to test it`;
  if (op.method === 'trace') return 'TRACE is not sent';
  return undefined;
}

function casesFor(op: Operation, o: ConformanceOptions, ctx: CaseContext): TestCase[] {
  if (o.mode === 'smoke') {
    const generated = generatedCases(op, 1, ctx);
    const examples = exampleCases(op, ctx, generated[0]);
    return [examples[0] ?? generated[0]].filter((c): c is TestCase => c !== undefined);
  }
  const generated = generatedCases(op, o.casesPerOperation, ctx);
  const examples = exampleCases(op, ctx, generated[0]);
  const negatives = negativeCases(op, examples[0] ?? generated[0], ctx);
  return [...examples, ...negatives, ...generated];
}

/** Round-robin across operations so a request limit cuts the tail of every operation, not whole operations. */
function order(plans: { op: Operation; cases: TestCase[] }[]): TestCase[] {
  const out: TestCase[] = [];
  const longest = Math.max(0, ...plans.map((p) => p.cases.length));
  for (let i = 0; i < longest; i++) for (const p of plans) if (p.cases[i]) out.push(p.cases[i]!);
  return out;
}

function phasesOf(queue: TestCase[]): TestCase[][] {
  const rank = (c: TestCase) => (c.op.method === 'delete' ? 2 : STATEFUL_METHODS.has(c.op.method) ? 1 : 0);
  return [0, 1, 2].map((r) => queue.filter((c) => rank(c) === r)).filter((p) => p.length > 0);
}

function locationOf(at: Loc): Finding['location'] {
  return { file: at.doc.name, line: lineOf(at) };
}

function fence(s: string): string {
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((r) => r.length));
  const f = '`'.repeat(longest + 1);
  return `${f}${s.startsWith('`') || s.endsWith('`') ? ` ${s} ` : s}${f}`;
}

function toFinding(r: Recorded): Finding {
  const more = r.count > 1 ? ` (${r.count} requests failed this way)` : '';
  return {
    id: r.failure.check,
    level: CHECKS[r.failure.check].level,
    message: `${r.failure.message}${more}\nReproduce: ${fence(r.curl)}`,
    location: locationOf(r.failure.at),
    operation: r.op.name,
    data: { check: `conformance:${r.failure.check}`, curl: r.curl, occurrences: r.count },
  };
}

/** Path of the spec's first server URL (variables at their defaults; Swagger 2.0's basePath becomes one), when not `/`. */
export function serversPath(root: unknown): string | undefined {
  const servers = isObj(root) && Array.isArray(root.servers) ? root.servers : [];
  const first = servers.find((x) => isObj(x) && typeof x.url === 'string') as { url: string; variables?: unknown } | undefined;
  if (!first) return undefined;
  const url = first.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const v = isObj(first.variables) ? first.variables[name] : undefined;
    return isObj(v) && v.default !== undefined ? String(v.default) : name;
  });
  let p: string;
  try {
    p = new URL(url, 'http://server.invalid').pathname.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
  return p && p !== '/' ? p : undefined;
}

/** Every positive case got a 404: most likely the base URL misses the prefix the API lives under. */
function allNotFound(o: ConformanceOptions, root: unknown, answered: number, at: Loc): Finding {
  const prefix = serversPath(root);
  const basePath = new URL(o.baseUrl).pathname.replace(/\/+$/, '');
  const hint =
    prefix && !basePath.endsWith(prefix)
      ? `; the spec's servers put the API under ${prefix} and --base-url (which replaces them) has ${basePath ? `the path ${basePath}` : 'no path'}: should it be ${o.baseUrl.replace(/\/+$/, '')}${prefix}?`
      : '; is --base-url right (it replaces the spec\'s servers, path prefix included)? Otherwise give the spec examples of resources that exist there';
  return {
    id: 'all-not-found',
    level: 'warning',
    message: `all ${answered} valid request(s) were answered 404: no success path was checked${hint}`,
    location: locationOf(at),
  };
}

/** Findings about the run itself: credentials missing, limits reached. */
function runNotes(o: ConformanceOptions, ops: Operation[], coverage: Map<Operation, OperationCoverage>, cutShort = 0): Finding[] {
  const out: Finding[] = [];
  const secured = ops.filter((op) => op.needsCredentials && op.queryCredentials.length === 0 && !coverage.get(op)!.skipped);
  if (secured.length > 0 && o.headers.length === 0) {
    out.push({
      id: 'credentials-missing',
      level: 'warning',
      message: `${secured.length} operation(s) require credentials (${[...new Set(secured.flatMap((op) => op.securitySchemes))].join(', ')}) but no --header was given: their answers are mostly 401s, and their success paths go unchecked`,
      location: { file: ops[0]!.loc.doc.name },
    });
  }
  const inQuery = ops.filter((op) => op.queryCredentials.length > 0 && !coverage.get(op)!.skipped);
  if (inQuery.length > 0) {
    out.push({
      id: 'credentials-unsupported',
      level: 'warning',
      message: `${inQuery.length} operation(s) take credentials only as an API key in a query parameter (${[...new Set(inQuery.flatMap((op) => op.queryCredentials))].join(', ')}), which the gate does not send (credentials are --header values): their success paths go unchecked, their 401s and 403s are not held against the API`,
      location: { file: ops[0]!.loc.doc.name, line: lineOf(inQuery[0]!.loc) },
    });
  }
  const notRun = [...coverage.values()].reduce((n, c) => n + c.notRun, 0);
  if (notRun > 0) {
    out.push({
      id: 'run-incomplete',
      level: 'warning',
      message: `${notRun} test case(s) were not sent${cutShort > 0 ? ` or not answered in time (${cutShort} request(s) still waiting when the run's timeout ran out)` : ''}: the limit of ${o.maxRequests} requests or the ${Math.round(o.timeoutMs / 1000)} s timeout was reached`,
      location: { file: ops[0]!.loc.doc.name },
    });
  }
  if (ops.length === 0) {
    out.push({ id: 'no-operations', level: 'warning', message: o.include ? 'no operation matches the include filter' : 'the spec has no operations', location: undefined });
  }
  return out;
}
