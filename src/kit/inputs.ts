import { readFileSync } from 'node:fs';
import { InputError } from './errors.js';
import { FAIL_ON_VALUES, type FailOn } from './result.js';
import { isFormat, type Format } from './format/index.js';

/** Shared parsing of option values; every failure names the option and what was expected. */
export function parseFailOn(v: string | undefined, field = 'fail-on'): FailOn {
  const s = (v ?? '').trim() || 'error';
  if (!(FAIL_ON_VALUES as readonly string[]).includes(s)) {
    throw new InputError(`${field}: '${s}' is not one of ${FAIL_ON_VALUES.join(', ')}`, { field });
  }
  return s as FailOn;
}

export function parseFormat(v: string | undefined, field = 'format'): Format {
  const s = (v ?? '').trim() || 'text';
  if (!isFormat(s)) throw new InputError(`${field}: '${s}' is not one of text, json, markdown, junit, sarif, github`, { field });
  return s;
}

export function parseNonNegativeInt(v: string | undefined, field: string): number | undefined {
  if (v === undefined || v.trim() === '') return undefined;
  if (!/^\d+$/.test(v.trim())) throw new InputError(`${field}: '${v}' is not a whole number of days (0 or more)`, { field });
  return Number(v.trim());
}

export function parseRegex(v: string | undefined, field: string): RegExp | undefined {
  if (v === undefined || v === '') return undefined;
  try {
    return new RegExp(v);
  } catch (e) {
    throw new InputError(`${field}: '${v}' is not a valid regular expression: ${(e as Error).message}`, { field });
  }
}

export function parseBool(v: string | boolean | undefined, field: string): boolean {
  if (typeof v === 'boolean') return v;
  const s = (v ?? '').trim().toLowerCase();
  if (s === '' || s === 'false') return false;
  if (s === 'true') return true;
  throw new InputError(`${field}: '${v}' is not true or false`, { field });
}

/** Read a file an option names; `shown` is the path as the user wrote it. */
export function readTextFile(file: string, field: string, shown = file): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    throw new InputError(`${field}: file '${shown}' not found or not readable`, { file: shown, field });
  }
}
