import { existsSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../kit/errors.js';
import { parseBool, parseFailOn, rejectDirectory } from '../kit/inputs.js';
import { verdictFor, type Finding } from '../kit/result.js';
import { BrokerClient, type BrokerConfig } from './broker/client.js';
import { canIDeploy, publishContracts, recordDeployment, type Notice } from './broker/operations.js';
import { comparePacts } from './compare.js';
import { runCommand } from './consumer.js';
import { versionInfo, type CiContext } from './git-context.js';
import type { ContractMode, ContractResult, InteractionRow } from './model.js';
import { listInput, readPacts } from './pact-sources.js';
import { defaultPactCacheDir, obtainPact } from './provider/pact-runtime.js';
import { verifyProvider, type ConsumerVersionSelector } from './provider/verify.js';

export const MODES: readonly ContractMode[] = ['consumer', 'provider', 'compare', 'can-i-deploy'];
export const ALL_MODES = [...MODES, 'record-deployment'] as const;
export type RunMode = (typeof ALL_MODES)[number];

/** Every input of every mode, as strings: the way the CLI and the action both receive them. */
export interface ContractInputs {
  failOn?: string;
  cwd?: string;
  /** Environment for child processes and defaults (process.env in the adapters). */
  env?: Record<string, string | undefined>;
  /** What the CI run knows (commit, branches, build URL). */
  ci?: CiContext;
  log?: (line: string) => void;

  pactFiles?: string | string[];
  openapi?: string;

  consumerCommand?: string;
  commandTimeout?: string;

  brokerUrl?: string;
  brokerToken?: string;
  brokerUsername?: string;
  brokerPassword?: string;
  brokerTimeout?: string;
  pacticipant?: string;
  version?: string;
  branch?: string;
  tags?: string;
  buildUrl?: string;

  provider?: string;
  providerUrl?: string;
  providerCommand?: string;
  readyUrl?: string;
  readyTimeout?: string;
  consumerVersionSelectors?: string;
  enablePending?: string | boolean;
  includeWipPactsSince?: string;
  providerStatesUrl?: string;
  stateHandlers?: string;
  providerHeaders?: string;
  providerMessagesUrl?: string;
  publishResults?: string | boolean;
  pactInstall?: string | boolean;
  pactCacheDir?: string;

  toEnvironment?: string;
  ignore?: string;
  retryWhileUnknown?: string;
  retryInterval?: string;
  applicationInstance?: string;
}

export function parseMode(v: string | undefined): RunMode {
  const s = (v ?? '').trim();
  if (!(ALL_MODES as readonly string[]).includes(s)) {
    throw new InputError(`mode: '${s}' is not one of ${ALL_MODES.join(', ')}`, { field: 'mode' });
  }
  return s as RunMode;
}

export async function runContract(mode: RunMode, i: ContractInputs): Promise<ContractResult> {
  switch (mode) {
    case 'compare':
      return runCompare(i);
    case 'consumer':
      return runConsumer(i);
    case 'provider':
      return runProvider(i);
    case 'can-i-deploy':
      return runCanIDeploy(i);
    case 'record-deployment':
      return runRecordDeployment(i);
  }
}

const cwdOf = (i: ContractInputs) => i.cwd ?? process.cwd();
const skipNote = (i: ContractInputs) => (file: string) => i.log?.(`${file}: not a pact (no consumer, provider or interactions), skipped`);

export async function runCompare(i: ContractInputs): Promise<ContractResult> {
  const failOn = parseFailOn(i.failOn);
  if (!i.openapi?.trim()) throw new InputError('openapi: required (the provider\'s OpenAPI spec file)', { field: 'openapi' });
  const pacts = readPacts(listInput(i.pactFiles), cwdOf(i), 'pact-files', skipNote(i));
  return comparePacts(pacts, i.openapi.trim(), { cwd: cwdOf(i), failOn });
}

export async function runConsumer(i: ContractInputs): Promise<ContractResult> {
  const failOn = parseFailOn(i.failOn);
  const cwd = cwdOf(i);
  const findings: Finding[] = [];
  if (i.consumerCommand?.trim()) {
    i.log?.(`Running the consumer tests: ${i.consumerCommand.trim()}`);
    const run = await runCommand(i.consumerCommand.trim(), {
      cwd,
      env: { ...i.env, PACT_DO_NOT_TRACK: i.env?.PACT_DO_NOT_TRACK ?? 'true' },
      timeoutMs: seconds(i.commandTimeout, 'command-timeout', 1800) * 1000,
      onOutput: (s) => i.log?.(s.replace(/\n$/, '')),
    });
    if (run.code !== 0) {
      return {
        gate: 'contract',
        mode: 'consumer',
        verdict: 'fail',
        interactions: [],
        findings: [
          {
            id: 'consumer-tests-failed',
            level: 'error',
            message: `The consumer tests failed (${run.signal ? `killed by ${run.signal}` : `exit ${run.code}`}); no pact was published.\n${run.tail}`,
          },
        ],
      };
    }
  }
  const entries = listInput(i.pactFiles);
  if (entries.length === 0) throw new InputError('pact-files: required (the directory the consumer tests write pacts to, e.g. pacts)', { field: 'pact-files' });
  const pacts = readPacts(entries, cwd, 'pact-files', skipNote(i));
  const interactions: InteractionRow[] = pacts.flatMap((p) =>
    p.interactions.map((it) => ({
      consumer: p.consumer,
      provider: p.provider,
      description: it.description,
      state: it.states.join(' and '),
      result: 'pass' as const,
      file: p.file,
      line: it.line,
    })),
  );
  let notices: Notice[] = [];
  let published: { version: string; branch?: string } | undefined;
  if (i.brokerUrl?.trim()) {
    const consumers = [...new Set(pacts.map((p) => p.consumer))];
    const pacticipant = i.pacticipant?.trim() || (consumers.length === 1 ? consumers[0]! : undefined);
    if (!pacticipant) throw new InputError(`pacticipant: required when the pacts have several consumers (${consumers.join(', ')})`, { field: 'pacticipant' });
    const v = versionInfo(i.ci ?? {}, { version: i.version, branch: i.branch, buildUrl: i.buildUrl });
    if (!v.version) throw new InputError('version: required to publish (default: the commit SHA, from GITHUB_SHA)', { field: 'version' });
    notices = await publishContracts(broker(i), {
      pacticipant,
      version: v.version,
      branch: v.branch,
      tags: listInput(i.tags),
      buildUrl: v.buildUrl,
      pacts,
    });
    published = { version: v.version, branch: v.branch };
    findings.push({
      id: 'pacts-published',
      level: 'info',
      message: `Published ${pacts.length} pact${pacts.length === 1 ? '' : 's'} for ${pacticipant} version ${v.version}${v.branch ? ` on branch ${v.branch}` : ''}`,
    });
  }
  return {
    gate: 'contract',
    mode: 'consumer',
    verdict: verdictFor(findings, failOn),
    findings,
    interactions,
    notices,
    ...(published ? { published } : {}),
    metrics: { pacts: pacts.length, interactions: interactions.length },
  };
}

export async function runProvider(i: ContractInputs): Promise<ContractResult> {
  const failOn = parseFailOn(i.failOn);
  const cwd = cwdOf(i);
  const env = i.env ?? {};
  const all = listInput(i.pactFiles);
  // A URL entry is a pact on the broker (the pact_url of a webhook); the verifier fetches it.
  const urls = all.filter((e) => /^https?:\/\//i.test(e));
  const entries = all.filter((e) => !/^https?:\/\//i.test(e));
  const useBroker = all.length === 0 && !!i.brokerUrl?.trim();
  if (all.length === 0 && !useBroker) {
    throw new InputError('pact-files or broker-url: give the pacts to verify (local files or pact URLs, or a broker to fetch them from)', { field: 'pact-files' });
  }
  const pacts = entries.length > 0 ? readPacts(entries, cwd, 'pact-files', skipNote(i)) : undefined;
  const providers = [...new Set((pacts ?? []).map((p) => p.provider))];
  const provider = i.provider?.trim() || (providers.length === 1 ? providers[0]! : undefined);
  if (!provider) {
    throw new InputError(
      providers.length > 1 ? `provider: the pacts name several providers (${providers.join(', ')}); say which one this is` : 'provider: required (the provider name the pacts use)',
      { field: 'provider' },
    );
  }
  const providerUrl = urlInput(i.providerUrl, 'provider-url');
  const readyUrl = i.readyUrl?.trim() ? urlInput(i.readyUrl, 'ready-url') : undefined;
  const publishResults = parseBool(i.publishResults, 'publish-results');
  const v = versionInfo(i.ci ?? {}, { version: i.version, branch: i.branch, buildUrl: i.buildUrl });
  if (publishResults && !i.brokerUrl?.trim()) throw new InputError('publish-results: true needs broker-url', { field: 'publish-results' });
  if (publishResults && !v.version) throw new InputError('version: required to publish verification results (default: the commit SHA)', { field: 'version' });
  const messagesUrl = i.providerMessagesUrl?.trim() ? urlInput(i.providerMessagesUrl, 'provider-messages-url') : undefined;
  const stateHandlers = i.stateHandlers?.trim() ? path.resolve(cwd, i.stateHandlers.trim()) : undefined;
  if (stateHandlers) {
    // Checked here: the verifier's child process would only print a module-resolution stack.
    rejectDirectory(stateHandlers, 'state-handlers', 'a JavaScript module that exports stateHandlers', i.stateHandlers!.trim());
    if (!existsSync(stateHandlers)) throw new InputError(`state-handlers: file '${i.stateHandlers!.trim()}' not found (expected a JavaScript module that exports stateHandlers)`, { file: i.stateHandlers!.trim(), field: 'state-handlers' });
  }
  const runtime = obtainPact({
    cwd,
    cacheDir: i.pactCacheDir?.trim() ? path.resolve(cwd, i.pactCacheDir.trim()) : defaultPactCacheDir(env),
    install: i.pactInstall === undefined || i.pactInstall === '' ? true : parseBool(i.pactInstall, 'pact-install'),
    env,
    log: i.log,
  });
  return verifyProvider({
    provider,
    providerUrl,
    providerCommand: i.providerCommand?.trim() || undefined,
    readyUrl,
    readyTimeoutMs: seconds(i.readyTimeout, 'ready-timeout', 60) * 1000,
    pacts,
    pactUrls: urls,
    urlAuth: { token: i.brokerToken?.trim() || undefined, username: i.brokerUsername?.trim() || undefined, password: i.brokerPassword || undefined },
    broker: useBroker
      ? {
          ...brokerConfig(i),
          selectors: parseSelectors(i.consumerVersionSelectors),
          enablePending: i.enablePending === undefined || i.enablePending === '' ? true : parseBool(i.enablePending, 'enable-pending'),
          includeWipPactsSince: dateInput(i.includeWipPactsSince, 'include-wip-pacts-since'),
        }
      : undefined,
    stateChangeUrl: i.providerStatesUrl?.trim() ? urlInput(i.providerStatesUrl, 'provider-states-url') : undefined,
    stateHandlers,
    stateHandlersShown: i.stateHandlers?.trim(),
    headers: parseHeaders(i.providerHeaders),
    messagesUrl,
    publish: publishResults ? { version: v.version!, branch: v.branch, buildUrl: v.buildUrl } : undefined,
    failOn,
    cwd,
    env,
    runtime,
    timeoutMs: seconds(i.commandTimeout, 'command-timeout', 1800) * 1000,
    log: i.log,
  });
}

export async function runCanIDeploy(i: ContractInputs): Promise<ContractResult> {
  parseFailOn(i.failOn);
  const pacticipant = required(i.pacticipant, 'pacticipant', 'the application to deploy, as named in the broker');
  const v = versionInfo(i.ci ?? {}, { version: i.version });
  if (!v.version) throw new InputError('version: required (default: the commit SHA, from GITHUB_SHA)', { field: 'version' });
  const environment = required(i.toEnvironment, 'to-environment', 'the environment to deploy to, e.g. production');
  const retryWhileUnknown = count(i.retryWhileUnknown, 'retry-while-unknown', 5);
  const retryIntervalMs = seconds(i.retryInterval, 'retry-interval', 10) * 1000;
  const answer = await canIDeploy(
    broker(i),
    { pacticipant, version: v.version, environment, ignore: listInput(i.ignore), retryWhileUnknown, retryIntervalMs },
    (attempt, reason) => i.log?.(`can-i-deploy: unknown yet (${reason || 'no verification result'}); asking again in ${retryIntervalMs / 1000} s (${attempt}/${retryWhileUnknown})`),
  );
  const findings: Finding[] = [];
  for (const row of answer.matrix) {
    if (row.success === true) continue;
    findings.push({
      id: row.success === false ? 'verification-failed' : 'verification-missing',
      level: 'error',
      message:
        row.success === false
          ? `${row.provider} ${row.providerVersion} failed to verify the pact of ${row.consumer} ${row.consumerVersion}`
          : `The pact between ${row.consumer} ${row.consumerVersion} and ${row.provider} has not been verified${row.providerVersion ? ` by ${row.providerVersion}` : ''}`,
      data: { ...row },
    });
  }
  if (answer.deployable !== true && findings.length === 0) {
    findings.push({
      id: answer.deployable === null ? 'deployability-unknown' : 'not-deployable',
      level: 'error',
      message: `${pacticipant} ${v.version} → ${environment}: ${answer.reason || (answer.deployable === null ? 'the broker does not know yet' : 'not deployable')}`,
    });
  }
  if (answer.deployable === null) {
    findings.push({
      id: 'deployability-unknown',
      level: 'error',
      message: `Still unknown after ${answer.attempts} question${answer.attempts === 1 ? '' : 's'} to the broker: treated as not deployable`,
    });
  }
  const failOn = parseFailOn(i.failOn);
  return {
    gate: 'contract',
    mode: 'can-i-deploy',
    // Not deployable is a failed gate whatever fail-on says, unless fail-on is never (a preview).
    verdict: failOn === 'never' ? 'pass' : answer.deployable === true ? verdictFor(findings, failOn) : 'fail',
    findings,
    interactions: [],
    deployable: answer.deployable,
    reason: answer.reason,
    matrix: answer.matrix,
    notices: answer.notices,
    metrics: {
      'matrix rows': answer.matrix.length,
      verified: answer.matrix.filter((r) => r.success === true).length,
      failed: answer.matrix.filter((r) => r.success === false).length,
      unverified: answer.matrix.filter((r) => r.success === null).length,
      'broker questions': answer.attempts,
    },
  };
}

export async function runRecordDeployment(i: ContractInputs): Promise<ContractResult> {
  parseFailOn(i.failOn);
  const pacticipant = required(i.pacticipant, 'pacticipant', 'the deployed application, as named in the broker');
  const v = versionInfo(i.ci ?? {}, { version: i.version });
  if (!v.version) throw new InputError('version: required (default: the commit SHA, from GITHUB_SHA)', { field: 'version' });
  const environment = required(i.toEnvironment, 'to-environment', 'the environment deployed to, e.g. production');
  const r = await recordDeployment(broker(i), { pacticipant, version: v.version, environment, applicationInstance: i.applicationInstance?.trim() || undefined });
  return {
    gate: 'contract',
    mode: 'record-deployment',
    verdict: 'pass',
    findings: [{ id: 'deployment-recorded', level: 'info', message: `Recorded ${pacticipant} ${v.version} as deployed to ${environment}` }],
    interactions: [],
    notices: r.notices,
  };
}

function brokerConfig(i: ContractInputs): BrokerConfig {
  const url = required(i.brokerUrl, 'broker-url', 'the Pact Broker or PactFlow URL');
  return {
    url,
    token: i.brokerToken?.trim() || undefined,
    username: i.brokerUsername?.trim() || undefined,
    password: i.brokerPassword || undefined,
    timeoutMs: seconds(i.brokerTimeout, 'broker-timeout', 30) * 1000,
  };
}

function broker(i: ContractInputs): BrokerClient {
  return new BrokerClient(brokerConfig(i));
}

function required(v: string | undefined, field: string, what: string): string {
  const s = v?.trim();
  if (!s) throw new InputError(`${field}: required (${what})`, { field });
  return s;
}

function urlInput(v: string | undefined, field: string): string {
  const s = required(v, field, 'an http(s) URL');
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    throw new InputError(`${field}: '${s}' is not a URL (expected e.g. http://127.0.0.1:8080)`, { field });
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new InputError(`${field}: '${s}' is not an http(s) URL`, { field });
  return s;
}

/** A duration in seconds (decimals allowed), or the default. */
/** Longest wait any option may ask for: Node's timers cannot wait longer than about 24.8 days and fire at once beyond. */
export const MAX_SECONDS = 24 * 3600;

export function seconds(v: string | undefined, field: string, dflt: number): number {
  if (v === undefined || v.trim() === '') return dflt;
  const n = Number(v.trim());
  if (!Number.isFinite(n) || n <= 0) throw new InputError(`${field}: '${v}' is not a number of seconds above 0`, { field });
  if (n > MAX_SECONDS) throw new InputError(`${field}: '${v}' seconds is more than a day (at most ${MAX_SECONDS})`, { field });
  return n;
}

function count(v: string | undefined, field: string, dflt: number): number {
  if (v === undefined || v.trim() === '') return dflt;
  if (!/^\d+$/.test(v.trim())) throw new InputError(`${field}: '${v}' is not a whole number (0 or more)`, { field });
  if (Number(v.trim()) > 1000) throw new InputError(`${field}: '${v}' is more than 1000`, { field });
  return Number(v.trim());
}

function dateInput(v: string | undefined, field: string): string | undefined {
  const s = v?.trim();
  if (!s) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(Date.parse(s))) throw new InputError(`${field}: '${s}' is not a date (expected YYYY-MM-DD)`, { field });
  return s;
}

const SELECTOR_KEYS = new Set(['mainBranch', 'branch', 'matchingBranch', 'deployedOrReleased', 'deployed', 'released', 'environment', 'consumer', 'latest', 'tag', 'fallbackTag', 'fallbackBranch']);

/**
 * Consumer version selectors as JSON or YAML (a list of objects). Default: the consumers' main
 * branches and whatever is deployed or released, which is what Pact recommends.
 */
export function parseSelectors(v: string | undefined): ConsumerVersionSelector[] {
  if (!v?.trim()) return [{ mainBranch: true }, { deployedOrReleased: true }];
  let parsed: unknown;
  try {
    parsed = parseYaml(v);
  } catch (e) {
    throw new InputError(`consumer-version-selectors: not JSON or YAML: ${(e as Error).message.split('\n')[0]}`, { field: 'consumer-version-selectors' });
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new InputError('consumer-version-selectors: expected a non-empty list, e.g. [{"mainBranch": true}, {"deployedOrReleased": true}]', {
      field: 'consumer-version-selectors',
    });
  }
  parsed.forEach((s, n) => {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) {
      throw new InputError(`consumer-version-selectors[${n}]: expected an object such as {"mainBranch": true}`, { field: 'consumer-version-selectors' });
    }
    const unknown = Object.keys(s).filter((k) => !SELECTOR_KEYS.has(k));
    if (unknown.length > 0) {
      throw new InputError(`consumer-version-selectors[${n}]: unknown key '${unknown[0]}' (known: ${[...SELECTOR_KEYS].join(', ')})`, {
        field: 'consumer-version-selectors',
      });
    }
  });
  return parsed as ConsumerVersionSelector[];
}

/** `Name: value` per line. */
export function parseHeaders(v: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [n, line] of (v ?? '').split('\n').entries()) {
    if (!line.trim()) continue;
    const m = /^\s*([!#$%&'*+.^_`|~0-9A-Za-z-]+)\s*:\s*(.*?)\s*$/.exec(line);
    // The line may hold a secret: name its number, never its text.
    if (!m) throw new InputError(`provider-headers: line ${n + 1} is not a 'Name: value' header line`, { field: 'provider-headers' });
    out[m[1]!] = m[2]!;
  }
  return out;
}
