import { execFileSync } from 'node:child_process';
import { InputError } from '../kit/errors.js';
import { compareVersions, parseTag, type ReleaseTag } from './version.js';

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function gitError(e: unknown): string {
  return ((e as { stderr?: string }).stderr ?? (e as Error).message).toString().trim().split('\n')[0] ?? '';
}

/**
 * The last release before `release` (the tag being released, e.g. `v2.0.0` or `api/v2.0.0`): the
 * highest version among the tags reachable from HEAD that carry the same prefix (`api/` in a
 * monorepo), are below the release's version, and, for a final release, are final themselves (the
 * notes of 2.0.0 cover everything since 1.4.0, not since 2.0.0-rc.2). Tags that are no version
 * (`deploy-staging`) and other components' tags (`web/v9.0.0`) are never a base. Undefined when
 * there is none in a full clone: the first release (a shallow clone without tags is an error).
 */
export function lastReleaseTag(cwd: string, release?: string): ReleaseTag | undefined {
  try {
    git(['rev-parse', '--git-dir'], cwd);
  } catch (e) {
    throw new InputError(`base: not given, and '${cwd}' is not a git repository to find the last release tag in (${gitError(e)}); pass --base`, { field: 'base' });
  }
  const own = release ? parseTag(release) : undefined;
  const prefix = own?.prefix ?? '';
  const candidates = (list: string) =>
    list
      .split('\n')
      .map((t) => t.trim())
      .filter((t) => t && t !== release)
      .map(parseTag)
      .filter((t): t is ReleaseTag => !!t && t.prefix === prefix && (!own || compareVersions(t.version, own.version) < 0));
  let tags = candidates(tryGit(['tag', '--merged', 'HEAD'], cwd));
  // A shallow or detached checkout may not see the history: any tag of the component will do then.
  if (tags.length === 0) tags = candidates(tryGit(['tag'], cwd));
  if (tags.length === 0) {
    // A shallow checkout (actions/checkout's default fetch-depth: 1) has no tags to see: that is not a first release.
    if (tryGit(['rev-parse', '--is-shallow-repository'], cwd) === 'true') {
      throw new InputError(
        `base: not given, and this shallow checkout has no ${prefix ? `'${prefix}'-prefixed ` : ''}release tags to find the last release in; check out with fetch-depth: 0 (and tags), or pass --base FILE or --base REV:path, e.g. --base v1.0.0:openapi.yaml`,
        { field: 'base' },
      );
    }
    return undefined;
  }
  const finals = tags.filter((t) => t.version.prerelease.length === 0);
  const pool = own && own.version.prerelease.length === 0 && finals.length ? finals : tags;
  return pool.sort((a, b) => compareVersions(b.version, a.version))[0];
}

function tryGit(args: string[], cwd: string): string {
  try {
    return git(args, cwd);
  } catch {
    return '';
  }
}

/** The tag's commit date (ISO 8601): merged pull requests after it belong to this release. */
export function tagDate(tag: string, cwd: string): string {
  try {
    return git(['log', '-1', '--format=%cI', `${tag}^{commit}`, '--'], cwd);
  } catch (e) {
    throw new InputError(`since: cannot read the date of tag '${tag}': ${gitError(e)}`, { field: 'since' });
  }
}
