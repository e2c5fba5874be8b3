import { existsSync } from 'node:fs';
import { runAsvs, runInit, type AsvsInputs, type AsvsResult } from '../asvs/run.js';
import { asvsMarkdown, asvsText } from '../asvs/report.js';
import { InputError } from '../kit/errors.js';
import { render, type Format } from '../kit/format/index.js';
import { checkOutputPath, writeTextFile } from '../kit/inputs.js';
import { EXIT } from '../kit/result.js';
import { finish, isHelpWord, parseCommand, printHelp, reportFormat, type Out } from './command.js';

export const ASVS_HELP = `api-delivery asvs <verify|probe|init> [options]

OWASP ASVS gate: verify a security checklist (markdown table or YAML keyed on versioned ids such
as v5.0.0-6.2.1), probe a running API for rate limiting, authentication, headers and error leaks,
or write a new checklist.

  api-delivery asvs verify CHECKLIST [--level N] [options]
      Every requirement of the level needs a row; fail and todo rows fail the gate, n/a needs a
      reason in Notes, pass needs evidence: a repository path (path#L12), an https URL or a probe
      id. Statuses as teams write them (Passed, ✅, Not applicable, N/A - reason) are read; partial
      is no status. Rows above the level may stay blank (their slips are warnings). With --openapi and --base-url the probes run too, and a pass row citing a failed probe fails.
    --level 1|2|3             target level (default: 'Target level:' in the checklist)
    --version 4.0.3|5.0.0     ASVS version (default: 'ASVS version:' in the checklist)
    --allow-todo              todo rows are warnings, not errors
    --base REF                compare with the checklist at this git revision (e.g. origin/main)
    --catalog FILE|DIR        official ASVS export (JSON or CSV): requirement texts in the report
    --root DIR                repository root for evidence paths (default: the current directory)

  api-delivery asvs probe --openapi FILE --base-url URL [options]
      Calls only URL (no redirects followed), within a request and time budget:
      probe:headers, probe:auth, probe:error-leak, then probe:rate-limit.
    --token TOKEN             credentials for the calls that need them (Authorization: Bearer TOKEN)
    --probes LIST             comma-separated subset: auth,rate-limit,headers,error-leak (default: all)
    --rate-limit-operation OP 'GET /pets' or an operationId (default: the first GET without path params)
    --rate-limit-max N        the burst must meet a 429 within N requests (default 200, at most 10000)
    --rate-limit-concurrency N  requests in flight during the burst (default 8)
    --timeout SECONDS         per request (default 10)
    --max-duration SECONDS    for all probes together (default 120)

  api-delivery asvs init --level N [--version 5.0.0] [--catalog FILE] [--output FILE] [--force]
      Write a checklist with every requirement of the level as todo (YAML when FILE ends in .yml/.yaml).
      Requirement texts are included only with --catalog (they are CC BY-SA 4.0, OWASP Foundation).

Common options:
  --fail-on error|warning|never   (default: error)
  --format FORMAT                 text, json, markdown, junit, sarif or github (default: text)
  --output FILE                   write the report (or the new checklist) to FILE
  -h, --help

Exit codes: 0 pass, 1 the gate failed, 2 bad input or usage.`;

const OPTIONS = {
  level: { type: 'string' },
  version: { type: 'string' },
  'allow-todo': { type: 'boolean' },
  base: { type: 'string' },
  catalog: { type: 'string' },
  root: { type: 'string' },
  openapi: { type: 'string' },
  'base-url': { type: 'string' },
  token: { type: 'string' },
  probes: { type: 'string' },
  'rate-limit-operation': { type: 'string' },
  'rate-limit-max': { type: 'string' },
  'rate-limit-concurrency': { type: 'string' },
  timeout: { type: 'string' },
  'max-duration': { type: 'string' },
  force: { type: 'boolean' },
} as const;

/** The report in a format: the common writers plus coverage, probes and changes where they fit. */
export function renderAsvs(result: AsvsResult, format: Format): string {
  const base = render(result, format);
  if (format === 'markdown') return `${base}\n${asvsMarkdown(result)}`;
  if (format === 'text') {
    const extra = asvsText(result);
    return extra ? `${base}\n${extra}` : base;
  }
  return base;
}

export async function asvsCommand(argv: string[], out: Out): Promise<number> {
  const [sub, ...rest] = argv;
  if (isHelpWord(sub)) return printHelp(out, ASVS_HELP);
  if (!['verify', 'probe', 'init'].includes(sub)) throw new InputError(`asvs: unknown subcommand '${sub}': expected verify, probe or init`);
  const { values, positionals } = parseCommand(rest, OPTIONS);
  if (values.help) return printHelp(out, ASVS_HELP);
  const only = (allowed: string[]) => {
    for (const k of Object.keys(values)) {
      if (!allowed.includes(k) && k !== 'help') throw new InputError(`asvs ${sub}: --${k} does not apply here (see api-delivery asvs --help)`);
    }
  };
  if (sub === 'init') {
    only(['level', 'version', 'catalog', 'output', 'force', 'format']);
    if (positionals.length) throw new InputError(`asvs init: unexpected argument '${positionals[0]}'`);
    const yaml = /\.ya?ml$/i.test(values.output ?? '');
    const text = runInit({ level: values.level, version: values.version, catalog: values.catalog, format: values.format ?? (yaml ? 'yaml' : 'markdown') });
    if (values.output) {
      checkOutputPath(values.output);
      if (existsSync(values.output) && !values.force) throw new InputError(`output: '${values.output}' exists; pass --force to overwrite it`, { field: 'output' });
      writeTextFile(values.output, text);
      out(`wrote ${values.output}\n`);
    } else out(text);
    return EXIT.pass;
  }
  const format = reportFormat(values);
  const inputs: AsvsInputs = {
    level: values.level,
    version: values.version,
    allowTodo: values['allow-todo'] ?? false,
    base: values.base,
    catalog: values.catalog,
    root: values.root,
    openapi: values.openapi,
    baseUrl: values['base-url'],
    token: values.token,
    probes: values.probes,
    rateLimitOperation: values['rate-limit-operation'],
    rateLimitMax: values['rate-limit-max'],
    rateLimitConcurrency: values['rate-limit-concurrency'],
    timeout: values.timeout,
    maxDuration: values['max-duration'],
    failOn: values['fail-on'],
  };
  if (sub === 'verify') {
    if (positionals.length !== 1) throw new InputError('asvs verify: expected one CHECKLIST file (see api-delivery asvs --help)');
    if (values.force) throw new InputError('asvs verify: --force applies to init only');
    inputs.checklist = positionals[0];
    inputs.mode = values.openapi || values['base-url'] ? 'both' : 'verify';
  } else {
    if (positionals.length) throw new InputError(`asvs probe: unexpected argument '${positionals[0]}'`);
    only(['openapi', 'base-url', 'token', 'probes', 'rate-limit-operation', 'rate-limit-max', 'rate-limit-concurrency', 'timeout', 'max-duration', 'fail-on', 'format', 'output']);
    inputs.mode = 'probe';
  }
  const result = await runAsvs(inputs);
  return finish(result, renderAsvs(result, format), values.output, out);
}
