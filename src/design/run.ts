/** The design gate: design lint of one spec plus, with a PRD, the Definition of Ready; from string inputs as the CLI and the action get them. */
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadSpec } from '../breaking/spec/load.js';
import { InputError } from '../kit/errors.js';
import { parseFailOn, readTextFile, rejectDirectory } from '../kit/inputs.js';
import { sortFindings, verdictFor, type FailOn, type Finding, type GateResult } from '../kit/result.js';
import { defaultConfig, parseRulesFile, type DesignConfig, type DesignOptions, type RuleSetting } from './config.js';
import { lintSpec } from './lint.js';
import { checkPrd, type PrdSection } from './prd.js';
import { isDesignRule, type DesignRule } from './rules.js';

export interface DesignInputs {
  /** A spec file or `REV:path`. */
  spec: string;
  /** The PRD markdown; empty: the Definition of Ready is not checked. */
  prd?: string;
  /** A rules file (YAML); empty: every rule at its default level. */
  rules?: string;
  failOn?: string;
  /** Directory the paths and git revisions are read from. */
  cwd?: string;
}

export interface DesignResult extends GateResult {
  gate: 'design';
  /** The spec as it was named (relative to cwd, or `REV:path`). */
  spec: string;
  /** The PRD as it was named, when one was checked. */
  prd?: string;
  /** The rules file as it was named, when one was given. */
  rulesFile?: string;
  /** Each rule's level as applied (`off`: not run). */
  rules: Record<DesignRule, RuleSetting>;
  options: DesignOptions;
  /** The PRD's required sections and how each is filled in. */
  readiness?: PrdSection[];
}

interface DesignPlan {
  spec: string;
  prd?: { name: string; text: string };
  rulesFile?: string;
  config: DesignConfig;
  failOn: FailOn;
  cwd: string;
}

/** Check every input before the spec is loaded, so a bad option is reported as such. */
export function parseDesignInputs(i: DesignInputs): DesignPlan {
  const spec = i.spec?.trim();
  if (!spec) throw new InputError('spec: required (an OpenAPI file or REV:path)', { field: 'spec' });
  const cwd = i.cwd ?? process.cwd();
  const failOn = parseFailOn(i.failOn);
  const rulesFile = i.rules?.trim() || undefined;
  let config = defaultConfig();
  if (rulesFile) {
    const abs = path.resolve(cwd, rulesFile);
    rejectDirectory(abs, 'rules', 'a YAML rules file', rulesFile);
    config = parseRulesFile(readTextInput(abs, 'rules', rulesFile, 'a YAML rules file'), rulesFile);
  }
  const prdName = i.prd?.trim() || undefined;
  let prd: DesignPlan['prd'];
  if (prdName) {
    const abs = path.resolve(cwd, prdName);
    rejectDirectory(abs, 'prd', 'a PRD markdown file', prdName);
    prd = { name: prdName, text: readTextInput(abs, 'prd', prdName, 'a markdown PRD') };
  }
  return { spec, prd, rulesFile, config, failOn, cwd };
}

/** A PRD or rules file is a short text: anything bigger is the wrong file. */
export const MAX_TEXT_INPUT_BYTES = 10 * 1024 * 1024;

/**
 * A PRD or rules file as text: UTF-8, or UTF-16 with a byte order mark (as some Windows editors
 * save); one that is too big or binary (NUL bytes) is bad input naming the file and the field.
 */
export function readTextInput(abs: string, field: string, shown: string, what: string): string {
  let size: number;
  try {
    size = statSync(abs).size;
  } catch {
    return readTextFile(abs, field, shown); // its message for a missing or unreadable file
  }
  if (size > MAX_TEXT_INPUT_BYTES) {
    throw new InputError(`${field}: '${shown}' is ${(size / 1048576).toFixed(1)} MB, over the ${MAX_TEXT_INPUT_BYTES / 1048576} MB limit: expected ${what}`, { file: shown, field });
  }
  let buf: Buffer;
  try {
    buf = readFileSync(abs);
  } catch {
    return readTextFile(abs, field, shown);
  }
  let text: string;
  if (buf[0] === 0xff && buf[1] === 0xfe) text = buf.subarray(2).toString('utf16le');
  else if (buf[0] === 0xfe && buf[1] === 0xff) text = Buffer.from(buf.subarray(2)).swap16().toString('utf16le');
  else text = buf.toString('utf8');
  if (text.includes('\u0000')) throw new InputError(`${field}: '${shown}' is not a text file (it holds NUL bytes): expected ${what} saved as UTF-8`, { file: shown, field });
  return text;
}

/** Levels from the config; rules turned off are dropped. */
function applyLevels(findings: readonly Finding[], config: DesignConfig): Finding[] {
  const out: Finding[] = [];
  for (const f of findings) {
    const setting = isDesignRule(f.id) ? config.levels[f.id] : f.level;
    if (setting !== 'off') out.push({ ...f, level: setting });
  }
  return out;
}

export function checkDesign(p: DesignPlan): DesignResult {
  const spec = loadSpec(p.spec, { cwd: p.cwd });
  const lint = lintSpec(spec, p.config.options);
  const findings = [...lint.findings];
  let readiness: PrdSection[] | undefined;
  if (p.prd) {
    const report = checkPrd(p.prd.text, p.prd.name, lint.operations, spec.root.name);
    findings.push(...report.findings);
    readiness = report.sections;
  }
  const applied = applyLevels(findings, p.config);
  return {
    gate: 'design',
    verdict: verdictFor(applied, p.failOn),
    findings: sortFindings(applied),
    metrics: {
      ...lint.metrics,
      ...(readiness ? { 'PRD sections filled': readiness.filter((s) => s.status === 'filled').length } : {}),
    },
    spec: spec.root.name,
    ...(p.prd ? { prd: p.prd.name } : {}),
    ...(p.rulesFile ? { rulesFile: p.rulesFile } : {}),
    rules: p.config.levels,
    options: p.config.options,
    ...(readiness ? { readiness } : {}),
  };
}

/** Parse inputs, load the spec, lint it and check the PRD: one call for every surface. */
export function runDesign(i: DesignInputs): DesignResult {
  return checkDesign(parseDesignInputs(i));
}
