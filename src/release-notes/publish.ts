import path from 'node:path';
import { loadSpec } from '../breaking/spec/load.js';
import { InputError } from '../kit/errors.js';
import { parseBool, readTextFile } from '../kit/inputs.js';
import { upsertChangelogFile, upsertChangelogText, type ChangelogAction } from './changelog-file.js';
import { parseConsumers, type ConsumersConfig } from './consumers.js';
import { parseDay } from './dates.js';
import { buildDocsSite, type DocsSite } from './docs-site.js';
import { parseRepo } from './github.js';
import { createGitHubClient, type GitHubClient } from '../kit/github-client.js';
import { renderNotes, releaseTitle } from './notes.js';
import { notifyConsumers, renderNotice, WEBHOOKS_SENT, webhooksSentMarker, type Notice, type NotifyOutcome, type WebhookOptions } from './notify.js';
import { markRelease, upsertRelease, type ReleaseOutcome } from './release.js';
import { updateRemoteFile } from './remote-file.js';
import { runReleaseNotes, type ReleaseNotesInputs, type ReleaseNotesResult } from './run.js';
import { parseVersion } from './version.js';

export interface PublishInputs extends ReleaseNotesInputs {
  draft?: string | boolean;
  prerelease?: string | boolean;
  /** Release title; default "<API title> <version> (<date>)". */
  releaseName?: string;
  /** Commit or branch a missing tag is created from. */
  target?: string;
  /** CHANGELOG.md path (relative to cwd); empty: leave it alone. */
  changelog?: string;
  /** Also commit the CHANGELOG.md entry to this branch through the API (the checkout may be a tag). */
  changelogBranch?: string;
  /** Directory for the GitHub Pages site; empty: no site. */
  docsDir?: string;
  docsUrl?: string;
  /** Consumers file (YAML); empty: nobody to notify. */
  consumers?: string;
  /** Token for the consumers' repositories (the workflow's own token cannot open issues elsewhere); default: token. */
  consumerToken?: string;
  dryRun?: string | boolean;
  env?: Record<string, string | undefined>;
  webhook?: WebhookOptions;
}

export interface PublishReport {
  dryRun: boolean;
  tag: string;
  release?: ReleaseOutcome | { action: 'would create or update'; name: string; draft: boolean; prerelease: boolean; body: string };
  changelog?: { file: string; action: ChangelogAction; branch?: { name: string; action: 'committed' | 'unchanged' | 'would commit' } };
  docs?: DocsSite;
  notice?: Notice;
  notifications: NotifyOutcome[];
  /** Why nothing was published (the version check failed). */
  skipped?: string;
}

export interface PublishResult extends ReleaseNotesResult {
  publish: PublishReport;
}

/**
 * Notes, then (only when the gate passes) the GitHub Release by tag, CHANGELOG.md, the docs site and
 * the consumer notices. Every step finds its earlier output again, so a re-run updates and never
 * duplicates. A dry run sends and commits nothing: it returns what it would publish.
 */
