import * as core from '@actions/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { publishReport } from '../cli/release-notes.js';
import { parseBool } from '../kit/inputs.js';
import { publishRelease, type PublishResult } from '../release-notes/publish.js';
import { runReleaseNotes, type ReleaseNotesInputs, type ReleaseNotesResult } from '../release-notes/run.js';
import { publishResult, runAction } from './lib/report.js';
import { workspaceRelative } from './lib/annotation-paths.js';

/** The release-notes gate as a step: notes (and, with publish: true, the release, changelog, site, notices). */
export function runReleaseNotesAction(): Promise<void> {
  return runAction(async () => {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const cwd = path.resolve(workspace, core.getInput('working-directory') || '.');
    const publish = parseBool(core.getInput('publish'), 'publish');
    const token = core.getInput('github-token');
    if (token) core.setSecret(token);
    const consumerToken = core.getInput('consumer-token');
    if (consumerToken) core.setSecret(consumerToken);
    const inputs: ReleaseNotesInputs = {
      base: core.getInput('base'),
      revision: core.getInput('revision'),
      version: core.getInput('version'),
      previousVersion: core.getInput('previous-version'),
      tag: core.getInput('tag'),
      date: core.getInput('date'),
      rolloutDate: core.getInput('rollout-date'),
      failOn: core.getInput('fail-on'),
      repository: core.getInput('repository'),
      token,
      apiUrl: process.env.GITHUB_API_URL || undefined,
      since: core.getInput('since'),
      pullRequests: core.getInput('pull-requests'),
      cwd,
      log: (m) => core.info(m),
    };
    let result: ReleaseNotesResult | PublishResult;
    if (publish) {
      result = await publishRelease({
        ...inputs,
        dryRun: core.getInput('dry-run'),
        draft: core.getInput('draft'),
        prerelease: core.getInput('prerelease'),
        releaseName: core.getInput('release-name'),
        target: core.getInput('target') || process.env.GITHUB_SHA || undefined,
        changelog: core.getInput('changelog'),
        changelogBranch: core.getInput('changelog-branch'),
        docsDir: core.getInput('docs-dir'),
        docsUrl: core.getInput('docs-url'),
        consumers: core.getInput('consumers'),
        consumerToken,
      });
    } else {
      parseBool(core.getInput('dry-run'), 'dry-run');
      result = await runReleaseNotes(inputs);
    }
    result.findings = result.findings.map((f) => workspaceRelative(f, cwd, workspace));

    const notesFile = path.resolve(workspace, core.getInput('notes-file') || path.join(process.env.RUNNER_TEMP || '.', 'release-notes.md'));
    mkdirSync(path.dirname(notesFile), { recursive: true });
    writeFileSync(notesFile, result.notes);

    const p = 'publish' in result ? (result as PublishResult).publish : undefined;
    const advice = result.version
      ? `Release **${result.version}**${result.previousVersion ? ` after ${result.previousVersion}` : ''}; the changes call for a **${result.semver}** release.`
      : `Advised bump: **${result.semver}**${result.suggestedVersion ? ` (next version ${result.suggestedVersion})` : ''}.`;
    await publishResult(result, {
      title: 'API release notes',
      resultFile: core.getInput('result-file'),
      extraSummary: [advice, '---', result.notes, p ? publishReport(result as PublishResult) : ''].filter(Boolean).join('\n\n'),
    });
    core.setOutput('semver', result.semver);
    core.setOutput('version', result.version ?? result.suggestedVersion ?? '');
    core.setOutput('notes-file', notesFile);
    const rel = p?.release && 'url' in p.release ? p.release : undefined;
    core.setOutput('release-id', rel ? String(rel.id) : '');
    core.setOutput('release-url', rel ? rel.url : '');
    core.setOutput('docs-dir', p?.docs?.dir ?? '');
    if (p) for (const line of publishReport(result as PublishResult).split('\n').filter((l) => l.startsWith('- '))) core.info(line.slice(2));
    return result.verdict;
  });
}

