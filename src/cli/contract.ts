import { ciContextFromEnv } from '../contract/git-context.js';
import type { ContractResult } from '../contract/model.js';
import { runContract, type ContractInputs, type RunMode } from '../contract/run.js';
import { contractSummary } from '../contract/summary.js';
import { InputError } from '../kit/errors.js';
import { render } from '../kit/format/index.js';
import { formatMarkdown } from '../kit/format/markdown.js';
import { finish, isHelpWord, parseCommand, printHelp, reportFormat, type Out } from './command.js';

export const CONTRACT_HELP = `api-delivery contract <subcommand> [options]

Contract testing with Pact: check pacts against the provider's OpenAPI spec, verify a provider,
publish pacts, ask the broker whether a version can be deployed.

Subcommands:
  compare            every pact interaction against an OpenAPI spec (no broker, no provider needed);
                     message interactions have no operation there: reported as not compared (a warning)
                       --pact FILE|DIR ... --openapi FILE   (in a DIR, JSON files that are not pacts are skipped)
  verify             start the provider, verify pacts against it with Pact (the project's own
                     @pact-foundation/pact, else a pinned install cached under ~/.cache)
                       --provider-url URL [--provider-command CMD] [--ready-url URL] [--ready-timeout S]
                       --pact FILE|DIR ...  or  --broker-url URL [--consumer-version-selectors JSON]
                       [--provider NAME] [--state-handlers MODULE | --provider-states-url URL]
                       [--provider-messages-url URL] [--header 'Name: value' ...]
                       [--no-pending] [--include-wip-pacts-since DATE]
                       [--publish-results --version SHA --branch NAME]
                     message interactions (v3 messages, v4 Asynchronous/Synchronous Messages) need
                     --provider-messages-url: an endpoint of the provider's test setup that answers
                     POST {description, providerStates, request?} with the message as the body (its
                     metadata as base64 JSON in a Pact-Message-Metadata header); without it they are
                     reported as not verified, which fails the gate
  publish            [run the consumer tests,] check the pacts and publish them to the broker
                       --pact FILE|DIR ... --broker-url URL [--consumer-command CMD]
                       [--pacticipant NAME] [--version SHA] [--branch NAME] [--tag T ...] [--build-url URL]
  can-i-deploy       ask the broker whether a version can go to an environment
                       --pacticipant NAME --version SHA --to-environment ENV [--ignore NAME ...]
                       [--retry-while-unknown N] [--retry-interval S]
  record-deployment  record that a version was deployed to an environment
                       --pacticipant NAME --version SHA --to-environment ENV [--application-instance ID]

Common options:
  --fail-on error|warning|never   fail when a finding is at this level or worse (default: error)
  --format FORMAT                 text, json, markdown, junit, sarif or github (default: text)
  --output FILE                   write the report to FILE instead of stdout
  --broker-token TOKEN            default: $PACT_BROKER_TOKEN (prefer the variable: arguments show in ps)
  --broker-username U / --broker-password P   default: $PACT_BROKER_USERNAME / $PACT_BROKER_PASSWORD
  --broker-url defaults to $PACT_BROKER_BASE_URL; --version to the commit ($GITHUB_SHA, the PR head on pull_request)
  -h, --help                      show this help

Exit codes: 0 pass (deployable), 1 the gate failed (mismatch, failed verification, not deployable),
2 bad input, or a broker/provider that could not answer (never a pass).`;

const SUBCOMMANDS: Record<string, RunMode> = {
  compare: 'compare',
  verify: 'provider',
  publish: 'consumer',
  'can-i-deploy': 'can-i-deploy',
  'record-deployment': 'record-deployment',
};

const OPTIONS = {
  pact: { type: 'string', multiple: true },
  openapi: { type: 'string' },
  'consumer-command': { type: 'string' },
  'command-timeout': { type: 'string' },
  'broker-url': { type: 'string' },
  'broker-token': { type: 'string' },
  'broker-username': { type: 'string' },
  'broker-password': { type: 'string' },
  'broker-timeout': { type: 'string' },
  pacticipant: { type: 'string' },
  version: { type: 'string' },
  branch: { type: 'string' },
  tag: { type: 'string', multiple: true },
  'build-url': { type: 'string' },
  provider: { type: 'string' },
  'provider-url': { type: 'string' },
  'provider-command': { type: 'string' },
  'ready-url': { type: 'string' },
  'ready-timeout': { type: 'string' },
  'consumer-version-selectors': { type: 'string' },
  'no-pending': { type: 'boolean' },
  'include-wip-pacts-since': { type: 'string' },
  'provider-states-url': { type: 'string' },
  'state-handlers': { type: 'string' },
  'provider-messages-url': { type: 'string' },
  header: { type: 'string', multiple: true },
  'publish-results': { type: 'boolean' },
  'no-pact-install': { type: 'boolean' },
  'pact-cache-dir': { type: 'string' },
  'to-environment': { type: 'string' },
  ignore: { type: 'string', multiple: true },
  'retry-while-unknown': { type: 'string' },
  'retry-interval': { type: 'string' },
  'application-instance': { type: 'string' },
} as const;

