/**
 * The built-in engine's scenario file (YAML or JSON), the shape of a k6 scenario without the JS:
 *
 *   baseUrl: http://127.0.0.1:8080        # or --base-url / base-url input
 *   headers: { Authorization: 'Bearer ${API_TOKEN}' }   # ${VAR} comes from the environment
 *   executor: constant-vus                # or constant-arrival-rate
 *   vus: 10                               # constant-vus
 *   rate: 200                             # constant-arrival-rate: iterations per timeUnit
 *   timeUnit: 1s
 *   preAllocatedVUs: 10
 *   maxVUs: 50
 *   duration: 30s
 *   maxRequests: 100000                   # stop early after this many requests
 *   timeout: 10s                          # per request (k6's default is 60s)
 *   thinkTime: 0s                         # pause after each iteration, per VU
 *   requests:
 *     - name: GET /pets                   # the `name` tag; default "METHOD path-without-query"
 *       method: GET
 *       path: /pets?species=dog
 *       weight: 3
 *       headers: {}
 *       body: '{"name":"Rex"}'            # or json: {...}
 *       expect: [200]                     # statuses that are not failures (default 200–399)
 *
 * One iteration sends one request, picked by weight (smooth weighted round-robin, so the mix is
 * exact rather than random).
 */
import { isMap, LineCounter, parseDocument } from 'yaml';
import { InputError } from '../../kit/errors.js';

export interface ScenarioRequest {
  name: string;
  method: string;
  path: string;
  weight: number;
  headers: Record<string, string>;
  body?: string;
  /** Statuses counted as success; undefined: 200–399 like k6's default. */
  expect?: number[];
}

export interface Scenario {
  baseUrl?: string;
  headers: Record<string, string>;
  executor: 'constant-vus' | 'constant-arrival-rate';
  vus: number;
  rate: number;
  timeUnitMs: number;
  preAllocatedVUs: number;
  maxVUs: number;
  durationMs: number;
  maxRequests?: number;
  timeoutMs: number;
  thinkTimeMs: number;
  requests: ScenarioRequest[];
  /** The file declares `thresholds` (k6's shape); run.ts reads them with the budget parser for line numbers. */
  hasThresholds: boolean;
}

/** Hard bounds: the engine never runs longer or wider than this, whatever the file says. */
export const LIMITS = { maxDurationMs: 30 * 60_000, maxVUs: 2000, maxRate: 100_000, maxRequests: 50_000_000 };

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const KEYS = new Set(['baseUrl', 'headers', 'executor', 'vus', 'rate', 'timeUnit', 'preAllocatedVUs', 'maxVUs', 'duration', 'maxRequests', 'timeout', 'thinkTime', 'requests', 'thresholds']);
const REQUEST_KEYS = new Set(['name', 'method', 'path', 'url', 'weight', 'headers', 'body', 'json', 'expect']);

/** k6 durations: `30s`, `1m30s`, `500ms`, `2h`; a bare number is seconds. */
export function parseDuration(v: unknown, field: string, file?: string): number {
  const bad = () => new InputError(`${field}: '${String(v)}' is not a duration such as 30s, 1m30s or 500ms`, { file, field });
  if (typeof v === 'number') {
    if (!(v >= 0) || !Number.isFinite(v)) throw bad();
    return v * 1000;
  }
  if (typeof v !== 'string' || !v.trim()) throw bad();
  const s = v.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let m: RegExpExecArray | null;
  let end = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms']!;
    end = re.lastIndex;
  }
  if (end !== s.length || end === 0) throw bad();
  return total;
}

/** `${VAR}` from the environment; an unset variable is an error, not an empty string. */
export function substitute(text: string, env: Record<string, string | undefined>, field: string, file?: string): string {
  return text.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const v = env[name];
    if (v === undefined) throw new InputError(`${field}: \${${name}} is not set in the environment`, { file, field });
    return v;
  });
}

