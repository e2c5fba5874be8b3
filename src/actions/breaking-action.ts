import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runBreaking } from '../breaking/run.js';
import { formatMarkdown } from '../kit/format/markdown.js';
import type { Finding } from '../kit/result.js';
import { upsertPrComment } from './lib/pr-comment.js';
import { publishResult, runAction } from './lib/report.js';

/** The breaking gate as a step: inputs → core → annotations, summary, outputs, optional PR comment. */
export function runBreakingAction(): Promise<void> {
  return runAction(async () => {
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
      annotationFinding: (f) => annotationFinding(f, cwd, workspace),
    });
    core.setOutput('semver', result.semver);
    return result.verdict;
  });
}

/**
 * Annotations need paths from the repository root. A finding located in a `REV:path` source (the
 * base read from git, for removals) is annotated on the checked-out file without a line: its line
 * number belongs to the other version, so the message names it instead.
 */
function annotationFinding(f: Finding, cwd: string, workspace: string): Finding {
  if (!f.location) return f;
  let file = f.location.file;
  let { line, column } = f.location;
  let message = f.message;
  if (!existsSync(path.resolve(cwd, file))) {
    const m = /^([^:]{2,}):(.+)$/.exec(file);
    if (m) {
      file = m[2]!;
      if (line !== undefined) message = `${message} (at line ${line} of ${m[1]})`;
      line = undefined;
      column = undefined;
    }
  }
  const rel = path.relative(workspace, path.resolve(cwd, file)).split(path.sep).join('/');
  const location = { file: rel, ...(line !== undefined ? { line } : {}), ...(column !== undefined ? { column } : {}) };
  return { ...f, message, location };
}