export async function publishRelease(i: PublishInputs): Promise<PublishResult> {
  const cwd = i.cwd ?? process.cwd();
  const dryRun = parseBool(i.dryRun, 'dry-run');
  const draft = parseBool(i.draft, 'draft');
  const prereleaseAsked = parseBool(i.prerelease, 'prerelease');
  const env = i.env ?? process.env;
  // Check every input before anything is sent.
  const repo = i.repository?.trim() ? parseRepo(i.repository, 'repository') : undefined;
  if (!repo && !dryRun) throw new InputError('repository: required to publish (owner/name); or use --dry-run', { field: 'repository' });
  if (!dryRun && !i.token) throw new InputError('github-token: required to publish; or use --dry-run', { field: 'github-token' });
  let consumers: ConsumersConfig | undefined;
  if (i.consumers?.trim()) {
    const file = path.resolve(cwd, i.consumers.trim());
    consumers = parseConsumers(readTextFile(file, 'consumers'), i.consumers.trim(), env);
  }
  if (i.changelogBranch?.trim() && !i.changelog?.trim()) throw new InputError('changelog-branch: needs changelog (the file path)', { field: 'changelog-branch' });
  parseDay(i.rolloutDate, 'rollout-date');

  const rolloutDate = i.rolloutDate?.trim() || consumers?.rolloutDate;
  const notes = await runReleaseNotes({ ...i, rolloutDate });
  const version = notes.version;
  if (!version) throw new InputError('version: required to publish (give version, or a tag such as v2.0.0)', { field: 'version' });
  const tag = i.tag?.trim() || `v${version}`;
  // A semver pre-release (2.0.0-rc.1) is published as a GitHub pre-release, so it never becomes "Latest".
  const prerelease = prereleaseAsked || (parseVersion(version)?.prerelease.length ?? 0) > 0;
  const report: PublishReport = { dryRun, tag, notifications: [] };
  const result: PublishResult = { ...notes, tag, publish: report };
  if (notes.verdict === 'fail') {
    report.skipped = `Nothing published: version ${version} does not agree with the API changes (see the findings).`;
    return result;
  }

  const gh: GitHubClient | undefined = i.token ? createGitHubClient({ token: i.token, baseUrl: i.apiUrl, log: i.log, ...i.client }) : undefined;
  const name = i.releaseName?.trim() || releaseTitle({ changelog: notes.changelog, version, date: notes.date });
  const releaseBody = renderNotes(
    {
      changelog: notes.changelog,
      version,
      previousVersion: notes.previousVersion,
      date: notes.date,
      rolloutDate,
      pulls: notes.pulls,
      base: notes.base,
      revision: notes.revision,
      firstRelease: notes.firstRelease,
    },
    { title: false },
  );

  if (dryRun || !gh || !repo) report.release = { action: 'would create or update', name, draft, prerelease, body: releaseBody };
  else report.release = await upsertRelease(gh, { ...repo, tag, name, body: releaseBody, draft, prerelease, target: i.target?.trim() || undefined });

  let changelogMarkdown = notes.notes;
  if (i.changelog?.trim()) {
    const file = path.resolve(cwd, i.changelog.trim());
    const r = upsertChangelogFile(file, version, notes.notes, dryRun);
    changelogMarkdown = r.text;
    const rel = path.relative(cwd, file);
    if (r.existingLine) {
      i.log?.(`changelog: ${rel || file}:${r.existingLine} already has a section for ${version} that this tool did not write: left as it is, no second entry (remove it to let the notes take its place)`);
    }
    report.changelog = { file: rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file, action: r.action };
    const branch = i.changelogBranch?.trim();
    if (branch) {
      if (dryRun || !gh || !repo) report.changelog.branch = { name: branch, action: 'would commit' };
      else {
        const remotePath = path.relative(cwd, file).split(path.sep).join('/');
        const c = await updateRemoteFile(gh, { ...repo, path: remotePath, branch, message: `docs(changelog): ${notes.changelog.title} ${version}` }, (cur) =>
          upsertChangelogText(cur, version, notes.notes).text,
        );
        report.changelog.branch = { name: branch, action: c.action };
      }
    }
  }

  if (i.docsDir?.trim()) {
    const spec = loadSpec(i.revision.trim(), { cwd });
    report.docs = buildDocsSite({
      outDir: path.resolve(cwd, i.docsDir.trim()),
      title: notes.changelog.title,
      version,
      spec: spec.root.value,
      changelogMarkdown,
    });
  }

  if (consumers) {
    const releaseUrl = report.release && 'url' in report.release ? report.release.url : undefined;
    const notice = renderNotice({
      changelog: notes.changelog,
      version,
      source: repo ? `${repo.owner}/${repo.repo}` : notes.changelog.title,
      rolloutDate,
      releaseUrl,
      docsUrl: i.docsUrl?.trim() || undefined,
    });
    report.notice = notice;
    const needsGitHub = !dryRun && consumers.consumers.some((c) => c.repo);
    const consumerToken = i.consumerToken?.trim() || i.token;
    if (needsGitHub && !consumerToken) throw new InputError('consumer-token: required to open issues in consumer repositories', { field: 'consumer-token' });
    const consumerGh = needsGitHub
      ? i.consumerToken?.trim()
        ? createGitHubClient({ token: i.consumerToken.trim(), baseUrl: i.apiUrl, log: i.log, ...i.client })
        : gh
      : undefined;
    const release = report.release && 'id' in report.release ? report.release : undefined;
    const sentBefore = release?.previousBody?.split('\n').find((l) => l.startsWith(WEBHOOKS_SENT));
    report.notifications = await notifyConsumers(consumers.consumers, notice, { gh: consumerGh, dryRun, webhook: i.webhook, sentBefore });
    // Record in the release that these webhooks went out, so a re-run does not send them again.
    if (release && repo && gh && consumers.consumers.some((c) => c.webhook)) await markRelease(gh, { ...repo, tag }, release, WEBHOOKS_SENT, webhooksSentMarker(notice));
  }
  return result;
}
