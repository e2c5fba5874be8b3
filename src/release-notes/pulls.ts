import type { GitHubClient } from '../kit/github-client.js';
import { ServiceError } from '../kit/errors.js';
import { explainGitHubError } from './github.js';

export interface MergedPull {
  number: number;
  title: string;
  url: string;
  author?: string;
  labels: string[];
  mergedAt: string;
}

export interface PullGroup {
  title: string;
  pulls: MergedPull[];
}

export interface PullSummary {
  since: string;
  groups: PullGroup[];
  contributors: string[];
  /** True when the page limit stopped the listing before reaching `since`. */
  truncated: boolean;
  total: number;
  /** Pull requests left out by a label such as `skip-changelog`. */
  excluded?: MergedPull[];
}

/**
 * Labels that keep a pull request out of the notes: `skip-changelog`, `no-changelog`, `changelog: skip`,
 * `ignore-for-release`, `skip-release-notes`, `no release notes`… (case, spaces, `-`, `_`, `:` and `/` ignored).
 */
const EXCLUDE_LABEL = /^(skip|no|ignore|exclude)(from)?(changelog|releasenotes?|release)$|^(changelog|releasenotes?)(skip|ignore|exclude|no|none)$|^ignoreforrelease$|^notinchangelog$/;

export function isExcludedLabel(label: string): boolean {
  return EXCLUDE_LABEL.test(label.toLowerCase().replace(/[\s_:/-]+/g, ''));
}

/** Pages of 100 closed pull requests read at most (most recently updated first). */
const MAX_PAGES = 10;

/**
 * Pull requests merged after `since`: closed ones, most recently updated first; listing stops at the
 * first page whose pulls were all last updated before `since` (merging updates a pull request).
 */
export async function listMergedPulls(gh: GitHubClient, owner: string, repo: string, since: string, until?: string): Promise<{ pulls: MergedPull[]; truncated: boolean }> {
  const sinceMs = Date.parse(since);
  const untilMs = until ? Date.parse(until) : Infinity;
  const pulls: MergedPull[] = [];
  let truncated = true;
  for (let page = 1; page <= MAX_PAGES; page++) {
    let data;
    try {
      ({ data } = await gh.rest.pulls.list({ owner, repo, state: 'closed', sort: 'updated', direction: 'desc', per_page: 100, page }));
    } catch (e) {
      throw explainGitHubError(e, 'list pull requests', `${owner}/${repo}`);
    }
    // A proxy or a wrong api-url can answer 200 with HTML or garbage: that is not "no pull requests".
    if (!Array.isArray(data)) throw new ServiceError(`GitHub answered the pull request list of ${owner}/${repo} with something that is not a JSON list (check --api-url / GITHUB_API_URL): ${String(JSON.stringify(data)).slice(0, 100)}`);
    for (const p of data) {
      if (!p.merged_at) continue;
      const merged = Date.parse(p.merged_at);
      if (merged <= sinceMs || merged > untilMs) continue;
      pulls.push({
        number: p.number,
        title: p.title,
        url: p.html_url,
        author: p.user?.login,
        labels: (p.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
        mergedAt: p.merged_at,
      });
    }
    const last = data[data.length - 1];
    if (data.length < 100 || !last || Date.parse(last.updated_at) < sinceMs) {
      truncated = false;
      break;
    }
  }
  pulls.sort((a, b) => a.mergedAt.localeCompare(b.mergedAt) || a.number - b.number);
  return { pulls, truncated };
}

/** Group order in the notes; a pull request lands in the first group its labels or title prefix select. */
const GROUPS: { title: string; labels: RegExp; prefixes: string[] }[] = [
  { title: 'Breaking changes', labels: /^(breaking|breaking[- ]change|semver[:/-]major)$/i, prefixes: [] },
  { title: 'Features', labels: /^(feature|enhancement|feat|semver[:/-]minor)$/i, prefixes: ['feat'] },
  { title: 'Fixes', labels: /^(bug|fix|bugfix|semver[:/-]patch)$/i, prefixes: ['fix'] },
  { title: 'Performance', labels: /^(performance|perf)$/i, prefixes: ['perf'] },
  { title: 'Documentation', labels: /^(documentation|docs)$/i, prefixes: ['docs'] },
  { title: 'Dependencies', labels: /^(dependencies|deps)$/i, prefixes: ['deps'] },
  { title: 'Maintenance', labels: /^(chore|maintenance|refactor|ci|build|test|tests)$/i, prefixes: ['chore', 'refactor', 'ci', 'build', 'test', 'style', 'revert'] },
];
const OTHER = 'Other changes';
const CONVENTIONAL = /^([a-z]+)(\([^)]*\))?(!)?:\s/i;

export function groupOf(p: Pick<MergedPull, 'title' | 'labels'>): string {
  const m = CONVENTIONAL.exec(p.title);
  // `feat(api)!:` is breaking whatever other label (`enhancement`) it carries.
  if (m?.[3] || /^BREAKING[ -]CHANGE:/.test(p.title)) return 'Breaking changes';
  const byLabel = GROUPS.find((g) => p.labels.some((l) => g.labels.test(l)));
  if (byLabel) return byLabel.title;
  if (m) {
    const type = m[1]!.toLowerCase();
    const byPrefix = GROUPS.find((g) => g.prefixes.includes(type));
    if (byPrefix) return byPrefix.title;
  }
  return OTHER;
}

export function summarizePulls(all: MergedPull[], since: string, truncated: boolean): PullSummary {
  const excluded = all.filter((p) => p.labels.some(isExcludedLabel));
  const pulls = all.filter((p) => !excluded.includes(p));
  const by = new Map<string, MergedPull[]>();
  for (const p of pulls) {
    const g = groupOf(p);
    by.set(g, [...(by.get(g) ?? []), p]);
  }
  const order = [...GROUPS.map((g) => g.title), OTHER];
  const groups = order.filter((t) => by.has(t)).map((title) => ({ title, pulls: by.get(title)! }));
  const contributors = [...new Set(pulls.map((p) => p.author).filter((a): a is string => !!a))].sort((a, b) => a.localeCompare(b));
  return { since, groups, contributors, truncated, total: pulls.length, excluded };
}
