import * as core from '@actions/core';
import path from 'node:path';
import { lifecycleMarkdown } from '../lifecycle/report.js';
import { runLifecycle } from '../lifecycle/run.js';
import { publishResult, runAction } from './lib/report.js';
import { workspaceRelative } from './lib/annotation-paths.js';

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

