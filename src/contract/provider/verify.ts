import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../../kit/errors.js';
import { sortFindings, verdictFor, type FailOn, type Finding } from '../../kit/result.js';
import type { ContractResult, InteractionRow } from '../model.js';
import type { PactFile } from '../pact-file.js';
import { MESSAGE_RELAY_FILE, MESSAGE_RELAY_SCRIPT, type MessageCall } from './message-relay.js';
import { MessageInteractions, notVerifiedFinding } from './message-results.js';
import { LogTail, startProvider, waitUntilReady, type StartedProvider } from './provider-process.js';
import type { PactRuntime } from './pact-runtime.js';
import { VERIFY_RUNNER_SCRIPT } from './runner-script.js';

export interface ConsumerVersionSelector {
  mainBranch?: boolean;
  branch?: string;
  matchingBranch?: boolean;
  deployedOrReleased?: boolean;
  deployed?: boolean;
  released?: boolean;
  environment?: string;
  consumer?: string;
  latest?: boolean;
  tag?: string;
  fallbackTag?: string;
}

export interface BrokerSource {
  url: string;
  token?: string;
  username?: string;
  password?: string;
  selectors: ConsumerVersionSelector[];
  enablePending: boolean;
  /** ISO date: include work-in-progress pacts published since then. */
  includeWipPactsSince?: string;
}

export interface VerifyOptions {
  provider: string;
  /** Base URL the verifier sends the pact's requests to. */
  providerUrl: string;
  /** Shell command that starts the provider (none: it is already running). */
  providerCommand?: string;
  readyUrl?: string;
  readyTimeoutMs: number;
  /** Local pact files… */
  pacts?: readonly PactFile[];
  /** Pact URLs (e.g. the pact_url a broker webhook sends), fetched by the verifier with the broker credentials. */
  pactUrls?: string[];
  /** Credentials for pactUrls when no broker source is given. */
  urlAuth?: { token?: string; username?: string; password?: string };
  /** …or the broker's pacts for verification. */
  broker?: BrokerSource;
  /** A URL the verifier POSTs {state, params, action} to before each interaction… */
  stateChangeUrl?: string;
  /** …or a module (absolute path) exporting stateHandlers. */
  stateHandlers?: string;
  stateHandlersShown?: string;
  /** Headers added to every request (e.g. Authorization for the provider), message requests too. */
  headers?: Record<string, string>;
  /** The provider's message endpoint: the verifier asks it for each message interaction's message. */
  messagesUrl?: string;
  publish?: { version: string; branch?: string; buildUrl?: string };
  failOn: FailOn;
  cwd: string;
  env: Record<string, string | undefined>;
  runtime: PactRuntime;
  /** The whole verification (not the provider start) must end within this (default 10 min). */
  timeoutMs?: number;
  log?: (line: string) => void;
}

/** The verifier's JSON report (pactffi_verifier_json), the parts we read. */
interface VerifierReport {
  result?: boolean;
  interactionResults?: {
    consumer?: string;
    provider?: string;
    description?: string;
    providerStates?: string[];
    result?: string;
    pending?: boolean;
    mismatch?: { type?: string; message?: string; mismatches?: { type?: string; path?: string; mismatch?: string; expected?: unknown; actual?: unknown }[] };
  }[];
  errors?: { interaction?: string; mismatch?: { type?: string; message?: string } }[];
  notices?: { text?: string; when?: string }[];
  output?: string[];
}

