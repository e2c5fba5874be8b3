import * as core from '@actions/core';
import path from 'node:path';
import { flagsMarkdown } from '../flags/report.js';
import { parseMode, runFlagsCheck, runFlagsStale } from '../flags/run.js';
import { publishResult, runAction } from './lib/report.js';
import { workspaceRelative } from './lib/annotation-paths.js';

/**
 * The flags gate as a step. mode check: new operations of the revision name their feature flag, named
 * flags are declared; mode stale: the flags file judged against today. Annotations, summary, outputs.
 */
export function runFlagsAction(): Promise<void> {
  return runAction(async () => {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const cwd = path.resolve(workspace, core.getInput('working-directory') || '.');
    const mode = parseMode(core.getInput('mode'));
    const flags = core.getInput('flags');
    const failOn = core.getInput('fail-on');
    const result =
      mode === 'check'
        ? runFlagsCheck({ base: core.getInput('base'), revision: core.getInput('revision'), flags, failOn, cwd })
        : runFlagsStale({
            spec: core.getInput('spec'),
            flags,
            maxAgeDays: core.getInput('max-age-days'),
            cleanupDays: core.getInput('cleanup-days'),
            today: core.getInput('today'),
            failOn,
            cwd,
          });
    await publishResult(result, {
      title: mode === 'check' ? 'Feature flags for new operations' : 'Stale feature flags',
      resultFile: core.getInput('result-file'),
      sarifFile: core.getInput('sarif-file'),
      extraSummary: flagsMarkdown(result),
      annotationFinding: (f) => workspaceRelative(f, cwd, workspace),
    });
    core.setOutput('new-operations', String(result.newOperations?.length ?? 0));
    core.setOutput('stale-count', String(result.metrics?.['flags stale'] ?? 0));
    return result.verdict;
  });
}

