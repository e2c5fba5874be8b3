import * as core from '@actions/core';
import path from 'node:path';
import { designMarkdown } from '../design/report.js';
import { runDesign } from '../design/run.js';
import { publishResult, runAction } from './lib/report.js';
import { workspaceRelative } from './lib/annotation-paths.js';

/** The design gate as a step: design lint (+ Definition of Ready) → annotations, summary, outputs. */
export function runDesignAction(): Promise<void> {
  return runAction(async () => {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const cwd = path.resolve(workspace, core.getInput('working-directory') || '.');
    const result = runDesign({
      spec: core.getInput('spec'),
      prd: core.getInput('prd'),
      rules: core.getInput('rules'),
      failOn: core.getInput('fail-on'),
      cwd,
    });
    await publishResult(result, {
      title: 'API design lint and Definition of Ready',
      resultFile: core.getInput('result-file'),
      sarifFile: core.getInput('sarif-file'),
      extraSummary: designMarkdown(result),
      annotationFinding: (f) => workspaceRelative(f, cwd, workspace),
    });
    return result.verdict;
  });
}