/** The contract command; async because Pact, the provider and the broker are. */
export async function contractCommand(argv: string[], out: Out, env: Record<string, string | undefined> = process.env): Promise<number> {
  const [sub, ...rest] = argv;
  if (isHelpWord(sub)) return printHelp(out, CONTRACT_HELP);
  const mode = Object.prototype.hasOwnProperty.call(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
  if (!mode) throw new InputError(`contract: unknown subcommand '${sub}' (one of ${Object.keys(SUBCOMMANDS).join(', ')})`);
  const { values, positionals } = parseCommand(rest, OPTIONS);
  if (values.help) return printHelp(out, CONTRACT_HELP);
  // `contract compare a.json b.json --openapi x.yaml` reads the positionals as pacts too.
  const pacts = [...(values.pact ?? []), ...positionals];
  if (positionals.length > 0 && mode !== 'compare') throw new InputError(`contract ${sub}: unexpected argument '${positionals[0]}'`);
  const format = reportFormat(values);
  const inputs: ContractInputs = {
    failOn: values['fail-on'],
    cwd: process.cwd(),
    env,
    ci: ciContextFromEnv(env),
    // Progress goes to stderr so that stdout holds only the report.
    log: (line) => process.stderr.write(line + '\n'),
    pactFiles: pacts,
    openapi: values.openapi,
    consumerCommand: values['consumer-command'],
    commandTimeout: values['command-timeout'],
    brokerUrl: values['broker-url'] ?? env.PACT_BROKER_BASE_URL,
    brokerToken: values['broker-token'] ?? env.PACT_BROKER_TOKEN,
    brokerUsername: values['broker-username'] ?? env.PACT_BROKER_USERNAME,
    brokerPassword: values['broker-password'] ?? env.PACT_BROKER_PASSWORD,
    brokerTimeout: values['broker-timeout'],
    pacticipant: values.pacticipant,
    version: values.version,
    branch: values.branch,
    tags: (values.tag ?? []).join('\n'),
    buildUrl: values['build-url'],
    provider: values.provider,
    providerUrl: values['provider-url'],
    providerCommand: values['provider-command'],
    readyUrl: values['ready-url'],
    readyTimeout: values['ready-timeout'],
    consumerVersionSelectors: values['consumer-version-selectors'],
    enablePending: !values['no-pending'],
    includeWipPactsSince: values['include-wip-pacts-since'],
    providerStatesUrl: values['provider-states-url'],
    stateHandlers: values['state-handlers'],
    providerHeaders: (values.header ?? []).join('\n'),
    providerMessagesUrl: values['provider-messages-url'],
    publishResults: values['publish-results'] ?? false,
    pactInstall: !values['no-pact-install'],
    pactCacheDir: values['pact-cache-dir'],
    toEnvironment: values['to-environment'],
    ignore: (values.ignore ?? []).join('\n'),
    retryWhileUnknown: values['retry-while-unknown'],
    retryInterval: values['retry-interval'],
    applicationInstance: values['application-instance'],
  };
  if (mode === 'compare' && pacts.length === 0) throw new InputError('contract compare: expected --pact FILE (one or more) and --openapi FILE');
  const result = await runContract(mode, inputs);
  // Pact's own console report, like the action's log group: on stderr, so stdout holds the report.
  const verifierLog = (result as ContractResult & { log?: string }).log;
  if (verifierLog) process.stderr.write(`${verifierLog}\n`);
  const text = format === 'markdown' ? markdownReport(result) : render(stripLog(result), format);
  return finish(result, text, values.output, out);
}

export function markdownReport(result: ContractResult): string {
  const extra = contractSummary(result);
  return formatMarkdown(stripLog(result), { title: 'Contract tests' }) + (extra ? `\n${extra}` : '');
}

/** The verifier's console log is shown live, not kept in reports. */
function stripLog(result: ContractResult): ContractResult {
  const { log: _log, ...rest } = result as ContractResult & { log?: string };
  return rest as ContractResult;
}
