import * as core from '@actions/core';
import * as github from '@actions/github';

/**
 * One sticky comment per PR and marker: found again by the hidden marker and edited in place.
 * Returns a note for the job summary when the token cannot write (a fork's read-only token).
 */
export async function upsertPrComment(token: string, marker: string, body: string): Promise<string | undefined> {
  const pr = github.context.payload.pull_request;
  if (!pr) {
    core.info('comment: not a pull_request event; no PR comment posted.');
    return undefined;
  }
  const { owner, repo } = github.context.repo;
  const octokit = github.getOctokit(token);
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
    const status = (e as { status?: number }).status;
    if (status === 403 || status === 404) {
      const note = `The PR comment was not posted: the token cannot write to this pull request (HTTP ${status}; a fork's token is read-only). The report is in this summary.`;
      core.warning(note);
      return note;
    }
    throw e;
  }
}
