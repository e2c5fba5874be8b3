import { InputError } from '../kit/errors.js';
import { render, type Format } from '../kit/format/index.js';
import { flagsMarkdown, flagsText } from '../flags/report.js';
import { parseMode, runFlagsCheck, runFlagsStale, type FlagsResult } from '../flags/run.js';
import { finish, parseCommand, printHelp, reportFormat, type Out } from './command.js';

export const FLAGS_HELP = `api-delivery flags check --base BASE --revision REVISION [--flags FILE] [options]
api-delivery flags stale --spec SPEC --flags FILE [options]

Feature flags for operations shipped dark. An operation names its flag with x-feature-flag: <name>
(on the operation, or on its path item for all its operations; x-feature-flag: false ships a new
operation without a flag on purpose). The flags file (YAML or JSON) is the register:

  flags:
    - name: pets-search            # required
      owner: '@acme/pets'          # required (a list for several owners)
      created: 2026-01-10          # required (a date-time counts by its date)
      status: rolling-out          # rolling-out (default), on, off or removed (any case)
      on-since: 2026-02-01         # optional: when it went fully on
      remove-by: 2026-06-30        # optional (or expires): the promised removal date

check (phase 2): every operation REVISION adds to BASE (as the breaking gate sees it) must name a
flag; with --flags, every flag an operation of REVISION names must be declared and not removed,
and the file must be complete. BASE and REVISION are files or git revisions (origin/main:openapi.yaml);
a BASE revision without the file means a new API: every operation counts as added.
stale (phase 5): the register judged against today and the spec.

Findings:
  flag-missing           error    check: a new operation names no flag
  flag-invalid-name      error    x-feature-flag (or a name in the file) is not a flag name
  flag-undeclared        error    an operation names a flag the flags file lacks
  flag-removed-in-use    error    an operation names a flag the file marks removed
  flag-duplicate         error    the file declares a name twice
  flag-owner-missing     error    a flag without an owner
  flag-created-missing   error    a flag without a created date
  flag-invalid-date      error    a date that is no date, or remove-by before created
  flag-invalid-status    error    a status other than rolling-out, on, off, removed
  flag-past-remove-by    error    stale: remove-by (or expires) has passed and the flag is not removed
  flag-too-old           warning  stale: created more than --max-age-days ago, not removed, no remove-by
  flag-cleanup-due       warning  stale: fully on for more than --cleanup-days (from on-since, else created)
  flag-unused            warning  stale: declared, not removed, and no operation names it
  flag-waived            info     check: a new operation with x-feature-flag: false
  flag-new-spec          info     check: BASE's revision has no such file: every operation is new

Options:
  --base SPEC                     check: the spec before the change (file or REV:path)
  --revision SPEC                 check: the spec after the change
  --spec SPEC                     stale: the spec whose operations use the flags
  --flags FILE                    the flags file (optional for check, required for stale)
  --max-age-days N                stale: flags older than N days are flag-too-old (default 90)
  --cleanup-days N                stale: flags on for more than N days are flag-cleanup-due (default 30)
  --today YYYY-MM-DD              stale: the date to judge against (default: today, UTC)
  --fail-on error|warning|never   fail when a finding is at this level or worse (default: error)
  --format FORMAT                 text, json, markdown, junit, sarif or github (default: text)
  --output FILE                   write the report to FILE instead of stdout
  -h, --help                      show this help

Exit codes: 0 pass, 1 the gate failed, 2 bad input or usage.`;

const CHECK_ONLY = ['base', 'revision'] as const;
const STALE_ONLY = ['spec', 'max-age-days', 'cleanup-days', 'today'] as const;

/** The report in a format: the common writers plus the new operations and the flag register where they fit. */
export function renderFlags(result: FlagsResult, format: Format): string {
  const base = render(result, format);
  if (format === 'markdown') {
    const extra = flagsMarkdown(result);
    return extra ? `${base}\n${extra}` : base;
  }
  if (format === 'text') {
    const extra = flagsText(result);
    return extra ? `${base}\n${extra}` : base;
  }
  return base;
}

const OPTIONS = {
  base: { type: 'string' },
  revision: { type: 'string' },
  spec: { type: 'string' },
  flags: { type: 'string' },
  'max-age-days': { type: 'string' },
  'cleanup-days': { type: 'string' },
  today: { type: 'string' },
} as const;

export function flagsCommand(argv: string[], out: Out): number {
  const { values, positionals } = parseCommand(argv, OPTIONS);
  if (values.help) return printHelp(out, FLAGS_HELP);
  if (positionals.length !== 1) {
    throw new InputError(positionals.length ? `flags: unexpected argument '${positionals[1]}'` : 'flags: expected check or stale (see api-delivery flags --help)');
  }
  const mode = parseMode(positionals[0]);
  const other = mode === 'check' ? STALE_ONLY : CHECK_ONLY;
  for (const o of other) {
    if (values[o] !== undefined) throw new InputError(`flags ${mode}: --${o} is for flags ${mode === 'check' ? 'stale' : 'check'}`, { field: o });
  }
  const format = reportFormat(values);
  const result =
    mode === 'check'
      ? runFlagsCheck({ base: values.base, revision: values.revision, flags: values.flags, failOn: values['fail-on'] })
      : runFlagsStale({
          spec: values.spec,
          flags: values.flags,
          maxAgeDays: values['max-age-days'],
          cleanupDays: values['cleanup-days'],
          today: values.today,
          failOn: values['fail-on'],
        });
  return finish(result, renderFlags(result, format), values.output, out);
}
