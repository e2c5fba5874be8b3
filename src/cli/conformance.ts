import { InputError } from '../kit/errors.js';
import { render, type Format } from '../kit/format/index.js';
import type { GateResult } from '../kit/result.js';
import { CHECKS } from '../conformance/checks.js';
import { coverageMarkdown, coverageText } from '../conformance/report.js';
import { DEFAULTS, runConformanceGate, runPlanCheck, type ConformanceGateResult } from '../conformance/run.js';
import { finish, parseCommand, printHelp, reportFormat, type Out } from './command.js';

export const CONFORMANCE_HELP = `api-delivery conformance --openapi FILE --base-url URL [options]
api-delivery conformance plan FILE [--fail-on …] [--format …]

Turn the OpenAPI spec into requests against a running API and check every answer against the
spec (the checks Schemathesis runs in CI): positive cases from the spec's examples, then generated
from its schemas (seeded); negative cases (a required parameter left out, wrong types, values
outside enums, bounds and patterns, malformed JSON, an unsupported media type, no credentials) must get a 4xx.
Every failing check is one finding with the curl line that reproduces it and the spec line.
'plan FILE' verifies a test plan (templates/Test-plan.md filled in) on its own; --test-plan
verifies it and links its items to the checks of the run.

Options:
  --openapi FILE             the spec of the API under test (3.0, 3.1 or Swagger 2.0)
  --base-url URL             the running API, path prefix included (it replaces the spec's servers);
                             no other URL is ever called (redirects are not followed)
  --mode full|smoke          smoke: one positive case per GET operation (default: full)
  --seed N|random            seed of the generated cases (default: ${DEFAULTS.seed}); 'random' picks one and reports it
  --cases N                  generated positive cases per operation in full mode (default: ${DEFAULTS.casesPerOperation})
  --max-requests N           stop after N requests (default: ${DEFAULTS.maxRequests.full} full, ${DEFAULTS.maxRequests.smoke} smoke)
  --concurrency N            requests in flight at once (default: ${DEFAULTS.concurrency})
  --timeout S                whole run, in seconds (default: ${DEFAULTS.timeoutSeconds})
  --request-timeout S        one request, in seconds (default: ${DEFAULTS.requestTimeoutSeconds})
  --max-response-time MS     slower answers fail the response-time check; 0 turns it off (default: ${DEFAULTS.maxResponseTimeMs})
  --header 'Name: value'     sent with every request (credentials); repeatable; values are shown as *** in reports,
                             also where the API echoes them (API keys in query parameters are not supported)
  --stateful                 also send POST, PUT, PATCH and DELETE (they change data: use a disposable environment)
  --show-secrets             show --header values in the curl lines
  --include REGEX            only operations whose 'METHOD /path' or operationId matches
  --skip-checks LIST         comma-separated check ids not to run
  --test-plan FILE           verify the test plan and link its items to the checks that ran
  --fail-on error|warning|never   fail when a finding is at this level or worse (default: error)
  --format FORMAT            text, json, markdown, junit, sarif or github (default: text)
  --output FILE              write the report to FILE instead of stdout
  -h, --help                 show this help

Checks: ${Object.keys(CHECKS).join(', ')}.
Exit codes: 0 pass, 1 the gate failed, 2 bad input or usage.`;

const OPTIONS = {
  openapi: { type: 'string' },
  'base-url': { type: 'string' },
  mode: { type: 'string' },
  seed: { type: 'string' },
  cases: { type: 'string' },
  'max-requests': { type: 'string' },
  concurrency: { type: 'string' },
  timeout: { type: 'string' },
  'request-timeout': { type: 'string' },
  'max-response-time': { type: 'string' },
  header: { type: 'string', multiple: true },
  stateful: { type: 'boolean' },
  'show-secrets': { type: 'boolean' },
  include: { type: 'string' },
  'skip-checks': { type: 'string' },
  'test-plan': { type: 'string' },
} as const;

/** Render with the gate's extras: text and markdown reports carry the coverage table. */
export function renderConformance(result: GateResult, format: Format): string {
  const text = render(result, format);
  const r = result as ConformanceGateResult;
  if (!Array.isArray(r.coverage)) return text;
  if (format === 'markdown') return `${text}\n${coverageMarkdown(r)}`;
  if (format === 'text') return text + coverageText(r);
  return text;
}

export async function conformanceCommand(argv: string[], out: Out): Promise<number> {
  const { values, positionals } = parseCommand(argv, OPTIONS);
  if (values.help) return printHelp(out, CONFORMANCE_HELP);
  const format = reportFormat(values);
  let result: GateResult;
  if (positionals[0] === 'plan') {
    if (positionals.length > 2) throw new InputError(`conformance plan: unexpected argument '${positionals[2]}'`);
    result = runPlanCheck(positionals[1] ?? values['test-plan'], values['fail-on']);
  } else {
    if (positionals.length > 0) throw new InputError(`conformance: unexpected argument '${positionals[0]}' (options take --name VALUE; see --help)`);
    result = await runConformanceGate({
      openapi: values.openapi,
      baseUrl: values['base-url'],
      mode: values.mode,
      seed: values.seed,
      casesPerOperation: values.cases,
      maxRequests: values['max-requests'],
      concurrency: values.concurrency,
      timeout: values.timeout,
      requestTimeout: values['request-timeout'],
      maxResponseTime: values['max-response-time'],
      headers: values.header,
      stateful: values.stateful ?? false,
      showSecrets: values['show-secrets'] ?? false,
      include: values.include,
      skipChecks: values['skip-checks'],
      testPlan: values['test-plan'],
      failOn: values['fail-on'],
    });
  }
  return finish(result, renderConformance(result, format), values.output, out);
}
