import { compareSpecs, type Semver } from '../breaking/engine.js';
import { loadSpec, type Spec } from '../breaking/spec/load.js';
import { InputError } from '../kit/errors.js';
import { parseBool, parseFailOn } from '../kit/inputs.js';
import { sortFindings, verdictFor, type GateResult, type Location } from '../kit/result.js';
import { buildChangelog, type ApiChangelog } from './changelog.js';
import { lastReleaseTag, tagDate } from './git.js';
import { createGitHubClient, parseRepo, type GitHubClient, type GitHubClientOptions } from './github.js';
import { renderNotes } from './notes.js';
import { listMergedPulls, summarizePulls, type PullSummary } from './pulls.js';
import { parseDay } from './dates.js';
import { checkVersion, parseVersion, requireVersion } from './version.js';

/** The gate's inputs as strings, the way the CLI and the action both receive them. */
export interface ReleaseNotesInputs {
  /** Spec at the previous release: a file or REV:path; default: the revision's path at the last release tag. */
  base?: string;
  revision: string;
  /** The release's version; default: from `tag`, else none (the notes suggest one). */
  version?: string;
  previousVersion?: string;
  /** The release tag (v2.0.0); also excluded when looking for the last release tag. */
  tag?: string;
  failOn?: string;
  /** owner/name: list merged pull requests there (needs a token). */
  repository?: string;
  token?: string;
  apiUrl?: string;
  /** ISO date: pull requests merged after it; default: the base tag's commit date. */
  since?: string;
  pullRequests?: string | boolean;
  /** Release date (YYYY-MM-DD); default today. */
  date?: string;
  rolloutDate?: string;
  cwd?: string;
  today?: Date;
  /** Test and tuning knobs for the GitHub client. */
  client?: Partial<GitHubClientOptions>;
  log?: (message: string) => void;
}

export interface ReleaseNotesResult extends GateResult {
  gate: 'release-notes';
  semver: Semver;
  version?: string;
  previousVersion?: string;
  suggestedVersion?: string;
  tag?: string;
  date: string;
  rolloutDate?: string;
  base: string;
  revision: string;
  changelog: ApiChangelog;
  pulls?: PullSummary;
  /** The notes as markdown (what the release, the changelog and the notices carry). */
  notes: string;
}

/** Where the revision's spec lives inside the repository, for reading it at a tag. */
function specPath(revision: string): string {
  const m = /^([^:]{2,}):(.+)$/.exec(revision);
  return m ? m[2]! : revision;
}

function gitRevOf(source: string): string | undefined {
  const m = /^([^:]{2,}):(.+)$/.exec(source);
  return m ? m[1] : undefined;
}

export interface ResolvedBase {
  base: string;
  /** The tag (or revision) the base was read from, when it came from git. */
  baseRev?: string;
}

/** The base spec: as given, or the revision's path at the last release tag. */
export function resolveBase(i: Pick<ReleaseNotesInputs, 'base' | 'revision' | 'tag'>, cwd: string): ResolvedBase {
  const given = i.base?.trim();
  if (given) return { base: given, baseRev: gitRevOf(given) };
  const tag = lastReleaseTag(cwd, i.tag?.trim() || undefined);
  return { base: `${tag}:${specPath(i.revision.trim())}`, baseRev: tag };
}

function infoVersion(spec: Spec): { value?: string; location?: Location } {
  const info = (spec.root.value as { info?: { version?: unknown } } | undefined)?.info;
  const v = info?.version;
  if (v === undefined || v === null) return {};
  const line = spec.root.lines([['info', 'version']])[0];
  return { value: String(v), location: line === undefined ? { file: spec.root.name } : { file: spec.root.name, line } };
}

