import { InputError } from '../kit/errors.js';
import { render, type Format } from '../kit/format/index.js';
import { telemetryMarkdown, telemetryText } from '../telemetry/report.js';
import { DEFAULT_RETRIES, DEFAULT_TIMEOUT, DEFAULT_WINDOW, runTelemetry, type TelemetryResult } from '../telemetry/run.js';
import { DEFAULT_NAMES } from '../telemetry/checks.js';
import { finish, parseCommand, printHelp, reportFormat, type Out } from './command.js';

export const TELEMETRY_HELP = `api-delivery telemetry --prometheus-url URL --check CHECK… [options]

Post-release telemetry gate: after a deploy, ask Prometheus (instant queries, /api/v1/query) how
production or a canary is doing over a window, and judge every check against its budget, per route
if asked. A check whose query returns no series, or NaN (no requests in the window), never passes.

Checks (--check, repeatable; or a --checks-file):
  error-rate<0.01             share of requests whose status matches --error-status (also <1%)
  p95<300ms                   any percentile from the latency histogram: p99<1s, p(99.9)<2000, p99<500us
  avg<200ms                   mean latency (histogram _sum / _count)
  requests>=100               requests in the window (enough traffic to judge)
  The threshold is k6's syntax (< <= > >= == !=; spaces allowed); a latency is in ms, s or us,
  and without a unit in ms.
  PromQL checks go in the checks file:  - name: checkout errors
                                          query: sum(rate(checkout_failed_total{$selector}[$window]))
                                          threshold: '<0.5'
  ($window and $selector are replaced by the window and the --selector matchers.)

Options:
  --prometheus-url URL            Prometheus base URL (e.g. http://prometheus:9090, with its path prefix)
  --token TOKEN                   bearer token (default: the PROMETHEUS_TOKEN environment variable)
  --basic-auth USER:PASSWORD      basic auth (default: PROMETHEUS_BASIC_AUTH)
  --header 'Name: value'          extra header sent with every query; repeatable
  --check CHECK                   a ready-made check; repeatable
  --checks-file FILE              YAML: a list of checks, or {checks: […], window, selector, by, …}
  --window DURATION               the range each check looks back over (default ${DEFAULT_WINDOW})
  --selector MATCHERS             label matchers for every ready-made check: 'service="pets",env="prod"'
  --by LABEL[,LABEL]              judge each value of these labels separately (e.g. route, method,route)
  --requests-metric NAME          request counter (default ${DEFAULT_NAMES.requests})
  --status-label NAME             its status label (default ${DEFAULT_NAMES.statusLabel})
  --error-status REGEX            statuses that count as errors (default ${DEFAULT_NAMES.errorStatus})
  --duration-metric NAME          latency histogram base name (default ${DEFAULT_NAMES.duration})
  --duration-unit seconds|milliseconds   the histogram's unit (default: as its name ends, _milliseconds
                                  or _ms, else ${DEFAULT_NAMES.durationUnit})
  --deployed-at TIME              release time (RFC 3339 or Unix seconds): the window starts no earlier;
                                  more than 5 minutes in the future is bad input
  --wait DURATION                 settle first: query no earlier than DURATION after --deployed-at
                                  (without it: sleep DURATION); at most 6h
  --at TIME                       evaluate at TIME instead of now (a past release, a re-run)
  --query-timeout DURATION        one query (default ${DEFAULT_TIMEOUT}; a bare number is seconds);
                                  429/503 are retried, honouring Retry-After
  --retries N                     retries after 429/502/503/504 (default ${DEFAULT_RETRIES})
  --no-data error|warning         level of a check without data (default: error)
  --fail-on error|warning|never   fail when a finding is at this level or worse (default: error)
  --format FORMAT                 text, json, markdown, junit, sarif or github (default: text)
  --output FILE                   write the report to FILE instead of stdout
  -h, --help                      show this help

Findings: check-failed (error), no-data (error, or --no-data), prometheus-warning (warning: the
answer may be partial), prometheus-info (info).
Exit codes: 0 pass, 1 the gate failed, 2 bad input or usage, or Prometheus refused the query,
answered an error, did not answer in time or could not be reached.`;

/** The report in a format: the common writers plus the table of checks where it fits. */
export function renderTelemetry(result: TelemetryResult, format: Format): string {
  const base = render(result, format);
  if (format === 'markdown') return `${base}\n${telemetryMarkdown(result)}`;
  if (format === 'text') return `${base}\n${telemetryText(result)}`;
  return base;
}

const OPTIONS = {
  'prometheus-url': { type: 'string' },
  token: { type: 'string' },
  'basic-auth': { type: 'string' },
  header: { type: 'string', multiple: true },
  check: { type: 'string', multiple: true },
  'checks-file': { type: 'string' },
  window: { type: 'string' },
  selector: { type: 'string' },
  by: { type: 'string' },
  'requests-metric': { type: 'string' },
  'status-label': { type: 'string' },
  'error-status': { type: 'string' },
  'duration-metric': { type: 'string' },
  'duration-unit': { type: 'string' },
  'deployed-at': { type: 'string' },
  wait: { type: 'string' },
  at: { type: 'string' },
  'query-timeout': { type: 'string' },
  retries: { type: 'string' },
  'no-data': { type: 'string' },
} as const;

export async function telemetryCommand(argv: string[], out: Out, err: Out = () => {}, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values, positionals } = parseCommand(argv, OPTIONS);
  if (values.help) return printHelp(out, TELEMETRY_HELP);
  if (positionals.length) throw new InputError(`telemetry: unexpected argument '${positionals[0]}' (see api-delivery telemetry --help)`);
  const format = reportFormat(values);
  const result = await runTelemetry(
    {
      prometheusUrl: values['prometheus-url'],
      token: values.token ?? env.PROMETHEUS_TOKEN,
      basicAuth: values['basic-auth'] ?? env.PROMETHEUS_BASIC_AUTH,
      headers: values.header,
      checks: (values.check ?? []).join('\n'),
      checksFile: values['checks-file'],
      window: values.window,
      selector: values.selector,
      by: values.by,
      requestsMetric: values['requests-metric'],
      statusLabel: values['status-label'],
      errorStatus: values['error-status'],
      durationMetric: values['duration-metric'],
      durationUnit: values['duration-unit'],
      deployedAt: values['deployed-at'],
      wait: values.wait,
      at: values.at,
      queryTimeout: values['query-timeout'],
      retries: values.retries,
      noData: values['no-data'],
      failOn: values['fail-on'],
    },
    { onWait: (ms, until) => err(`telemetry: waiting ${Math.ceil(ms / 1000)} s for the release to settle (until ${new Date(until).toISOString()})\n`) },
  );
  return finish(result, renderTelemetry(result, format), values.output, out);
}
