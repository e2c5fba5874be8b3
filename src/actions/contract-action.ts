import * as core from '@actions/core';
import * as github from '@actions/github';
import path from 'node:path';
import { ciContextFromEnv } from '../contract/git-context.js';
import type { ContractResult } from '../contract/model.js';
import { parseHeaders, parseMode, runContract } from '../contract/run.js';
import { contractSummary } from '../contract/summary.js';
import { publishResult, runAction } from './lib/report.js';
import { workspaceRelative } from './lib/annotation-paths.js';

const TITLES: Record<string, string> = {
  consumer: 'Contract tests: consumer pacts',
  provider: 'Contract tests: provider verification',
  compare: 'Contract tests: pacts vs OpenAPI',
  'can-i-deploy': 'Contract tests: can-i-deploy',
  'record-deployment': 'Contract tests: record deployment',
};

/** The contract gate as a step: mode → core → annotations, summary (interactions, matrix), outputs. */
export function runContractAction(): Promise<void> {
  return runAction(async () => {
    // Secrets first, so that no later log line (or error) can show them.
    for (const secret of [core.getInput('broker-token'), core.getInput('broker-password')]) if (secret) core.setSecret(secret);
    const headers = core.getInput('provider-headers');
    for (const value of Object.values(parseHeaders(headers))) if (value) core.setSecret(value);

    const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
    const cwd = path.resolve(workspace, core.getInput('working-directory') || '.');
    const mode = parseMode(core.getInput('mode'));
    const headSha = (github.context.payload.pull_request as { head?: { sha?: string } } | undefined)?.head?.sha;
    const result = (await runContract(mode, {
      failOn: core.getInput('fail-on'),
      cwd,
      env: process.env,
      ci: ciContextFromEnv(process.env, headSha),
      log: (line) => core.info(line),
      pactFiles: core.getInput('pact-files'),
      openapi: core.getInput('openapi'),
      consumerCommand: core.getInput('consumer-command'),
      commandTimeout: core.getInput('command-timeout'),
      brokerUrl: core.getInput('broker-url'),
      brokerToken: core.getInput('broker-token'),
      brokerUsername: core.getInput('broker-username'),
      brokerPassword: core.getInput('broker-password'),
      brokerTimeout: core.getInput('broker-timeout'),
      pacticipant: core.getInput('pacticipant'),
      version: core.getInput('version'),
      branch: core.getInput('branch'),
      tags: core.getInput('tags'),
      buildUrl: core.getInput('build-url'),
      provider: core.getInput('provider'),
      providerUrl: core.getInput('provider-url'),
      providerCommand: core.getInput('provider-command'),
      readyUrl: core.getInput('ready-url'),
      readyTimeout: core.getInput('ready-timeout'),
      consumerVersionSelectors: core.getInput('consumer-version-selectors'),
      enablePending: core.getInput('enable-pending'),
      includeWipPactsSince: core.getInput('include-wip-pacts-since'),
      providerStatesUrl: core.getInput('provider-states-url'),
      stateHandlers: core.getInput('state-handlers'),
      providerHeaders: headers,
      providerMessagesUrl: core.getInput('provider-messages-url'),
      publishResults: core.getInput('publish-results'),
      pactInstall: core.getInput('pact-install'),
      pactCacheDir: core.getInput('pact-cache-dir'),
      toEnvironment: core.getInput('to-environment'),
      ignore: core.getInput('ignore'),
      retryWhileUnknown: core.getInput('retry-while-unknown'),
      retryInterval: core.getInput('retry-interval'),
      applicationInstance: core.getInput('application-instance'),
    })) as ContractResult & { log?: string };

    if (result.log) {
      core.startGroup('Pact verifier output');
      core.info(result.log);
      core.endGroup();
      delete result.log;
    }
    result.findings = result.findings.map((f) => workspaceRelative(f, cwd, workspace));
    await publishResult(result, {
      title: TITLES[result.mode] ?? 'Contract tests',
      resultFile: core.getInput('result-file'),
      sarifFile: core.getInput('sarif-file'),
      extraSummary: contractSummary(result),
    });
    core.setOutput('deployable', result.mode === 'can-i-deploy' ? (result.deployable === true ? 'true' : result.deployable === false ? 'false' : 'unknown') : '');
    core.setOutput('interaction-count', String(result.interactions.length));
    core.setOutput('failed-interaction-count', String(result.interactions.filter((i) => i.result === 'fail').length));
    return result.verdict;
  });
}

