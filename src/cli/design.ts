import { designMarkdown, designText } from '../design/report.js';
import { DESIGN_RULES, RULE_IDS } from '../design/rules.js';
import { runDesign, type DesignResult } from '../design/run.js';
import { InputError } from '../kit/errors.js';
import { render, type Format } from '../kit/format/index.js';
import { finish, parseCommand, printHelp, reportFormat, type Out } from './command.js';

const ruleLines = RULE_IDS.map((id) => `  ${id.padEnd(34)}${DESIGN_RULES[id].level.padEnd(9)}${DESIGN_RULES[id].what}`).join('\n');

export const DESIGN_HELP = `api-delivery design SPEC [options]

Design lint of one OpenAPI spec (3.0, 3.1 or Swagger 2.0; YAML or JSON) and, with --prd, the
Definition of Ready: the PRD (templates/PRD.md) filled in. SPEC is a file, or a git revision read
with 'git show' such as origin/main:openapi.yaml. A spec that does not load (not OpenAPI, broken
YAML, a $ref to nothing), or a PRD or rules file that is binary or over 10 MB, is bad input: exit 2
naming the file.

Rules (id, default level, what):
${ruleLines}

Options:
  --prd FILE                      check the PRD markdown: required sections present and filled in,
                                  no {{placeholder}}, TODO or TBD left, an ASVS level, endpoints in the spec
  --rules FILE                    YAML: 'rules:' (rule id: error|warning|info|off) and 'options:'
                                  (parameter-case: camelCase|snake_case|kebab-case,
                                  error-media-types: [application/problem+json, …])
  --fail-on error|warning|never   fail when a finding is at this level or worse (default: error)
  --format FORMAT                 text, json, markdown, junit, sarif or github (default: text)
  --output FILE                   write the report to FILE instead of stdout
  -h, --help                      show this help

An operation public on purpose has security: [] and x-public: true.
Exit codes: 0 pass, 1 the gate failed, 2 bad input or usage.`;

/** The report in a format: the common writers plus the Definition of Ready where it fits. */
export function renderDesign(result: DesignResult, format: Format): string {
  const base = render(result, format);
  if (format === 'markdown') return `${base}\n${designMarkdown(result)}`;
  if (format === 'text') {
    const extra = designText(result);
    return extra ? `${base}\n${extra}` : base;
  }
  return base;
}

export function designCommand(argv: string[], out: Out): number {
  const { values, positionals } = parseCommand(argv, { prd: { type: 'string' }, rules: { type: 'string' } });
  if (values.help) return printHelp(out, DESIGN_HELP);
  if (positionals.length !== 1) {
    throw new InputError(positionals.length ? `design: unexpected argument '${positionals[1]}'` : 'design: expected one SPEC (see api-delivery design --help)');
  }
  const format = reportFormat(values);
  const result = runDesign({ spec: positionals[0]!, prd: values.prd, rules: values.rules, failOn: values['fail-on'] });
  return finish(result, renderDesign(result, format), values.output, out);
}
