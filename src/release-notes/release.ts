import { isInputError } from '../kit/errors.js';
import { explainGitHubError } from './github.js';
import type { GitHubClient } from '../kit/github-client.js';

export interface ReleaseSpec {
  owner: string;
  repo: string;
  tag: string;
  name: string;
  body: string;
  draft: boolean;
  prerelease: boolean;
  /** Commit or branch the tag is created from when it does not exist yet. */
  target?: string;
}

export interface ReleaseOutcome {
  action: 'created' | 'updated';
  id: number;
  url: string;
  /** The body written. */
  body: string;
  /** The body the release had before this run (an update), with any markers earlier runs left in it. */
  previousBody?: string;
}

/** GitHub refuses release bodies over 125,000 characters. */
export const RELEASE_BODY_MAX = 125_000;

export function fitReleaseBody(body: string): string {
  if (body.length <= RELEASE_BODY_MAX) return body;
  const note = '\n\n_The notes are longer than a GitHub Release allows; the full text is in CHANGELOG.md._\n';
  return body.slice(0, RELEASE_BODY_MAX - note.length) + note;
}

/** Pages of releases searched for a draft with the tag (drafts are not found by tag). */
const DRAFT_PAGES = 5;

async function findRelease(gh: GitHubClient, r: ReleaseSpec): Promise<{ id: number; body?: string | null } | undefined> {
  const repo = `${r.owner}/${r.repo}`;
  try {
    const { data } = await gh.rest.repos.getReleaseByTag({ owner: r.owner, repo: r.repo, tag: r.tag });
    return data;
  } catch (e) {
    if ((e as { status?: number }).status !== 404) throw explainGitHubError(e, `read the release for tag ${r.tag}`, repo);
  }
  // Not published under that tag: a draft (or a missing repository, which answers 404 here too).
  for (let page = 1; page <= DRAFT_PAGES; page++) {
    let data;
    try {
      ({ data } = await gh.rest.repos.listReleases({ owner: r.owner, repo: r.repo, per_page: 100, page }));
    } catch (e) {
      throw explainGitHubError(e, 'list releases', repo);
    }
    const hit = data.find((x) => x.tag_name === r.tag);
    if (hit) return hit;
    if (data.length < 100) break;
  }
  return undefined;
}

/** GitHub's 422 when a release for the tag exists already (a draft we did not see, or a run in parallel). */
function alreadyExists(e: unknown): boolean {
  const data = (e as { status?: number; response?: { data?: { errors?: { code?: string; field?: string }[] } } }).response?.data;
  return (e as { status?: number }).status === 422 && !!data?.errors?.some((x) => x.code === 'already_exists');
}

/** Create the release for the tag, or edit the one that exists: a re-run never makes a second one. */
export async function upsertRelease(gh: GitHubClient, r: ReleaseSpec): Promise<ReleaseOutcome> {
  const repo = `${r.owner}/${r.repo}`;
  const fields = { name: r.name, body: fitReleaseBody(r.body), draft: r.draft, prerelease: r.prerelease };
  let existing = await findRelease(gh, r);
  const update = async (found: { id: number; body?: string | null }): Promise<ReleaseOutcome> => {
    const { data } = await gh.rest.repos.updateRelease({ owner: r.owner, repo: r.repo, release_id: found.id, ...fields });
    return { action: 'updated', id: data.id, url: data.html_url, body: fields.body, previousBody: found.body ?? undefined };
  };
  try {
    if (existing) return await update(existing);
    try {
      const { data } = await gh.rest.repos.createRelease({
        owner: r.owner,
        repo: r.repo,
        tag_name: r.tag,
        ...(r.target ? { target_commitish: r.target } : {}),
        ...fields,
      });
      return { action: 'created', id: data.id, url: data.html_url, body: fields.body };
    } catch (e) {
      if (!alreadyExists(e)) throw e;
      // Created meanwhile (a parallel run), or a draft the listing did not show yet: find it again and edit it.
      existing = await findRelease(gh, r);
      if (!existing) throw e;
      return await update(existing);
    }
  } catch (e) {
    if (isInputError(e)) throw e;
    throw explainGitHubError(e, `${existing ? 'update' : 'create'} the release for tag ${r.tag}`, repo);
  }
}

/** Put `marker` (a hidden HTML comment) at the top of the release's body, in place of one with the same prefix. */
export async function markRelease(gh: GitHubClient, r: Pick<ReleaseSpec, 'owner' | 'repo' | 'tag'>, release: ReleaseOutcome, prefix: string, marker: string): Promise<void> {
  const body = fitReleaseBody(`${marker}\n${release.body.split('\n').filter((l) => !l.startsWith(prefix)).join('\n')}`);
  try {
    await gh.rest.repos.updateRelease({ owner: r.owner, repo: r.repo, release_id: release.id, body });
  } catch (e) {
    throw explainGitHubError(e, `update the release for tag ${r.tag}`, `${r.owner}/${r.repo}`);
  }
  release.body = body;
}