/** Start (or find) the provider, verify the pacts against it with Pact, and judge the report. */
export async function verifyProvider(opts: VerifyOptions): Promise<ContractResult & { log: string }> {
  if (!opts.pacts?.length && !opts.pactUrls?.length && !opts.broker) throw new InputError('verify: give pact files or a broker to fetch pacts from', { field: 'pact-files' });
  if (opts.stateChangeUrl && opts.stateHandlers) {
    throw new InputError('provider-states-url and state-handlers: give one way to set up provider states, not both', { field: 'state-handlers' });
  }
  const readyUrl = opts.readyUrl || opts.providerUrl;
  let provider: StartedProvider | undefined;
  if (opts.providerCommand) {
    opts.log?.(`Starting the provider: ${opts.providerCommand}`);
    provider = await startProvider({ command: opts.providerCommand, cwd: opts.cwd, env: opts.env, readyUrl, timeoutMs: opts.readyTimeoutMs });
  } else {
    await waitUntilReady(readyUrl, opts.readyTimeoutMs);
  }
  opts.log?.(`The provider answers at ${readyUrl}`);
  try {
    const { report, message, output, messageCalls, stateFailures, handlerNames } = await runVerifier(opts);
    return { ...judge(opts, report, message, messageCalls, { providerLog: provider?.log, stateFailures, handlerNames }), log: output };
  } finally {
    await provider?.stop();
  }
}

/** A state handler (state-handlers module) that threw, as the runner script records it. */
export interface StateFailure {
  state: string;
  action: 'setup' | 'teardown';
  message: string;
}

