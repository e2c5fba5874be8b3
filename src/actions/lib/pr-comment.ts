import * as core from '@actions/core';
import * as github from '@actions/github';
import { createGitHubClient } from '../../kit/github-client.js';

/**
 * One sticky comment per PR and marker: found again by the hidden marker and edited in place. Rate
 * limits and 5xx answers are retried (see createGitHubClient). A comment that still cannot be posted
 * never fails the gate: it returns a note for the job summary (and warns), saying why.
 */
export async function upsertPrComment(token: string, marker: string, body: string): Promise<string | undefined> {
  const pr = github.context.payload.pull_request;
  if (!pr) {
    core.info('comment: not a pull_request event; no PR comment posted.');
    return undefined;
  }
  const { owner, repo } = github.context.repo;
  // The base URL is the runner's GITHUB_API_URL (GitHub Enterprise Server included), as @actions/github reads it.
  const octokit = createGitHubClient({ token, log: (m) => core.info(`comment: ${m}`) });
  const hidden = `<!-- ${marker} -->`;
  const text = `${hidden}\n${body}`;
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, { owner, repo, issue_number: pr.number, per_page: 100 });
    const mine = comments.find((c) => typeof c.body === 'string' && c.body.includes(hidden));
    if (mine) {
      await octokit.rest.issues.updateComment({ owner, repo, comment_id: mine.id, body: text });
      core.info(`comment: updated ${mine.html_url}`);
    } else {
      const made = await octokit.rest.issues.createComment({ owner, repo, issue_number: pr.number, body: text });
      core.info(`comment: created ${made.data.html_url}`);
    }
    return undefined;
  } catch (e) {
    const note = `The PR comment was not posted: ${whyNotPosted(e)}. The report is in this summary.`;
    core.warning(note);
    return note;
  }
}

function whyNotPosted(e: unknown): string {
  const status = (e as { status?: number }).status;
  const message = ((e as { response?: { data?: { message?: string } } }).response?.data?.message ?? (e as Error).message ?? String(e)).split('\n')[0];
  if ((status === 403 || status === 429) && /rate limit/i.test(message ?? '')) return `GitHub kept rate-limiting it after the allowed retries (HTTP ${status}: ${message})`;
  if (status === 403 || status === 404) return `the token cannot write to this pull request (HTTP ${status}; a fork's token is read-only)`;
  if (status === 401) return `GitHub rejected the token (HTTP 401: ${message})`;
  if ((e as { response?: unknown }).response === undefined) return `GitHub did not answer (after retries): ${message}`;
  return `GitHub answered HTTP ${status ?? '?'}${status && status >= 500 ? ' (after retries)' : ''}: ${message}`;
}
