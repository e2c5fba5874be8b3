import * as core from '@actions/core';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { designMarkdown } from '../design/report.js';
import { runDesign } from '../design/run.js';
import type { Finding } from '../kit/result.js';
import { publishResult, runAction } from './lib/report.js';

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
