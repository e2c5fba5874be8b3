import { InputError } from '../../kit/errors.js';
import { timeoutSignal } from '../../kit/inputs.js';

/**
 * A Pact Broker (or PactFlow) could not answer: wrong URL, bad token, a server error or a timeout.
 * An InputError, so every surface stops with exit 2 and this message: the gate could not judge,
 * which is never a pass.
 */
export class BrokerError extends InputError {
  readonly status?: number;
  constructor(message: string, status?: number) {
    super(message, { field: 'broker-url' });
    this.name = 'BrokerError';
    this.status = status;
  }
}

export interface BrokerConfig {
  /** Base URL, e.g. https://broker.example.com or https://acme.pactflow.io. */
  url: string;
  /** Bearer token (PactFlow, or a broker with token auth). */
  token?: string;
  username?: string;
  password?: string;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
  /** Extra attempts after a network error, 429 or 5xx (default 2). */
  retries?: number;
  /** First backoff between attempts (default 1 s, doubled each time, capped by Retry-After up to 30 s). */
  backoffMs?: number;
}

export interface BrokerResponse {
  status: number;
  json: Record<string, unknown>;
}

type Hal = Record<string, unknown>;

/** A HAL link's href, or undefined. Link arrays (named links) need `linkNamed`. */
export function linkOf(doc: Hal, rel: string): string | undefined {
  const links = doc._links as Record<string, { href?: string } | { href?: string; name?: string }[]> | undefined;
  const l = links?.[rel];
  return !Array.isArray(l) && typeof l?.href === 'string' ? l.href : undefined;
}

export function linksNamed(doc: Hal, rel: string): { href: string; name?: string; title?: string }[] {
  const links = doc._links as Record<string, unknown> | undefined;
  const l = links?.[rel];
  const list = Array.isArray(l) ? l : l ? [l] : [];
  return list.filter((x): x is { href: string; name?: string; title?: string } => typeof (x as { href?: unknown })?.href === 'string');
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The broker's HAL/JSON API over fetch: auth, timeouts, bounded retries, clear errors. */
export class BrokerClient {
  readonly base: URL;
  private readonly auth?: string;

  constructor(private readonly cfg: BrokerConfig) {
    let base: URL;
    try {
      base = new URL(cfg.url);
    } catch {
      throw new InputError(`broker-url: '${cfg.url}' is not a URL (expected e.g. https://broker.example.com)`, { field: 'broker-url' });
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new InputError(`broker-url: '${cfg.url}' is not an http(s) URL`, { field: 'broker-url' });
    }
    if (!base.pathname.endsWith('/')) base.pathname += '/';
    this.base = base;
    if (cfg.token) this.auth = `Bearer ${cfg.token}`;
    else if (cfg.username) this.auth = `Basic ${Buffer.from(`${cfg.username}:${cfg.password ?? ''}`).toString('base64')}`;
  }

  /** A path relative to the base URL (keeps a base path such as /broker/), or an absolute href from a link. */
  resolve(pathOrHref: string): URL {
    if (/^https?:\/\//i.test(pathOrHref)) return new URL(pathOrHref);
    return new URL(pathOrHref.replace(/^\//, ''), this.base);
  }

  get(pathOrHref: string, accept404 = false): Promise<BrokerResponse> {
    return this.request('GET', pathOrHref, undefined, accept404 ? [404] : []);
  }

  post(pathOrHref: string, body: unknown, okStatuses: number[] = []): Promise<BrokerResponse> {
    return this.request('POST', pathOrHref, body, okStatuses);
  }

  put(pathOrHref: string, body: unknown): Promise<BrokerResponse> {
    return this.request('PUT', pathOrHref, body, []);
  }

  /** Send; 2xx and `extraOk` statuses return, everything else throws a BrokerError naming what failed. */
  async request(method: string, pathOrHref: string, body: unknown, extraOk: number[]): Promise<BrokerResponse> {
    const url = this.resolve(pathOrHref);
    const shown = `${method} ${url.pathname}${url.search}`;
    const retries = this.cfg.retries ?? 2;
    let wait = this.cfg.backoffMs ?? 1000;
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retries;
      let res: Response;
      let text: string;
      const timeout = timeoutSignal(this.cfg.timeoutMs ?? 30000);
      try {
        res = await fetch(url, {
          method,
          headers: {
            Accept: 'application/hal+json, application/json',
            ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
            ...(this.auth ? { Authorization: this.auth } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: timeout.signal,
          redirect: 'follow',
        });
        text = await res.text();
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        const why =
          err.name === 'TimeoutError' || err.name === 'AbortError'
            ? `no answer within ${(this.cfg.timeoutMs ?? 30000) / 1000} s`
            : (err.cause?.code ?? err.message);
        if (!last) {
          await sleep(wait);
          wait *= 2;
          continue;
        }
        throw new BrokerError(`Pact Broker at ${this.base.origin}: ${shown} failed: ${why} (after ${attempt + 1} attempts)`);
      } finally {
        timeout.clear();
      }
      if ((res.status === 429 || res.status >= 500) && !last) {
        const after = Number(res.headers.get('retry-after'));
        await sleep(Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 30000) : wait);
        wait *= 2;
        continue;
      }
      let json: Record<string, unknown> = {};
      if (text.trim() !== '') {
        try {
          const parsed = JSON.parse(text) as unknown;
          json = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : { value: parsed };
        } catch {
          if (res.ok) throw new BrokerError(`Pact Broker at ${this.base.origin}: ${shown} answered HTTP ${res.status} with a body that is not JSON`, res.status);
          json = { text: text.slice(0, 500) };
        }
      }
      if (res.ok || extraOk.includes(res.status)) return { status: res.status, json };
      throw new BrokerError(`Pact Broker at ${this.base.origin}: ${shown} answered HTTP ${res.status}: ${explain(res.status, json, attempt + 1)}`, res.status);
    }
  }
}

function explain(status: number, json: Record<string, unknown>, attempts: number): string {
  if (status === 401) return 'not authenticated: check broker-token (or broker-username/broker-password)';
  if (status === 403) return 'the credentials may not do this (a read-only token?)';
  const detail = brokerMessage(json);
  const retried = status === 429 || status >= 500 ? ` (after ${attempts} attempts)` : '';
  return `${detail || (status >= 500 ? 'server error' : 'request refused')}${retried}`;
}

/** The broker's own words: `errors` (validation), `error.message`, or notices of type error/danger. */
export function brokerMessage(json: Record<string, unknown>): string {
  const parts: string[] = [];
  const errors = json.errors;
  if (errors && typeof errors === 'object' && !Array.isArray(errors)) {
    for (const [field, msgs] of Object.entries(errors)) parts.push(`${field}: ${Array.isArray(msgs) ? msgs.join('; ') : String(msgs)}`);
  } else if (Array.isArray(errors)) parts.push(...errors.map(String));
  const error = json.error as { message?: string } | undefined;
  if (typeof error?.message === 'string') parts.push(error.message);
  const notices = json.notices;
  if (Array.isArray(notices)) {
    for (const n of notices as { type?: string; text?: string }[]) if (n.type === 'error' || n.type === 'danger') parts.push(String(n.text));
  }
  if (parts.length === 0 && typeof json.text === 'string') parts.push(json.text);
  return parts.join('; ');
}
