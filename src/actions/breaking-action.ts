import * as core from '@actions/core';
import path from 'node:path';
import { runBreaking } from '../breaking/run.js';
import { formatMarkdown } from '../kit/format/markdown.js';
import { upsertPrComment } from './lib/pr-comment.js';
import { publishResult, runAction } from './lib/report.js';
import { workspaceRelative } from './lib/annotation-paths.js';
import { parseBool } from '../kit/inputs.js';

/** The breaking gate as a step: inputs → core → annotations, summary, outputs, optional PR comment. */
export function runBreakingAction(): Promise<void> {
  let annotate = true;
  return runAction(async () => {
    annotate = parseBool(core.getInput('annotations') || 'true', 'annotations');
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const cwd = path.resolve(workspace, core.getInput('working-directory') || '.');
    const result = runBreaking({
      base: core.getInput('base'),
      revision: core.getInput('revision'),
      failOn: core.getInput('fail-on'),
      matchPath: core.getInput('match-path'),
      unmatchPath: core.getInput('unmatch-path'),
      severityLevels: core.getInput('severity-levels'),
      ignore: core.getInput('ignore'),
      deprecationDaysBeta: core.getInput('deprecation-days-beta'),
      deprecationDaysStable: core.getInput('deprecation-days-stable'),
      includePathParams: core.getInput('include-path-params'),
      allowExternalRefs: core.getInput('allow-external-refs'),
      maxSpecSize: core.getInput('max-spec-size'),
      cwd,
    });
    const advice = `Compared \`${result.base}\` → \`${result.revision}\`. Advised version bump: **${result.semver}**.`;
    let note: string | undefined;
    if ((core.getInput('comment') || 'false').toLowerCase() === 'true') {
      const token = core.getInput('github-token');
      if (!token) core.warning('comment: true needs github-token; no PR comment posted.');
      else {
        const body = `${formatMarkdown(result, { title: 'API breaking changes', maxBytes: 60000 })}\n${advice}\n`;
        note = await upsertPrComment(token, `api-delivery:breaking:${core.getInput('comment-id') || 'default'}`, body);
      }
    }
    await publishResult(result, {
      title: 'API breaking changes',
      resultFile: core.getInput('result-file'),
      sarifFile: core.getInput('sarif-file'),
      extraSummary: [advice, note].filter(Boolean).join('\n\n'),
      annotationFinding: (f) => workspaceRelative(f, cwd, workspace),
      annotate,
    });
    core.setOutput('semver', result.semver);
    return result.verdict;
  }, () => annotate);
}

