import { compareSpecs, type Semver } from '../breaking/engine.js';
import { loadSpec, type Spec } from '../breaking/spec/load.js';
import { InputError } from '../kit/errors.js';
import { parseBool, parseFailOn } from '../kit/inputs.js';
import { sortFindings, verdictFor, type GateResult, type Location } from '../kit/result.js';
import { buildChangelog, type ApiChangelog } from './changelog.js';
import { lastReleaseTag, tagDate } from './git.js';
import { parseRepo } from './github.js';
import { createGitHubClient, type GitHubClient, type GitHubClientOptions } from '../kit/github-client.js';
import { renderNotes } from './notes.js';
import { listMergedPulls, summarizePulls, type PullSummary } from './pulls.js';
import { parseDay } from './dates.js';
import { checkVersion, parseTag, requiredBump, requireVersion, suggestVersion, type ReleaseTag } from './version.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

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
  /** No earlier release tag: compared with an API without operations. */
  firstRelease?: boolean;
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
  /** Undefined for a first release: there is nothing to compare with. */
  base?: string;
  /** The tag (or revision) the base was read from, when it came from git. */
  baseRev?: string;
  /** The base revision read as a release tag (`v1.4.0`, `api/v1.4.0`): its version is the previous version. */
  baseTag?: ReleaseTag;
}

/** The base spec: as given, or the revision's path at the last release tag (none: a first release). */
export function resolveBase(i: Pick<ReleaseNotesInputs, 'base' | 'revision' | 'tag' | 'version'>, cwd: string): ResolvedBase {
  const given = i.base?.trim();
  if (given) {
    const rev = gitRevOf(given);
    const tag = rev ? parseTag(rev) : undefined;
    return { base: given, baseRev: rev, ...(tag ? { baseTag: tag } : {}) };
  }
  const release = i.tag?.trim() || (i.version?.trim() ? `v${i.version.trim().replace(/^v/, '')}` : undefined);
  const tag = lastReleaseTag(cwd, release);
  if (!tag) return {};
  return { base: `${tag.tag}:${specPath(i.revision.trim())}`, baseRev: tag.tag, baseTag: tag };
}

/**
 * The base of a first release: the revision with no operations (its info, servers, security and
 * security schemes kept, so only the operations show as new). Written to a temporary file and loaded.
 */
function emptyBase(rev: Spec, cwd: string): Spec {
  const v = (rev.root.value ?? {}) as Record<string, unknown>;
  const base: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(v)) {
    if (k === 'paths' || k === 'webhooks' || k === 'components' || k === 'swagger') continue;
    base[k] = val;
  }
  base.openapi = typeof v.openapi === 'string' ? v.openapi : '3.0.3';
  base.info = { ...((v.info as object | undefined) ?? {}), version: '0.0.0' };
  base.paths = {};
  const schemes = (v.components as { securitySchemes?: unknown } | undefined)?.securitySchemes;
  if (schemes && !JSON.stringify(schemes).includes('"$ref"')) base.components = { securitySchemes: schemes };
  const dir = mkdtempSync(path.join(tmpdir(), 'release-notes-first-'));
  try {
    const file = path.join(dir, 'no-earlier-release.json');
    writeFileSync(file, JSON.stringify(base));
    return loadSpec(file, { cwd });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  // `v2.0.0`, `2.0.0` and, in a monorepo, `api/v2.0.0` all name version 2.0.0.
  const tagged = tag ? parseTag(tag) : undefined;
  let version = i.version?.trim() ? requireVersion(i.version, 'version') : undefined;
  if (!version && tagged) version = tagged.version;
  if (tagged && i.version?.trim() && tagged.version.text !== version!.text) {
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

  const { base: baseSource, baseRev, baseTag } = resolveBase(i, cwd);
  const first = baseSource === undefined;
  if (first) {
    const which = tagged?.prefix ? `'${tagged.prefix}'-prefixed version tags` : 'version tags (v1.2.3 or 1.2.3)';
    i.log?.(`base: no earlier release found among the ${which} reachable from HEAD: this is the first release, so every operation is new (pass base to compare with something else)`);
  }
  if (withPulls && !since && !baseRev && !first) {
    if (pullsAsked) throw new InputError('since: needed to list pull requests when base is a file (or pass base as TAG:path)', { field: 'since' });
    i.log?.('pull requests: not listed (base is a file, so there is no release tag to date them from; pass since)');
    withPulls = false;
  }
  const rev = loadSpec(i.revision.trim(), { cwd });
  const base = first ? emptyBase(rev, cwd) : loadSpec(baseSource, { cwd });
  const baseName = first ? '(no earlier release)' : base.root.name;
  const diff = compareSpecs(base, rev, { cwd, today, failOn: 'never' });
  const changelog = buildChangelog(diff, base, rev, today);
  if (first) {
    changelog.baseVersion = undefined;
    for (const d of changelog.deprecations) d.newInRelease = true;
  }

  const revVersion = infoVersion(rev);
  const check = checkVersion({
    advice: diff.semver,
    breakingCount: changelog.breaking.length,
    version,
    // The base tag says which version was released; a spec whose info.version nobody bumps does not.
    previous: previousGiven ?? baseTag?.version.text ?? changelog.baseVersion,
    previousFrom: previousGiven ? 'option' : baseTag ? 'base tag' : 'base spec',
    revisionVersion: revVersion.value,
    revisionLocation: revVersion.location,
  });

  let pulls: PullSummary | undefined;
  if (withPulls) {
    const { owner, repo } = parseRepo(i.repository, 'repository');
    let from = since;
    // A first release: every pull request merged so far (up to the listing's limit).
    if (!from) from = first ? new Date(0).toISOString() : tagDate(baseRev!, cwd);
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
    base: baseName,
    revision: rev.root.name,
    firstRelease: first,
  });
  if (first) {
    check.findings.push({
      id: 'first-release',
      level: 'info',
      message: `No earlier release tag was found, so this is the first release: every operation is new${version && !previousGiven ? ' and the version is not checked against a previous one' : ''}.`,
    });
  }
  // A pull request marked breaking (`feat!:`, label `breaking`) in a release that is not major:
  // the spec may not show everything a client depends on.
  const breakingPulls = pulls?.groups.find((g) => g.title === 'Breaking changes')?.pulls ?? [];
  const prev = check.previousVersion ? parseTag(check.previousVersion)?.version : undefined;
  const rank = { none: 0, patch: 1, minor: 2, major: 3 } as const;
  // When the spec itself shows a breaking change, version-bump-too-small already says it.
  if (breakingPulls.length && prev && check.bump && check.bump !== 'none' && !changelog.breaking.length && rank[check.bump] < rank[requiredBump(prev, 'major')]) {
    const many = breakingPulls.length > 1;
    check.findings.push({
      id: 'breaking-pull-request',
      level: 'warning',
      message:
        `${check.previousVersion} → ${check.version} is a ${check.bump} release, but pull request${many ? 's' : ''} ` +
        `${breakingPulls.map((p) => `#${p.number} '${p.title}'`).join(', ')} ${many ? 'are' : 'is'} marked breaking ` +
        `(title with '!:' or a breaking label) while the spec diff shows no breaking change: check what breaks for clients, or release ${suggestVersion(prev, 'major')}.`,
      data: { pulls: breakingPulls.map((p) => p.number) },
    });
  }
  const findings = sortFindings(check.findings);
  const result: ReleaseNotesResult = {
    gate: 'release-notes',
    verdict: verdictFor(findings, failOn),
    semver: diff.semver,
    date,
    base: baseName,
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
  if (first) result.firstRelease = true;
  return result;
}
