import { InputError, isInputError } from '../kit/errors.js';
import { explainGitHubError } from './github.js';
import type { GitHubClient } from '../kit/github-client.js';

/**
 * Read a file on a branch through the contents API and write it back changed, as one commit; nothing
 * is committed when the change leaves the file as it was (a re-run).
 */
export async function updateRemoteFile(
  gh: GitHubClient,
  o: { owner: string; repo: string; path: string; branch: string; message: string },
  change: (current: string | undefined) => string,
): Promise<{ action: 'committed' | 'unchanged'; sha?: string }> {
  const repo = `${o.owner}/${o.repo}`;
  let current: string | undefined;
  let sha: string | undefined;
  try {
    const { data } = await gh.rest.repos.getContent({ owner: o.owner, repo: o.repo, path: o.path, ref: o.branch });
    if (Array.isArray(data) || data.type !== 'file') throw new InputError(`${o.path} on ${o.branch} in ${repo} is not a file`, { file: o.path });
    current = Buffer.from((data as { content?: string }).content ?? '', 'base64').toString('utf8');
    sha = data.sha;
  } catch (e) {
    if (isInputError(e)) throw e;
    if ((e as { status?: number }).status !== 404) throw explainGitHubError(e, `read ${o.path} on ${o.branch}`, repo);
    // 404: no such file yet (a missing repository or branch fails on the write below with its own 404).
  }
  const next = change(current);
  if (next === current) return { action: 'unchanged' };
  try {
    const { data } = await gh.rest.repos.createOrUpdateFileContents({
      owner: o.owner,
      repo: o.repo,
      path: o.path,
      branch: o.branch,
      message: o.message,
      content: Buffer.from(next, 'utf8').toString('base64'),
      ...(sha ? { sha } : {}),
    });
    return { action: 'committed', sha: data.commit.sha };
  } catch (e) {
    throw explainGitHubError(e, `commit ${o.path} to ${o.branch}`, repo);
  }
}
