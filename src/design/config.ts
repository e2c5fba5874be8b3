/**
 * The rules file teams tune the lint with:
 *
 * ```yaml
 * rules:
 *   component-unused: off
 *   operation-id-missing: error
 * options:
 *   parameter-case: snake_case
 *   error-media-types: [application/problem+json, application/problem+xml]
 * ```
 */
import { parse } from 'yaml';
import { InputError } from '../kit/errors.js';
import { LEVELS, type Level } from '../kit/result.js';
import { DESIGN_RULES, isDesignRule, RULE_IDS, type DesignRule } from './rules.js';

export type RuleSetting = Level | 'off';

export const PARAMETER_CASES = ['camelCase', 'snake_case', 'kebab-case'] as const;
export type ParameterCase = (typeof PARAMETER_CASES)[number];

export interface DesignOptions {
  /** Case of path and query parameter names. */
  parameterCase: ParameterCase;
  /** Media types an error response may use (lower case, no parameters). */
  errorMediaTypes: string[];
}

export interface DesignConfig {
  levels: Record<DesignRule, RuleSetting>;
  options: DesignOptions;
}

export const DEFAULT_OPTIONS: DesignOptions = { parameterCase: 'camelCase', errorMediaTypes: ['application/problem+json'] };

export function defaultConfig(): DesignConfig {
  const levels = Object.fromEntries(RULE_IDS.map((id) => [id, DESIGN_RULES[id].level])) as Record<DesignRule, RuleSetting>;
  return { levels, options: { ...DEFAULT_OPTIONS, errorMediaTypes: [...DEFAULT_OPTIONS.errorMediaTypes] } };
}

const SETTINGS: readonly RuleSetting[] = [...LEVELS, 'off'];
const OPTION_NAMES = ['parameter-case', 'error-media-types'] as const;

/** `application/Problem+JSON; charset=utf-8` → `application/problem+json`. */
export function mediaTypeKey(s: string): string {
  return s.split(';')[0]!.trim().toLowerCase();
}

const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/;

/** Read a rules file's text; every problem names the file and the field. */
export function parseRulesFile(text: string, file: string): DesignConfig {
  const bad = (field: string, why: string) => new InputError(`${file}: ${field}: ${why}`, { file, field });
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new InputError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`, { file });
  }
  const config = defaultConfig();
  if (doc === null || doc === undefined) return config;
  if (!isMap(doc)) throw new InputError(`${file}: expected a mapping with 'rules' and/or 'options'`, { file });
  for (const key of Object.keys(doc)) {
    if (key !== 'rules' && key !== 'options') throw bad(key, "unknown key: expected 'rules' (rule id: error|warning|info|off) and 'options'");
  }
  const rules = doc.rules;
  if (rules !== undefined && rules !== null) {
    if (!isMap(rules)) throw bad('rules', 'expected a mapping of rule id to error, warning, info or off');
    for (const [id, raw] of Object.entries(rules)) {
      const field = `rules.${id}`;
      if (!isDesignRule(id)) throw bad(field, `unknown rule id '${id}' (known: ${RULE_IDS.join(', ')})`);
      // `off` is a string in YAML 1.2; `false` is accepted as off too.
      const value = raw === false ? 'off' : typeof raw === 'string' ? raw.trim().toLowerCase() : raw;
      if (typeof value !== 'string' || !(SETTINGS as readonly string[]).includes(value)) {
        throw bad(field, `${JSON.stringify(raw)} is not one of ${SETTINGS.join(', ')}`);
      }
      config.levels[id] = value as RuleSetting;
    }
  }
  const options = doc.options;
  if (options !== undefined && options !== null) {
    if (!isMap(options)) throw bad('options', `expected a mapping (known options: ${OPTION_NAMES.join(', ')})`);
    for (const [name, raw] of Object.entries(options)) {
      const field = `options.${name}`;
      if (name === 'parameter-case') {
        if (typeof raw !== 'string' || !(PARAMETER_CASES as readonly string[]).includes(raw.trim())) {
          throw bad(field, `${JSON.stringify(raw)} is not one of ${PARAMETER_CASES.join(', ')}`);
        }
        config.options.parameterCase = raw.trim() as ParameterCase;
      } else if (name === 'error-media-types') {
        const list = typeof raw === 'string' ? [raw] : raw;
        if (!Array.isArray(list) || list.length === 0) throw bad(field, 'expected a media type or a non-empty list of them, e.g. application/problem+json');
        config.options.errorMediaTypes = list.map((m, i) => {
          const key = typeof m === 'string' ? mediaTypeKey(m) : '';
          if (!MEDIA_TYPE.test(key)) throw bad(`${field}[${i}]`, `${JSON.stringify(m)} is not a media type such as application/problem+json`);
          return key;
        });
      } else {
        throw bad(field, `unknown option '${name}' (known: ${OPTION_NAMES.join(', ')})`);
      }
    }
  }
  return config;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