export function parseScenario(text: string, file: string, env: Record<string, string | undefined> = {}): Scenario {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length) throw new InputError(`scenario: '${file}' is not valid YAML or JSON: ${doc.errors[0]!.message.split('\n')[0]}`, { file, field: 'scenario' });
  if (!isMap(doc.contents)) throw new InputError(`scenario: '${file}' must be a mapping with requests, vus or rate, and duration`, { file, field: 'scenario' });
  let raw: Record<string, unknown>;
  try {
    raw = doc.toJS({ maxAliasCount: 100 }) as Record<string, unknown>;
  } catch (e) {
    // The yaml library refuses alias bombs ("Excessive alias count") while expanding them.
    throw new InputError(`scenario: '${file}' could not be read: ${(e as Error).message}`, { file, field: 'scenario' });
  }
  const f = (name: string) => `scenario.${name}`;
  const err = (field: string, msg: string) => new InputError(`scenario: '${file}' ${field}: ${msg}`, { file, field: f(field) });
  for (const k of Object.keys(raw)) if (!KEYS.has(k)) throw err(k, `unknown key (expected one of ${[...KEYS].join(', ')})`);

  const num = (name: string, def: number | undefined, min: number, max: number): number => {
    const v = raw[name];
    if (v === undefined || v === null) {
      if (def === undefined) throw err(name, 'required');
      return def;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) throw err(name, `'${String(v)}' must be a number from ${min} to ${max}`);
    return v;
  };
  const headers = (v: unknown, field: string): Record<string, string> => {
    if (v === undefined || v === null) return {};
    if (typeof v !== 'object' || Array.isArray(v)) throw err(field, 'must map header names to values');
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(k)) throw err(field, `'${k}' is not a header name`);
      if (typeof x !== 'string' && typeof x !== 'number') throw err(`${field}.${k}`, 'must be a string');
      const value = substitute(String(x), env, f(`${field}.${k}`), file);
      if (/[\r\n]/.test(value)) throw err(`${field}.${k}`, 'must not contain line breaks');
      out[k] = value;
    }
    return out;
  };

  const arrival = raw.executor === 'constant-arrival-rate' || (raw.executor === undefined && raw.rate !== undefined);
  if (raw.executor !== undefined && raw.executor !== 'constant-vus' && raw.executor !== 'constant-arrival-rate') {
    throw err('executor', `'${String(raw.executor)}' is not constant-vus or constant-arrival-rate`);
  }
  if (raw.duration === undefined) throw err('duration', 'required (e.g. 30s)');
  const durationMs = parseDuration(raw.duration, f('duration'), file);
  if (durationMs <= 0 || durationMs > LIMITS.maxDurationMs) throw err('duration', `must be more than 0 and at most ${LIMITS.maxDurationMs / 60_000}m`);
  const vus = num('vus', arrival ? 1 : undefined, 1, LIMITS.maxVUs);
  const rate = arrival ? num('rate', undefined, 0.001, LIMITS.maxRate) : 0;
  const preAllocatedVUs = num('preAllocatedVUs', arrival ? Math.min(LIMITS.maxVUs, Math.max(1, Math.ceil(rate / 10))) : vus, 1, LIMITS.maxVUs);
  const maxVUs = num('maxVUs', preAllocatedVUs, 1, LIMITS.maxVUs);
  if (maxVUs < preAllocatedVUs) throw err('maxVUs', `${maxVUs} is less than preAllocatedVUs ${preAllocatedVUs}`);
  const maxRequests = raw.maxRequests === undefined ? undefined : num('maxRequests', undefined, 1, LIMITS.maxRequests);
  if (maxRequests !== undefined && !Number.isInteger(maxRequests)) throw err('maxRequests', 'must be a whole number');

  let baseUrl: string | undefined;
  if (raw.baseUrl !== undefined) baseUrl = checkBaseUrl(substitute(String(raw.baseUrl), env, f('baseUrl'), file), f('baseUrl'), file);

  if (!Array.isArray(raw.requests) || raw.requests.length === 0) throw err('requests', 'a non-empty list of {method, path} is required');
  const requests: ScenarioRequest[] = raw.requests.map((r: unknown, i: number) => {
    const field = `requests[${i}]`;
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw err(field, 'must be a mapping with method and path');
    const o = r as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!REQUEST_KEYS.has(k)) throw err(`${field}.${k}`, `unknown key (expected one of ${[...REQUEST_KEYS].join(', ')})`);
    if (o.method !== undefined && typeof o.method !== 'string') throw err(`${field}.method`, `must be a string, one of ${[...METHODS].join(', ')}`);
    const method = String(o.method ?? 'GET').toUpperCase();
    if (!METHODS.has(method)) throw err(`${field}.method`, `'${String(o.method)}' is not one of ${[...METHODS].join(', ')}`);
    const p = o.path ?? o.url;
    if (typeof p !== 'string' || !(p.startsWith('/') || /^https?:\/\//.test(p))) throw err(`${field}.path`, "must be a path starting with '/' (or an http URL)");
    const path = substitute(p, env, f(`${field}.path`), file);
    const weight = o.weight === undefined ? 1 : o.weight;
    if (typeof weight !== 'number' || !Number.isInteger(weight) || weight < 0 || weight > 1_000_000) throw err(`${field}.weight`, `'${String(weight)}' must be a whole number from 0 to 1000000`);
    if (o.body !== undefined && o.json !== undefined) throw err(field, 'give body or json, not both');
    let body: string | undefined;
    const reqHeaders = headers(o.headers, `${field}.headers`);
    if (o.json !== undefined) {
      body = substitute(JSON.stringify(o.json), env, f(`${field}.json`), file);
      if (!Object.keys(reqHeaders).some((h) => h.toLowerCase() === 'content-type')) reqHeaders['Content-Type'] = 'application/json';
    } else if (o.body !== undefined) body = substitute(typeof o.body === 'string' ? o.body : JSON.stringify(o.body), env, f(`${field}.body`), file);
    let expect: number[] | undefined;
    if (o.expect !== undefined) {
      const list = Array.isArray(o.expect) ? o.expect : [o.expect];
      if (list.length === 0 || !list.every((s) => Number.isInteger(s) && (s as number) >= 100 && (s as number) <= 599)) throw err(`${field}.expect`, 'must be a status code or a list of them (100–599)');
      expect = list as number[];
    }
    if (o.name !== undefined && typeof o.name !== 'string' && typeof o.name !== 'number') throw err(`${field}.name`, 'must be a string (the name tag)');
    const name = o.name === undefined ? `${method} ${path.replace(/^https?:\/\/[^/]+/, '').split('?')[0]}` : String(o.name);
    return { name, method, path, weight, headers: reqHeaders, body, expect };
  });
  if (!requests.some((r) => r.weight > 0)) throw err('requests', 'at least one request needs a weight above 0');

  const within = (name: string, def: number, min: number): number => {
    if (raw[name] === undefined) return def;
    const ms = parseDuration(raw[name], f(name), file);
    if (ms < min || ms > LIMITS.maxDurationMs) throw err(name, `'${String(raw[name])}' must be ${min > 0 ? 'more than 0' : '0 or more'} and at most ${LIMITS.maxDurationMs / 60_000}m`);
    return ms;
  };
  return {
    baseUrl,
    headers: headers(raw.headers, 'headers'),
    executor: arrival ? 'constant-arrival-rate' : 'constant-vus',
    vus,
    rate,
    timeUnitMs: within('timeUnit', 1000, 1),
    preAllocatedVUs,
    maxVUs,
    durationMs,
    maxRequests,
    timeoutMs: Math.max(1, within('timeout', 60_000, 0)),
    thinkTimeMs: within('thinkTime', 0, 0),
    requests,
    hasThresholds: raw.thresholds !== undefined,
  };
}

export function checkBaseUrl(v: string, field: string, file?: string): string {
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new InputError(`${field}: '${v}' is not a URL such as http://127.0.0.1:8080`, { file, field });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError(`${field}: '${v}' must be an http:// or https:// URL`, { file, field });
  return u.toString().replace(/\/$/, '');
}
