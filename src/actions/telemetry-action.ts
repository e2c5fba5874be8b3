import * as core from '@actions/core';
import path from 'node:path';
import { telemetryMarkdown } from '../telemetry/report.js';
import { runTelemetry } from '../telemetry/run.js';
import { publishResult, runAction } from './lib/report.js';

/** The telemetry gate as a step: Prometheus queries judged against a budget → summary table, annotations, outputs. */
export function runTelemetryAction(): Promise<void> {
  return runAction(async () => {
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const cwd = path.resolve(workspace, core.getInput('working-directory') || '.');
    const token = core.getInput('token');
    const basicAuth = core.getInput('basic-auth');
    const headers = core.getInput('headers');
    // Mask credentials before anything can print them.
    if (token) core.setSecret(token);
    if (basicAuth) {
      core.setSecret(basicAuth);
      const password = basicAuth.slice(basicAuth.indexOf(':') + 1);
      if (password) core.setSecret(password);
    }
    for (const line of headers.split('\n')) {
      const value = line.slice(line.indexOf(':') + 1).trim();
      if (line.includes(':') && value) core.setSecret(value);
    }
    const result = await runTelemetry(
      {
        prometheusUrl: core.getInput('prometheus-url'),
        token,
        basicAuth,
        headers: [headers],
        checks: core.getInput('checks'),
        checksFile: core.getInput('checks-file'),
        window: core.getInput('window'),
        selector: core.getInput('selector'),
        by: core.getInput('by'),
        requestsMetric: core.getInput('requests-metric'),
        statusLabel: core.getInput('status-label'),
        errorStatus: core.getInput('error-status'),
        durationMetric: core.getInput('duration-metric'),
        durationUnit: core.getInput('duration-unit'),
        deployedAt: core.getInput('deployed-at'),
        wait: core.getInput('wait'),
        at: core.getInput('at'),
        queryTimeout: core.getInput('query-timeout'),
        retries: core.getInput('retries'),
        noData: core.getInput('no-data'),
        failOn: core.getInput('fail-on'),
        cwd,
      },
      { onWait: (ms, until) => core.info(`Waiting ${Math.ceil(ms / 1000)} s for the release to settle (until ${new Date(until).toISOString()}).`) },
    );
    await publishResult(result, {
      title: 'Post-release telemetry',
      resultFile: core.getInput('result-file'),
      sarifFile: core.getInput('sarif-file'),
      extraSummary: telemetryMarkdown(result),
    });
    return result.verdict;
  });
}
