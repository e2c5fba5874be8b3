import * as core from '@actions/core';
import path from 'node:path';
import { coverageMarkdown } from '../conformance/report.js';
import { runConformanceGate } from '../conformance/run.js';
import { publishResult, runAction } from './lib/report.js';
import { workspaceRelative } from './lib/annotation-paths.js';

/** The conformance gate as a step: inputs → requests against the API → annotations, summary with coverage, outputs. */
export function runConformanceAction(): Promise<void> {
  return runAction(async () => {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const cwd = path.resolve(workspace, core.getInput('working-directory') || '.');
    const headers = core.getMultilineInput('headers');
    for (const h of headers) {
      const value = h.slice(h.indexOf(':') + 1).trim();
      if (value) core.setSecret(value);
    }
    const result = await runConformanceGate({
      openapi: core.getInput('openapi'),
      baseUrl: core.getInput('base-url'),
      mode: core.getInput('mode'),
      seed: core.getInput('seed'),
      casesPerOperation: core.getInput('cases'),
      maxRequests: core.getInput('max-requests'),
      concurrency: core.getInput('concurrency'),
      timeout: core.getInput('timeout'),
      requestTimeout: core.getInput('request-timeout'),
      maxResponseTime: core.getInput('max-response-time'),
      headers,
      stateful: core.getInput('stateful'),
      showSecrets: core.getInput('show-secrets'),
      include: core.getInput('include'),
      skipChecks: core.getInput('skip-checks'),
      testPlan: core.getInput('test-plan'),
      failOn: core.getInput('fail-on'),
      cwd,
    });
    result.findings = result.findings.map((f) => workspaceRelative(f, cwd, workspace));
    await publishResult(result, {
      title: `API conformance (${result.mode})`,
      resultFile: core.getInput('result-file'),
      sarifFile: core.getInput('sarif-file'),
      extraSummary: coverageMarkdown(result),
    });
    core.setOutput('requests', String(result.metrics?.requests ?? 0));
    core.setOutput('checks-passed', String(result.metrics?.['checks passed'] ?? 0));
    core.setOutput('checks-failed', String(result.metrics?.['checks failed'] ?? 0));
    core.setOutput('seed', String(result.seed));
    return result.verdict;
  });
}

