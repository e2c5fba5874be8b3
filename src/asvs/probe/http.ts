/**
 * The probes' only way out: requests to the given base URL and nowhere else (no redirects followed),
 * each with a timeout, all within a request budget and a deadline. Bodies are read up to a cap.
 */
import { InputError } from '../../kit/errors.js';
import { timeoutSignal } from '../../kit/inputs.js';

export interface ProbeResponse {
  status: number;
  headers: Headers;
  body: string;
}

export interface ClientOptions {
  timeoutMs: number;
  maxRequests: number;
  /** Epoch ms after which no request starts. */
  deadline: number;
  token?: string;
}

export class BudgetExceeded extends Error {}
export class Unreachable extends Error {}

const BODY_CAP = 64 * 1024;

export function parseBaseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new InputError(`base-url: '${text}' is not a URL; expected e.g. https://staging.example.com/api`, { field: 'base-url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`base-url: '${text}' must be http or https`, { field: 'base-url' });
  if (url.username || url.password) throw new InputError('base-url: must not carry credentials; pass the token with token instead', { field: 'base-url' });
  if (url.search || url.hash) throw new InputError(`base-url: '${text}' must not have a query or fragment`, { field: 'base-url' });
  return url;
}

export class ProbeClient {
  sent = 0;
  /** Requests that carried the caller's credentials (a limiter keyed on them has seen these). */
  sentWithToken = 0;
  private readonly origin: string;
  private readonly prefix: string;

  constructor(
    readonly base: URL,
    private readonly opts: ClientOptions,
  ) {
    this.origin = base.origin;
    this.prefix = base.pathname.replace(/\/+$/, '');
  }

  /** Authorization header for the caller's token (`Bearer` unless the token names its scheme). */
  authHeader(): Record<string, string> {
    const t = this.opts.token?.trim();
    if (!t) return {};
    return { Authorization: /^(bearer|basic|token|apikey)\s/i.test(t) ? t : `Bearer ${t}` };
  }

  get hasToken(): boolean {
    return !!this.opts.token?.trim();
  }

  /** `target` is a spec path with its query (`/pets?species=dog`), appended to the base URL's path. */
  url(target: string): string {
    const full = `${this.origin}${this.prefix}${target.startsWith('/') ? target : `/${target}`}`;
    const u = new URL(full);
    if (u.origin !== this.origin || !(u.pathname === this.prefix || u.pathname.startsWith(`${this.prefix}/`) || this.prefix === '')) {
      throw new Error(`refusing to call ${u.origin}${u.pathname}: outside the base URL`);
    }
    return full;
  }

  async request(
    method: string,
    target: string,
    init: { headers?: Record<string, string>; body?: string; auth?: boolean } = {},
  ): Promise<ProbeResponse> {
    if (this.sent >= this.opts.maxRequests) throw new BudgetExceeded(`request budget of ${this.opts.maxRequests} used up`);
    if (Date.now() >= this.opts.deadline) throw new BudgetExceeded('time budget used up');
    this.sent++;
    const headers: Record<string, string> = { Accept: 'application/json, application/problem+json, */*', ...(init.headers ?? {}) };
    if (init.auth && this.hasToken) {
      Object.assign(headers, this.authHeader());
      this.sentWithToken++;
    }
    const remaining = Math.max(1, Math.min(this.opts.timeoutMs, this.opts.deadline - Date.now()));
    let res: Response;
    const timeout = timeoutSignal(remaining);
    try {
      res = await fetch(this.url(target), {
        method,
        headers,
        body: init.body,
        redirect: 'manual',
        signal: timeout.signal,
      });
      return { status: res.status, headers: res.headers, body: await readCapped(res) };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string; message?: string } };
      if (err.name === 'TimeoutError' && remaining < this.opts.timeoutMs) throw new BudgetExceeded('time budget used up');
      const why = err.name === 'TimeoutError' ? `no answer within ${remaining} ms` : (err.cause?.code ?? err.cause?.message ?? err.message);
      throw new Unreachable(`${method} ${this.base.origin}${this.prefix}${target.split('?')[0]}: ${why}`);
    } finally {
      timeout.clear();
    }
  }
}

async function readCapped(res: Response): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < BODY_CAP) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.length;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, BODY_CAP).toString('utf8');
}