async function runVerifier(
  opts: VerifyOptions,
): Promise<{ report?: VerifierReport; message?: string; output: string; messageCalls: MessageCall[]; stateFailures: StateFailure[]; handlerNames?: string[] }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'api-delivery-verify-'));
  try {
    const options: Record<string, unknown> = {
      provider: opts.provider,
      providerBaseUrl: opts.providerUrl,
      logLevel: (opts.env.PACT_LOG_LEVEL as string) || 'warn',
      timeout: 30000,
    };
    const sources = [...(opts.pacts ?? []).map((p) => path.resolve(opts.cwd, p.file)), ...(opts.pactUrls ?? [])];
    if (sources.length) options.pactUrls = sources;
    const auth = opts.broker ?? opts.urlAuth;
    if (auth?.token) options.pactBrokerToken = auth.token;
    if (auth?.username) {
      options.pactBrokerUsername = auth.username;
      options.pactBrokerPassword = auth.password ?? '';
    }
    if (opts.broker) {
      options.pactBrokerUrl = opts.broker.url;
      options.consumerVersionSelectors = opts.broker.selectors;
      options.enablePending = opts.broker.enablePending;
      if (opts.broker.includeWipPactsSince) options.includeWipPactsSince = opts.broker.includeWipPactsSince;
    }
    if (opts.stateChangeUrl) {
      options.providerStatesSetupUrl = opts.stateChangeUrl;
      options.providerStatesSetupBody = true;
    }
    if (opts.headers && Object.keys(opts.headers).length > 0) options.customProviderHeaders = opts.headers;
    if (opts.publish) {
      options.publishVerificationResult = true;
      options.providerVersion = opts.publish.version;
      if (opts.publish.branch) options.providerVersionBranch = opts.publish.branch;
      if (opts.publish.buildUrl) options.buildUrl = opts.publish.buildUrl;
    }
    const script = path.join(dir, 'verify.mjs');
    const configFile = path.join(dir, 'config.json');
    const resultFile = path.join(dir, 'result.json');
    writeFileSync(script, VERIFY_RUNNER_SCRIPT);
    writeFileSync(path.join(dir, MESSAGE_RELAY_FILE), MESSAGE_RELAY_SCRIPT);
    const messages = { url: opts.messagesUrl, headers: opts.headers ?? {}, timeoutMs: 30000 };
    writeFileSync(
      configFile,
      JSON.stringify({ pactEntry: opts.runtime.entry, stateHandlers: opts.stateHandlers, stateHandlersShown: opts.stateHandlersShown, messages, options, resultFile }),
    );
    const output = new LogTail(400);
    // Pact reads PACT_BROKER_* from the environment as defaults: the gate's inputs alone decide.
    const inherited = Object.fromEntries(Object.entries(opts.env).filter(([k]) => !k.startsWith('PACT_BROKER_')));
    const env = {
      ...inherited,
      // The verifier reports usage to Pact's servers unless told not to; a CI gate stays quiet.
      PACT_DO_NOT_TRACK: opts.env.PACT_DO_NOT_TRACK ?? 'true',
      PROVIDER_BASE_URL: opts.providerUrl,
    };
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [script, configFile], { cwd: opts.cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
      child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new InputError(`verify: the verification did not finish within ${(opts.timeoutMs ?? 600000) / 1000} s\n${output.text()}`, { field: 'verify-timeout' }));
      }, opts.timeoutMs ?? 600000);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    let out: { ok: boolean; results?: VerifierReport; message?: string; setup?: boolean; messageCalls?: MessageCall[]; stateFailures?: StateFailure[]; handlerNames?: string[] };
    try {
      out = JSON.parse(readFileSync(resultFile, 'utf8'));
    } catch {
      throw new InputError(`verify: the Pact verifier stopped (exit ${code}) without a report:\n${output.text()}`, { field: 'pact-files' });
    }
    if (out.setup) throw new InputError(`verify: ${out.message}`, { field: opts.stateHandlers ? 'state-handlers' : 'pact-files' });
    return {
      report: out.results,
      message: out.ok ? undefined : out.message,
      output: output.text(),
      messageCalls: out.messageCalls ?? [],
      stateFailures: out.stateFailures ?? [],
      handlerNames: out.handlerNames,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * States the pacts ask for that the state-handlers module has no handler for: pact-js only logs them and
 * runs the interaction against a provider that was never put in that state, so a pass proves little.
 */
function missingStateHandlers(opts: VerifyOptions, report: VerifierReport | undefined, handlerNames: readonly string[]): Finding[] {
  const known = new Set(handlerNames);
  const missing = new Map<string, { consumer: string; description: string }[]>();
  for (const r of report?.interactionResults ?? []) {
    for (const state of r.providerStates ?? []) {
      if (known.has(state)) continue;
      let list = missing.get(state);
      if (!list) missing.set(state, (list = []));
      list.push({ consumer: r.consumer ?? '', description: r.description ?? '' });
    }
  }
  return [...missing].map(([state, uses]) => {
    const first = findInteraction(opts.pacts, uses[0]!.consumer, uses[0]!.description, [state], new Set());
    const shown = uses.slice(0, 3).map((u) => `'${u.description}'`).join(', ') + (uses.length > 3 ? ` and ${uses.length - 3} more` : '');
    return {
      id: 'provider-state-missing',
      level: 'warning' as const,
      message:
        `No handler for provider state '${state}' in ${opts.stateHandlersShown ?? 'the state handlers'}: ${uses.length === 1 ? 'the interaction' : `${uses.length} interactions`} ` +
        `${shown} ran without it being set up, so ${uses.length === 1 ? 'its result proves' : 'their results prove'} little (add a handler, even an empty one for data that is always there)`,
      location: first ? { file: first.file, line: first.line } : undefined,
      operation: first?.operation,
      data: { state, interactions: uses.map((u) => u.description) },
    };
  });
}

function judge(
  opts: VerifyOptions,
  report: VerifierReport | undefined,
  message: string | undefined,
  messageCalls: MessageCall[],
  run: { providerLog?: LogTail; stateFailures?: readonly StateFailure[]; handlerNames?: readonly string[] } = {},
): ContractResult {
  const { providerLog, stateFailures = [], handlerNames } = run;
  const findings: Finding[] = [];
  // Setup failures in the order they happened; each explains the next failed interaction in that state.
  const setupFailures = stateFailures.filter((f) => f.action === 'setup');
  // Local interactions already matched to a result: two pacts of one consumer (say, from two branches)
  // share descriptions, and the verifier reports them in the order of the files.
  const used = new Set<string>();
  const interactions: InteractionRow[] = [];
  const messages = new MessageInteractions(opts.pacts, messageCalls, opts.messagesUrl);
  const unverified: { row: InteractionRow; pending: boolean }[] = [];
  let messageCount = 0;
  if (!report) {
    // No report at all: the verifier could not run (no pacts found, a pact it cannot read, …).
    findings.push({ id: 'verification-error', level: 'error', message: `The Pact verifier could not verify: ${firstLines(message ?? 'no report')}` });
  }
  for (const r of report?.interactionResults ?? []) {
    const consumer = r.consumer ?? '';
    const description = r.description ?? '';
    const local = findInteraction(opts.pacts, consumer, description, r.providerStates ?? [], used);
    const asMessage = messages.verdictFor(consumer, description, r.providerStates ?? []);
    if (asMessage.kind !== 'http') messageCount++;
    const failedAt = r.result === 'OK' ? -1 : setupFailures.findIndex((f) => (r.providerStates ?? []).includes(f.state));
    const stateFailure = failedAt >= 0 ? setupFailures.splice(failedAt, 1)[0] : undefined;
    const ok = r.result === 'OK' && asMessage.kind !== 'endpoint-error';
    const row: InteractionRow = {
      consumer,
      provider: r.provider ?? opts.provider,
      description,
      state: (r.providerStates ?? []).join(' and '),
      result: ok ? 'pass' : r.pending ? 'pending' : 'fail',
      file: local?.file,
      line: local?.line,
    };
    if (stateFailure) {
      // The provider was not in the state the consumer asked for: what it answered proves nothing.
      row.result = r.pending ? 'pending' : 'fail';
      row.detail = `provider state '${stateFailure.state}' could not be set up: ${stateFailure.message}`;
      findings.push({
        id: 'provider-state-failed',
        level: r.pending ? 'warning' : 'error',
        message:
          `${consumer} → ${row.provider}, '${description}'${row.state ? ` given ${row.state}` : ''}${r.pending ? ' (pending pact: does not fail the build)' : ''}: ` +
          `the state handler for '${stateFailure.state}'${opts.stateHandlersShown ? ` in ${opts.stateHandlersShown}` : ''} threw: ${stateFailure.message} (the interaction was not sent to the provider)`,
        location: local ? { file: local.file, line: local.line } : undefined,
        operation: local?.operation,
        data: { consumer, interaction: description, state: row.state, pending: !!r.pending, stateFailed: stateFailure.state, error: stateFailure.message },
      });
      if (asMessage.kind === 'not-verified') unverified.push({ row, pending: !!r.pending });
    } else if (asMessage.kind === 'not-verified') {
      // What the verifier said compares the relay's placeholder, not the provider's message.
      row.result = 'not-verified';
      row.detail = 'message interaction: no provider-messages-url to ask the provider for the message';
      unverified.push({ row, pending: !!r.pending });
    } else if (!ok) {
      const endpointFailed = asMessage.kind === 'endpoint-error';
      const detail = endpointFailed ? `the message endpoint failed: ${asMessage.detail}` : mismatchText(r.mismatch);
      row.detail = detail;
      findings.push({
        id: endpointFailed ? 'message-endpoint-error' : r.mismatch?.type === 'error' ? 'verification-error' : 'verification-mismatch',
        level: r.pending ? 'warning' : 'error',
        message: `${consumer} → ${row.provider}, '${description}'${row.state ? ` given ${row.state}` : ''}${r.pending ? ' (pending pact: does not fail the build)' : ''}: ${detail}`,
        location: local ? { file: local.file, line: local.line } : undefined,
        operation: local?.operation,
        data: {
          consumer,
          interaction: description,
          state: row.state,
          pending: !!r.pending,
          ...(asMessage.kind !== 'http' ? { message: true } : {}),
          mismatches: endpointFailed ? [] : (r.mismatch?.mismatches ?? []),
          error: endpointFailed ? asMessage.detail : r.mismatch?.message,
        },
      });
    }
    interactions.push(row);
  }
  // Errors that belong to no interaction result (e.g. a pact that could not be fetched).
  for (const e of report?.errors ?? []) {
    const known = interactions.some((i) => e.interaction?.endsWith(`- ${i.description}`) || e.interaction === i.description);
    if (!known) findings.push({ id: 'verification-error', level: 'error', message: `${e.interaction ?? 'verification'}: ${e.mismatch?.message ?? mismatchText(e.mismatch)}` });
  }
  const teardowns = stateFailures.filter((f) => f.action === 'teardown');
  for (const f of teardowns.filter((f, n) => teardowns.findIndex((g) => g.state === f.state && g.message === f.message) === n)) {
    findings.push({
      id: 'provider-state-teardown-failed',
      level: 'warning',
      message: `The teardown of provider state '${f.state}'${opts.stateHandlersShown ? ` in ${opts.stateHandlersShown}` : ''} threw: ${f.message} (later interactions may run against what it left behind)`,
      data: { state: f.state, error: f.message },
    });
  }
  if (handlerNames) findings.push(...missingStateHandlers(opts, report, handlerNames));
  const notVerified = notVerifiedFinding(unverified);
  if (notVerified) findings.push(notVerified);
  if (report && interactions.length === 0 && findings.length === 0) {
    findings.push({ id: 'no-interactions-verified', level: 'error', message: 'No interaction was verified: the pacts hold none for this provider' });
  }
  const notices = (report?.notices ?? []).map((n) => ({ type: 'info', text: String(n.text ?? '') })).filter((n) => n.text);
  if (findings.some((f) => f.level === 'error') && providerLog) {
    const tail = providerLog.text().trim();
    if (tail) findings.push({ id: 'provider-log', level: 'info', message: `Last lines of the provider's output:\n${tail}` });
  }
  const sorted = sortFindings(findings);
  return {
    gate: 'contract',
    mode: 'provider',
    verdict: verdictFor(sorted, opts.failOn),
    findings: sorted,
    interactions,
    notices,
    metrics: {
      interactions: interactions.length,
      passed: interactions.filter((i) => i.result === 'pass').length,
      failed: interactions.filter((i) => i.result === 'fail').length,
      pending: interactions.filter((i) => i.result === 'pending').length,
      messages: messageCount,
      'not verified': unverified.length,
    },
  };
}

function findInteraction(pacts: readonly PactFile[] | undefined, consumer: string, description: string, states: string[], used: Set<string>) {
  const candidates = (pacts ?? []).flatMap((p) => (p.consumer === consumer ? p.interactions.filter((i) => i.description === description).map((it) => ({ p, it })) : []));
  const key = (c: { p: PactFile; it: PactFile['interactions'][number] }) => `${c.p.file}\n${c.it.list}\n${c.it.index}`;
  const free = candidates.filter((c) => !used.has(key(c)));
  // The first one not yet reported, preferring the same provider states; once all are, the first.
  const pick = free.find((c) => c.it.states.join('\n') === states.join('\n')) ?? free[0] ?? candidates[0];
  if (pick) {
    used.add(key(pick));
    const { p, it } = pick;
    const raw = (p.json[it.list] as Record<string, any>[])[it.index];
    const method = raw?.request?.method;
    const reqPath = raw?.request?.path;
    return { file: p.file, line: it.line, operation: typeof method === 'string' && typeof reqPath === 'string' ? `${method.toUpperCase()} ${reqPath}` : undefined };
  }
  return undefined;
}

type Mismatch = { type?: string; message?: string; mismatches?: { path?: string; mismatch?: string; type?: string }[] };

function mismatchText(mm: Mismatch | undefined): string {
  if (!mm) return 'failed';
  if (mm.message) return firstLines(mm.message);
  // The verifier reports array items in no particular order; $.items[0] before $.items[10] reads better.
  const list = [...(mm.mismatches ?? [])].sort((a, b) => (a.path ?? '').localeCompare(b.path ?? '', 'en', { numeric: true }));
  if (list.length === 0) return 'failed';
  const shown = list.slice(0, 5).map((x) => (x.path && x.path !== '/' ? `${x.path}: ${x.mismatch}` : String(x.mismatch)));
  return shown.join('; ') + (list.length > 5 ? `; and ${list.length - 5} more` : '');
}

function firstLines(s: string, n = 6): string {
  return s.trim().split('\n').slice(0, n).join('\n');
}
