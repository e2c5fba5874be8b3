import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { InputError } from './errors.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  token: string;
  /** REST API root: GITHUB_API_URL on a runner, https://api.github.com by default, a loopback server in tests. */
  baseUrl?: string;
  /** Retries of one request after a rate limit or a 5xx answer. */
  retries?: number;
  /** Longest wait (seconds) a rate limit may ask for before we give up instead of sleeping. */
  maxWaitSeconds?: number;
  /** Milliseconds per second of `retry-after` (1000; tests shrink it). */
  retryAfterBaseMs?: number;
  /** Longest wait for one answer, in milliseconds (30 s): a server that never answers must not hang the job. */
  timeoutMs?: number;
  /**
   * GitHub asks integrators to space out writes (the throttling plugin waits 1 s between writes and
   * 3 s between notification-triggering ones). `false` drops that spacing, for a local test server only.
   */
  paceWrites?: boolean;
  log?: (message: string) => void;
}

/** Pass-through limiter group: schedules immediately (the shape the throttling plugin calls). */
const unpaced = {
  key: () => ({ schedule: (opts: unknown, fn: (...a: unknown[]) => unknown, ...args: unknown[]) => Promise.resolve(fn(...args)) }),
};

/**
 * Octokit from @actions/github with retries: secondary rate limits (403 with retry-after) and primary
 * ones (x-ratelimit-remaining: 0) wait and retry through @octokit/plugin-throttling, 5xx answers through
 * @octokit/plugin-retry; both bounded by `retries` and `maxWaitSeconds`.
 */
export function createGitHubClient(o: GitHubClientOptions): GitHubClient {
  if (!o.token) throw new InputError('github-token: required to reach the GitHub API (or use --dry-run)', { field: 'github-token' });
  const retries = o.retries ?? 3;
  const maxWait = o.maxWaitSeconds ?? 120;
  const base = o.retryAfterBaseMs ?? 1000;
  const log = o.log ?? (() => {});
  const onLimit =
    (kind: string) =>
    (retryAfter: number, options: { method?: string; url?: string }, _octokit: unknown, retryCount: number): boolean => {
      const what = `${options.method ?? ''} ${options.url ?? ''}`.trim();
      if (retryCount >= retries) {
        log(`GitHub ${kind} rate limit on ${what}: giving up after ${retryCount} retries`);
        return false;
      }
      if (retryAfter > maxWait) {
        log(`GitHub ${kind} rate limit on ${what}: asked to wait ${retryAfter}s, more than ${maxWait}s; not retrying`);
        return false;
      }
      log(`GitHub ${kind} rate limit on ${what}: retrying after ${retryAfter}s (retry ${retryCount + 1} of ${retries})`);
      return true;
    };
  const throttle: Record<string, unknown> = {
    onRateLimit: onLimit('primary'),
    onSecondaryRateLimit: onLimit('secondary'),
    retryAfterBaseValue: base,
    fallbackSecondaryRateRetryAfter: 60,
  };
  if (o.paceWrites === false) Object.assign(throttle, { write: unpaced, notifications: unpaced, search: unpaced });
  const options: Record<string, unknown> = {
    throttle,
    retry: { retries, retryAfterBaseValue: base },
    log: { debug: () => {}, info: () => {}, warn: (m: string) => log(m), error: (m: string) => log(m) },
  };
  if (o.baseUrl) {
    let u: URL | undefined;
    try {
      u = new URL(o.baseUrl);
    } catch {
      u = undefined;
    }
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) throw new InputError(`api-url: '${o.baseUrl}' is not an http(s) URL (expected e.g. https://api.github.com)`, { field: 'api-url' });
    options.baseUrl = o.baseUrl.replace(/\/+$/, '');
  }
  const client = getOctokit(o.token, options, retry, throttling);
  const timeoutMs = o.timeoutMs ?? 30_000;
  client.hook.wrap('request', (request, opts) => {
    if (!opts.request?.signal) opts.request = { ...opts.request, signal: AbortSignal.timeout(timeoutMs) };
    return request(opts);
  });
  return client;
}
