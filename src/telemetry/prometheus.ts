/**
 * The part of the Prometheus HTTP API the gate uses: instant queries (`POST /api/v1/query`, form
 * encoded `query`, `time`, `timeout`). The answer is the documented envelope
 * `{status: success|error, data: {resultType, result}, errorType, error, warnings, infos}`; a vector
 * is `[{metric: {labels}, value: [unixSeconds, "value"]}]`, a scalar `[unixSeconds, "value"]`, and a
 * value is a string because it may be `NaN`, `+Inf` or `-Inf`.
 *
 * Every failure is a ServiceError (exit 2): the query was refused (400 bad_data, 422 execution), the
 * server refused us (401/403/404), gave no JSON, did not answer in time or could not be reached. 429
 * and 503 (and 502/504 from a proxy in front) are retried, honouring Retry-After.
 */
import { retryAfterSeconds } from '../conformance/http.js';
import { ServiceError } from '../kit/errors.js';
import { timeoutSignal } from '../kit/inputs.js';

export interface Connection {
  /** Base URL without a trailing slash: `http://prometheus:9090` or `https://host/prometheus`. */
  url: string;
  /** Sent with every request: Authorization and any extra headers. */
  headers: Record<string, string>;
  /** One request, in milliseconds; also sent to Prometheus as its query `timeout`. */
  timeoutMs: number;
  /** Retries after a 429/502/503/504. */
  retries: number;
  /** The longest Retry-After honoured; a server asking for more gets no further retry. */
  maxRetryWaitMs: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface Series {
  labels: Record<string, string>;
  /** The value as Prometheus wrote it: a decimal, `NaN`, `+Inf` or `-Inf`. */
  raw: string;
  value: number;
}

export interface QueryAnswer {
  resultType: 'vector' | 'scalar';
  series: Series[];
  /** `warnings` of the answer (errors that did not stop the query: the data may be partial). */
  warnings: string[];
  /** `infos` of the answer, and `PromQL info:` annotations a proxy passed on as warnings. */
  infos: string[];
  /** Requests made, retries included. */
  attempts: number;
}

const RETRY_STATUS = new Set([429, 502, 503, 504]);
const FIELD = 'prometheus-url';

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A Prometheus sample value: `NaN`, `+Inf`, `-Inf` or a decimal. */
export function sampleValue(raw: unknown): number {
  if (typeof raw !== 'string') return Number.NaN;
  if (raw === '+Inf' || raw === 'Inf') return Number.POSITIVE_INFINITY;
  if (raw === '-Inf') return Number.NEGATIVE_INFINITY;
  const n = Number(raw);
  return raw.trim() === '' ? Number.NaN : n;
}

function clip(s: string, max = 300): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/**
 * Run one instant query. `what` names the check in messages. `time` is milliseconds since the epoch
 * (omitted: the server's now).
 */
export async function instantQuery(conn: Connection, query: string, what: string, time?: number): Promise<QueryAnswer> {
  const endpoint = `${conn.url}/api/v1/query`;
  const form = new URLSearchParams({ query });
  if (time !== undefined) form.set('time', (time / 1000).toFixed(3));
  form.set('timeout', `${Math.max(1, Math.floor(conn.timeoutMs / 1000))}s`);
  const sleep = conn.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    const t = timeoutSignal(conn.timeoutMs);
    let res: Response;
    let text: string;
    try {
      res = await fetch(endpoint, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded', ...conn.headers },
        body: form.toString(),
        redirect: 'manual',
        signal: t.signal,
      });
      text = await res.text();
    } catch (e) {
      throw new ServiceError(`${what}: ${unreachable(e, conn)}`, { field: FIELD });
    } finally {
      t.clear();
    }
    if (RETRY_STATUS.has(res.status) && attempt <= conn.retries) {
      const asked = retryAfterSeconds(res.headers.get('retry-after'));
      const waitMs = asked !== undefined ? asked * 1000 : Math.min(1000 * 2 ** (attempt - 1), 8000);
      if (waitMs <= conn.maxRetryWaitMs) {
        await sleep(waitMs);
        continue;
      }
      throw new ServiceError(
        `${what}: Prometheus answered ${res.status} and asks to retry after ${asked} s, longer than the ${conn.maxRetryWaitMs / 1000} s we wait`,
        { field: FIELD },
      );
    }
    return readAnswer(res, text, conn, what, query, attempt);
  }
}

