import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Finding } from '../kit/result.js';
import { lifecycleMarkdown } from '../lifecycle/report.js';
import { runLifecycle } from '../lifecycle/run.js';
import { publishResult, runAction } from './lib/report.js';

/** The lifecycle gate as a step: one spec judged against today → annotations, summary, outputs. */
export function runLifecycleAction(): Promise<void> {
  return runAction(async () => {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const cwd = path.resolve(workspace, core.getInput('working-directory') || '.');
    const result = runLifecycle({
      spec: core.getInput('spec'),
      today: core.getInput('today'),
      warnDays: core.getInput('warn-days'),
      failOn: core.getInput('fail-on'),
      cwd,
    });
    await publishResult(result, {
      title: 'API lifecycle (sunset enforcement)',
      resultFile: core.getInput('result-file'),
      sarifFile: core.getInput('sarif-file'),
      extraSummary: lifecycleMarkdown(result),
      annotationFinding: (f) => workspaceRelative(f, cwd, workspace),
    });
    return result.verdict;
  });
}

/**
 * Annotations need paths from the repository root. A spec read from git (`REV:path`) is annotated
 * on the checked-out file without a line: the line belongs to that revision, so the message names it.
 */
function workspaceRelative(f: Finding, cwd: string, workspace: string): Finding {
  if (!f.location) return f;
  let { file, line } = f.location;
  let message = f.message;
  const git = existsSync(path.resolve(cwd, file)) ? null : /^([^:]{2,}):(.+)$/.exec(file);
  if (git) {
    file = git[2]!;
    if (line !== undefined) message = `${message} (at line ${line} of ${git[1]})`;
    line = undefined;
  }
  const rel = path.relative(workspace, path.resolve(cwd, file)).split(path.sep).join('/');
  return { ...f, message, location: { file: rel, ...(line !== undefined ? { line } : {}) } };
}
