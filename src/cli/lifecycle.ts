import { InputError } from '../kit/errors.js';
import { render, type Format } from '../kit/format/index.js';
import { lifecycleMarkdown, lifecycleText } from '../lifecycle/report.js';
import { runLifecycle, type LifecycleResult } from '../lifecycle/run.js';
import { finish, parseCommand, printHelp, reportFormat, type Out } from './command.js';

export const LIFECYCLE_HELP = `api-delivery lifecycle SPEC [options]

Sunset enforcement for one OpenAPI spec (3.0, 3.1 or Swagger 2.0; YAML or JSON): operations
(3.1 webhooks too), parameters, response headers, request/response body schemas and their
properties whose x-sunset date has passed, is near, or is missing or unreadable. Swagger 2.0 parameters and schemas are
marked with x-deprecated: true. SPEC is a file, or a git revision read with 'git show' such as
origin/main:openapi.yaml.

Findings:
  sunset-passed               error    the x-sunset date is before today, and the element is still there
  invalid-sunset              error    x-sunset is not a YYYY-MM-DD date or an RFC 3339 date-time
  sunset-soon                 warning  the sunset is within --warn-days
  sunset-without-deprecation  warning  x-sunset is set but the element is not deprecated: true
  deprecated-without-sunset   info     deprecated: true with no x-sunset

Options:
  --today YYYY-MM-DD              the date to judge against (default: today, UTC)
  --warn-days N                   warn about sunsets up to N days ahead (default 30)
  --fail-on error|warning|never   fail when a finding is at this level or worse (default: error)
  --format FORMAT                 text, json, markdown, junit, sarif or github (default: text)
  --output FILE                   write the report to FILE instead of stdout
  -h, --help                      show this help

Exit codes: 0 pass, 1 the gate failed, 2 bad input or usage.`;

/** The report in a format: the common writers plus the sunset schedule where it fits. */
export function renderLifecycle(result: LifecycleResult, format: Format): string {
  const base = render(result, format);
  if (format === 'markdown') return `${base}\n${lifecycleMarkdown(result)}`;
  if (format === 'text') {
    const extra = lifecycleText(result);
    return extra ? `${base}\n${extra}` : base;
  }
  return base;
}

export function lifecycleCommand(argv: string[], out: Out): number {
  const { values, positionals } = parseCommand(argv, { today: { type: 'string' }, 'warn-days': { type: 'string' } });
  if (values.help) return printHelp(out, LIFECYCLE_HELP);
  if (positionals.length !== 1) {
    throw new InputError(positionals.length ? `lifecycle: unexpected argument '${positionals[1]}'` : 'lifecycle: expected one SPEC (see api-delivery lifecycle --help)');
  }
  const format = reportFormat(values);
  const result = runLifecycle({ spec: positionals[0]!, today: values.today, warnDays: values['warn-days'], failOn: values['fail-on'] });
  return finish(result, renderLifecycle(result, format), values.output, out);
}
