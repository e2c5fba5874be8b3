import { InputError, ServiceError } from '../kit/errors.js';

/** `owner/name` → parts, with a clear error for anything else. */
export function parseRepo(v: string | undefined, field: string): { owner: string; repo: string } {
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec((v ?? '').trim());
  if (!m || m[2] === '.' || m[2] === '..') throw new InputError(`${field}: '${v ?? ''}' is not a repository as owner/name`, { field });
  return { owner: m[1]!, repo: m[2]! };
}

/** Turn an HTTP failure into a message that says what was tried and what to check. */
export function explainGitHubError(e: unknown, what: string, repo: string): InputError {
  const status = (e as { status?: number }).status;
  const msg = ((e as { response?: { data?: { message?: string } } }).response?.data?.message ?? (e as Error).message ?? String(e)).split('\n')[0];
  if (status === 404) {
    return new InputError(`repository ${repo}: not found, or the token cannot see it (HTTP 404 on ${what}); check the repository name and the token's access`, { field: 'repository' });
  }
  if (status === 401) return new InputError(`github-token: rejected by GitHub (HTTP 401 on ${what}): ${msg}`, { field: 'github-token' });
  if ((status === 403 || status === 429) && /rate limit/i.test(msg ?? '')) {
    return new ServiceError(`GitHub kept rate-limiting ${what} in ${repo} (HTTP ${status}) after the allowed retries: ${msg}`);
  }
  if (status === 403 || status === 429) {
    return new InputError(`repository ${repo}: the token may not ${what} (HTTP ${status}: ${msg}); it needs write access (contents: write for releases, issues: write for notices)`, { field: 'github-token' });
  }
  if (status === 422) return new ServiceError(`GitHub refused to ${what} in ${repo} (HTTP 422): ${msg}`);
  // Octokit reports a request that got no answer (refused, reset, timed out) as status 500 without a response.
  if ((e as { response?: unknown }).response === undefined) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? msg;
    return new ServiceError(`GitHub did not answer while trying to ${what} in ${repo} (after retries): ${why}`);
  }
  return new ServiceError(`GitHub ${status ? `HTTP ${status}` : 'request failed'} while trying to ${what} in ${repo}${status && status >= 500 ? ' (after retries)' : ''}: ${msg}`);
}
