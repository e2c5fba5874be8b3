import * as core from '@actions/core';
import path from 'node:path';
import { asvsMarkdown } from '../asvs/report.js';
import { runAsvs } from '../asvs/run.js';
import { publishResult, runAction } from './lib/report.js';
import { workspaceRelative } from './lib/annotation-paths.js';

/** The asvs gate as a step: checklist verification and/or live probes → annotations, summary, outputs. */
export function runAsvsAction(): Promise<void> {
  return runAction(async () => {
    const token = core.getInput('token');
    if (token) core.setSecret(token);
    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const cwd = path.resolve(workspace, core.getInput('working-directory') || '.');
    const result = await runAsvs({
      mode: core.getInput('mode'),
      checklist: core.getInput('checklist'),
      level: core.getInput('level'),
      version: core.getInput('version'),
      allowTodo: core.getInput('allow-todo'),
      base: core.getInput('base-ref'),
      catalog: core.getInput('catalog'),
      openapi: core.getInput('openapi'),
      baseUrl: core.getInput('base-url'),
      token,
      probes: core.getInput('probes'),
      rateLimitOperation: core.getInput('rate-limit-operation'),
      rateLimitMax: core.getInput('rate-limit-max'),
      rateLimitConcurrency: core.getInput('rate-limit-concurrency'),
      timeout: core.getInput('timeout'),
      maxDuration: core.getInput('max-duration'),
      failOn: core.getInput('fail-on'),
      cwd,
      root: cwd,
    });
    result.findings = result.findings.map((f) => workspaceRelative(f, cwd, workspace));
    await publishResult(result, {
      title: 'OWASP ASVS',
      resultFile: core.getInput('result-file'),
      sarifFile: core.getInput('sarif-file'),
      extraSummary: asvsMarkdown(result),
    });
    const m = result.metrics ?? {};
    core.setOutput('coverage', m['coverage %'] === undefined ? '' : String(m['coverage %']));
    core.setOutput('rate-limited-at', m['rate limited at request'] === undefined ? '' : String(m['rate limited at request']));
    return result.verdict;
  });
}

