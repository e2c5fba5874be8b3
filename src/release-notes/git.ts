import { execFileSync } from 'node:child_process';
import { InputError } from '../kit/errors.js';

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function gitError(e: unknown): string {
  return ((e as { stderr?: string }).stderr ?? (e as Error).message).toString().trim().split('\n')[0] ?? '';
}

/**
 * The last release tag reachable from HEAD (`git describe --tags --abbrev=0`), else the highest
 * version-sorted tag. A clear error when the repository has none, or is not a repository.
 */
export function lastReleaseTag(cwd: string, exclude?: string): string {
  try {
    git(['rev-parse', '--git-dir'], cwd);
  } catch (e) {
    throw new InputError(`base: not given, and '${cwd}' is not a git repository to find the last release tag in (${gitError(e)}); pass --base`, { field: 'base' });
  }
  let described: string | undefined;
  try {
    // With the tag being released already on HEAD, the previous one is the base.
    const args = ['describe', '--tags', '--abbrev=0'];
    if (exclude) args.push(`--exclude=${exclude}`);
    described = git(args, cwd) || undefined;
  } catch {
    described = undefined;
  }
  if (described) return described;
  const tags = git(['tag', '--sort=-v:refname'], cwd)
    .split('\n')
    .filter((t) => t && t !== exclude);
  if (tags[0]) return tags[0];
  throw new InputError(
    'base: not given, and the repository has no tags to find the last release in (git describe --tags found none); pass --base FILE or --base REV:path, e.g. --base v1.0.0:openapi.yaml (checkouts need fetch-depth: 0 for tags)',
    { field: 'base' },
  );
}

/** The tag's commit date (ISO 8601): merged pull requests after it belong to this release. */
export function tagDate(tag: string, cwd: string): string {
  try {
    return git(['log', '-1', '--format=%cI', `${tag}^{commit}`, '--'], cwd);
  } catch (e) {
    throw new InputError(`since: cannot read the date of tag '${tag}': ${gitError(e)}`, { field: 'since' });
  }
}