/** Parse inputs, diff the specs with the breaking engine, check the version, list pull requests, render notes. */
export async function runReleaseNotes(i: ReleaseNotesInputs): Promise<ReleaseNotesResult> {
  if (!i.revision?.trim()) throw new InputError('revision: required (a spec file or REV:path)', { field: 'revision' });
  const cwd = i.cwd ?? process.cwd();
  const today = i.today ?? new Date();
  const failOn = parseFailOn(i.failOn);
  const date = parseDay(i.date, 'date') ?? today.toISOString().slice(0, 10);
  const rolloutDate = parseDay(i.rolloutDate, 'rollout-date');
  const tag = i.tag?.trim() || undefined;
  let version = i.version?.trim() ? requireVersion(i.version, 'version') : undefined;
  if (!version && tag) version = parseVersion(tag);
  if (tag && i.version?.trim() && parseVersion(tag) && parseVersion(tag)!.text !== version!.text) {
    throw new InputError(`tag: '${tag}' names another version than version: '${i.version}'`, { field: 'tag' });
  }
  const previousGiven = i.previousVersion?.trim() ? requireVersion(i.previousVersion, 'previous-version').text : undefined;
  // By default pull requests are listed when there is a repository and a token to read it with.
  const pullsAsked = !(i.pullRequests === undefined || i.pullRequests === '');
  let withPulls = pullsAsked ? parseBool(i.pullRequests, 'pull-requests') : !!i.repository?.trim() && !!i.token;
  if (!pullsAsked && i.repository?.trim() && !i.token) i.log?.('pull requests: not listed (no token to read them with)');
  if (withPulls && !i.repository?.trim()) throw new InputError('pull-requests: true needs repository (owner/name)', { field: 'repository' });
  const since = i.since?.trim() ? i.since.trim() : undefined;
  if (since && Number.isNaN(Date.parse(since))) throw new InputError(`since: '${since}' is not a date (ISO 8601, e.g. 2026-01-31 or 2026-01-31T12:00:00Z)`, { field: 'since' });

  const { base: baseSource, baseRev } = resolveBase(i, cwd);
  if (withPulls && !since && !baseRev) {
    if (pullsAsked) throw new InputError('since: needed to list pull requests when base is a file (or pass base as TAG:path)', { field: 'since' });
    i.log?.('pull requests: not listed (base is a file, so there is no release tag to date them from; pass since)');
    withPulls = false;
  }
  const base = loadSpec(baseSource, { cwd });
  const rev = loadSpec(i.revision.trim(), { cwd });
  const diff = compareSpecs(base, rev, { cwd, today, failOn: 'never' });
  const changelog = buildChangelog(diff, base, rev, today);

  const revVersion = infoVersion(rev);
  const check = checkVersion({
    advice: diff.semver,
    breakingCount: changelog.breaking.length,
    version,
    previous: previousGiven ?? changelog.baseVersion,
    previousFrom: previousGiven ? 'option' : 'base spec',
    revisionVersion: revVersion.value,
    revisionLocation: revVersion.location,
  });

  let pulls: PullSummary | undefined;
  if (withPulls) {
    const { owner, repo } = parseRepo(i.repository, 'repository');
    let from = since;
    if (!from) from = tagDate(baseRev!, cwd);
    const gh: GitHubClient = createGitHubClient({ token: i.token ?? '', baseUrl: i.apiUrl, log: i.log, ...i.client });
    const listed = await listMergedPulls(gh, owner, repo, from);
    pulls = summarizePulls(listed.pulls, from, listed.truncated);
  }

  const shownVersion = check.version ?? check.suggestedVersion;
  const notes = renderNotes({
    changelog,
    version: shownVersion,
    previousVersion: check.previousVersion,
    date,
    rolloutDate,
    pulls,
    base: base.root.name,
    revision: rev.root.name,
  });
  const findings = sortFindings(check.findings);
  const result: ReleaseNotesResult = {
    gate: 'release-notes',
    verdict: verdictFor(findings, failOn),
    semver: diff.semver,
    date,
    base: base.root.name,
    revision: rev.root.name,
    findings,
    changelog,
    notes,
    metrics: {
      'breaking-changes': changelog.breaking.length,
      deprecations: changelog.deprecations.length,
      'new-operations': changelog.newOperations.length,
      'other-changes': changelog.other.length + changelog.mayAffect.length,
      ...(pulls ? { 'merged-pull-requests': pulls.total } : {}),
    },
  };
  if (check.version) result.version = check.version;
  if (check.previousVersion) result.previousVersion = check.previousVersion;
  if (check.suggestedVersion) result.suggestedVersion = check.suggestedVersion;
  if (tag) result.tag = tag;
  if (rolloutDate) result.rolloutDate = rolloutDate;
  if (pulls) result.pulls = pulls;
  return result;
}