function unreachable(e: unknown, conn: Connection): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return `no answer from Prometheus at ${conn.url} within ${conn.timeoutMs / 1000} s (timeout): is the server overloaded, or the query too heavy?`;
  }
  const code = err.cause?.code ?? err.cause?.message ?? err.message;
  return `cannot reach Prometheus at ${conn.url} (${code}): check prometheus-url and that the runner can reach it`;
}

function readAnswer(res: Response, text: string, conn: Connection, what: string, query: string, attempts: number): QueryAnswer {
  const ctype = res.headers.get('content-type') ?? '';
  let body: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  const apiError = body?.status === 'error' ? `${String(body.errorType ?? 'error')}: ${String(body.error ?? '')}` : undefined;
  if (res.status === 400 || res.status === 422) {
    const why = apiError ?? `HTTP ${res.status}: ${clip(text)}`;
    throw new ServiceError(`${what}: Prometheus refused the query (${res.status} ${why}); query: ${query}`, { field: 'checks' });
  }
  if (res.status === 401 || res.status === 403) {
    throw new ServiceError(`${what}: Prometheus at ${conn.url} answered ${res.status} ${res.status === 401 ? 'Unauthorized' : 'Forbidden'}: check the token, basic-auth or headers`, { field: FIELD });
  }
  if (res.status === 404) {
    throw new ServiceError(`${what}: ${conn.url}/api/v1/query answered 404: is prometheus-url the server's base URL (e.g. http://prometheus:9090, with the prefix if it has one)?`, { field: FIELD });
  }
  if (res.status >= 300 && res.status < 400) {
    throw new ServiceError(`${what}: ${conn.url}/api/v1/query answered ${res.status} (a redirect to ${res.headers.get('location') ?? '?'}): redirects are not followed; give the final URL as prometheus-url`, { field: FIELD });
  }
  if (res.status < 200 || res.status >= 300) {
    const retried = RETRY_STATUS.has(res.status) && attempts > 1 ? ` after ${attempts} attempts` : '';
    throw new ServiceError(`${what}: Prometheus at ${conn.url} answered ${res.status}${retried}: ${apiError ?? clip(text || res.statusText)}`, { field: FIELD });
  }
  if (!body) {
    throw new ServiceError(
      `${what}: the answer from ${conn.url}/api/v1/query is not Prometheus JSON (HTTP ${res.status}, ${ctype || 'no content-type'}): ${clip(text, 120) || '(empty)'}; is prometheus-url a Prometheus server?`,
      { field: FIELD },
    );
  }
  if (apiError) throw new ServiceError(`${what}: Prometheus answered an error (${apiError}); query: ${query}`, { field: FIELD });
  const data = body.data as { resultType?: unknown; result?: unknown } | undefined;
  const written = (Array.isArray(body.warnings) ? body.warnings : []).map(String);
  const isInfo = (w: string) => /^PromQL info\b/i.test(w);
  const warnings = written.filter((w) => !isInfo(w));
  const infos = [...written.filter(isInfo), ...(Array.isArray(body.infos) ? body.infos : []).map(String)];
  if (body.status !== 'success' || !data || typeof data !== 'object') {
    throw new ServiceError(`${what}: the answer from ${conn.url} has no status 'success' and data: ${clip(text, 120)}`, { field: FIELD });
  }
  if (data.resultType === 'scalar' && Array.isArray(data.result)) {
    const raw = String(data.result[1]);
    return { resultType: 'scalar', series: [{ labels: {}, raw, value: sampleValue(raw) }], warnings, infos, attempts };
  }
  if (data.resultType === 'vector' && Array.isArray(data.result)) {
    const series = data.result.map((s: { metric?: Record<string, string>; value?: [number, string] }) => {
      const raw = Array.isArray(s.value) ? String(s.value[1]) : 'NaN';
      return { labels: s.metric && typeof s.metric === 'object' ? { ...s.metric } : {}, raw, value: sampleValue(raw) };
    });
    return { resultType: 'vector', series, warnings, infos, attempts };
  }
  if (data.resultType === 'matrix') {
    throw new ServiceError(`${what}: the query returns a range vector (matrix); a check needs one value per series: aggregate the range (rate, max_over_time, …); query: ${query}`, { field: 'checks' });
  }
  throw new ServiceError(`${what}: the query returns a ${String(data.resultType)}; a check needs a number (an instant vector or a scalar); query: ${query}`, { field: 'checks' });
}
