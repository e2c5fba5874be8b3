import { InputError } from '../kit/errors.js';
import { render } from '../kit/format/index.js';
import { runBreaking } from '../breaking/run.js';
import { finish, parseCommand, printHelp, reportFormat, type Out } from './command.js';

export const BREAKING_HELP = `api-delivery breaking BASE REVISION [options]

Compare two OpenAPI specs (3.0, 3.1 or Swagger 2.0; YAML or JSON) and report breaking changes
with oasdiff's rule ids and levels. BASE and REVISION are files, or git revisions read with
'git show' such as origin/main:openapi.yaml.

Options:
  --fail-on error|warning|never   fail when a finding is at this level or worse (default: error)
  --format FORMAT                 text, json, markdown, junit, sarif or github (default: text)
  --output FILE                   write the report to FILE instead of stdout
  --match-path REGEX              only check paths that match
  --unmatch-path REGEX            skip paths that match
  --severity-levels FILE          oasdiff-style overrides: 'rule-id err|warn|info|none' per line
  --ignore FILE                   YAML list of accepted changes: {id, operation?, reason, expires?}
  --deprecation-days-beta N       minimum days from deprecation to sunset for beta APIs (default 31)
  --deprecation-days-stable N     minimum days from deprecation to sunset for stable APIs (default 180)
  --include-path-params           match paths with their parameter names (/pets/{id} != /pets/{petId})
  --allow-external-refs           fetch $ref URLs (refused by default)
  --max-spec-size MB              largest spec file accepted (default 32)
  -h, --help                      show this help

Exit codes: 0 pass, 1 the gate failed, 2 bad input or usage.
The JSON report is a GateResult with a 'semver' field (major|minor|patch) advising the bump.`;

const OPTIONS = {
  'match-path': { type: 'string' },
  'unmatch-path': { type: 'string' },
  'severity-levels': { type: 'string' },
  ignore: { type: 'string' },
  'deprecation-days-beta': { type: 'string' },
  'deprecation-days-stable': { type: 'string' },
  'include-path-params': { type: 'boolean' },
  'allow-external-refs': { type: 'boolean' },
  'max-spec-size': { type: 'string' },
  base: { type: 'string' },
  revision: { type: 'string' },
} as const;

export function breakingCommand(argv: string[], out: Out): number {
  const { values, positionals } = parseCommand(argv, OPTIONS);
  if (values.help) return printHelp(out, BREAKING_HELP);
  const base = values.base ?? positionals[0];
  const revision = values.revision ?? positionals[values.base ? 0 : 1];
  if (!base || !revision) throw new InputError('breaking: expected BASE and REVISION (see api-delivery breaking --help)');
  if (positionals.length > 2) throw new InputError(`breaking: unexpected argument '${positionals[2]}'`);
  const format = reportFormat(values);
  const result = runBreaking({
    base,
    revision,
    failOn: values['fail-on'],
    matchPath: values['match-path'],
    unmatchPath: values['unmatch-path'],
    severityLevels: values['severity-levels'],
    ignore: values.ignore,
    deprecationDaysBeta: values['deprecation-days-beta'],
    deprecationDaysStable: values['deprecation-days-stable'],
    includePathParams: values['include-path-params'] ?? false,
    allowExternalRefs: values['allow-external-refs'] ?? false,
    maxSpecSize: values['max-spec-size'],
  });
  return finish(result, render(result, format), values.output, out);
}
