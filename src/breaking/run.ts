import path from 'node:path';
import { InputError } from '../kit/errors.js';
import { parseBool, parseFailOn, parseNonNegativeInt, parseRegex, readTextFile } from '../kit/inputs.js';
import { checkBreaking, type BreakingOptions, type BreakingResult } from './engine.js';
import { parseIgnoreFile } from './ignore.js';
import { parseSeverityLevels } from './severity.js';

/** The gate's inputs as strings, the way the CLI and the action both receive them. */
export interface BreakingInputs {
  base: string;
  revision: string;
  failOn?: string;
  matchPath?: string;
  unmatchPath?: string;
  severityLevels?: string;
  ignore?: string;
  deprecationDaysBeta?: string;
  deprecationDaysStable?: string;
  includePathParams?: string | boolean;
  allowExternalRefs?: string | boolean;
  maxSpecSize?: string;
  cwd?: string;
  today?: Date;
}

export function parseBreakingInputs(i: BreakingInputs): { base: string; revision: string; options: BreakingOptions } {
  if (!i.base?.trim()) throw new InputError('base: required (a spec file or REV:path)', { field: 'base' });
  if (!i.revision?.trim()) throw new InputError('revision: required (a spec file or REV:path)', { field: 'revision' });
  const cwd = i.cwd ?? process.cwd();
  const options: BreakingOptions = {
    cwd,
    failOn: parseFailOn(i.failOn),
    matchPath: parseRegex(i.matchPath, 'match-path'),
    unmatchPath: parseRegex(i.unmatchPath, 'unmatch-path'),
    deprecationDaysBeta: parseNonNegativeInt(i.deprecationDaysBeta, 'deprecation-days-beta'),
    deprecationDaysStable: parseNonNegativeInt(i.deprecationDaysStable, 'deprecation-days-stable'),
    includePathParams: parseBool(i.includePathParams, 'include-path-params'),
    allowExternalRefs: parseBool(i.allowExternalRefs, 'allow-external-refs'),
    today: i.today,
  };
  if (i.maxSpecSize?.trim()) {
    const mb = Number(i.maxSpecSize.trim());
    if (!Number.isFinite(mb) || mb <= 0) throw new InputError(`max-spec-size: '${i.maxSpecSize}' is not a size in MB`, { field: 'max-spec-size' });
    options.maxBytes = Math.round(mb * 1024 * 1024);
  }
  if (i.severityLevels?.trim()) {
    const f = path.resolve(cwd, i.severityLevels.trim());
    options.severity = parseSeverityLevels(readTextFile(f, 'severity-levels', i.severityLevels.trim()), i.severityLevels.trim());
  }
  if (i.ignore?.trim()) {
    const f = path.resolve(cwd, i.ignore.trim());
    options.ignores = parseIgnoreFile(readTextFile(f, 'ignore', i.ignore.trim()), i.ignore.trim());
  }
  return { base: i.base.trim(), revision: i.revision.trim(), options };
}

/** Parse inputs, load both specs, compare: one call for every surface. */
export function runBreaking(i: BreakingInputs): BreakingResult {
  const { base, revision, options } = parseBreakingInputs(i);
  return checkBreaking(base, revision, options);
}
