import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
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

/** Write a report to the file an option names; a directory or a missing parent folder is bad input, not a crash. */
export function writeTextFile(file: string, text: string, field = 'output'): void {
  try {
    writeFileSync(file, text);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EISDIR' ? 'is a directory' : code === 'ENOENT' ? 'is in a folder that does not exist' : `cannot be written (${code ?? (e as Error).message})`;
    throw new InputError(`${field}: '${file}' ${why}: expected a file path to write the report to`, { file, field });
  }
}

/** Throw InputError when `file` exists and is a directory (`what` says what was expected instead). */
export function rejectDirectory(file: string, field: string, what = 'a file', shown = file): void {
  let dir = false;
  try {
    dir = statSync(file).isDirectory();
  } catch {
    return; // missing: the reader says so
  }
  if (dir) throw new InputError(`${field}: '${shown}' is a directory, expected ${what}`, { file: shown, field });
}

/** Check before any work is done that `file` can be created: not a directory, its folder exists. */
export function checkOutputPath(file: string | undefined, field = 'output'): void {
  if (!file) return;
  rejectDirectory(file, field, 'a file path to write to');
  const parent = dirname(resolve(file));
  let ok = false;
  try {
    ok = statSync(parent).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new InputError(`${field}: '${file}' is in a folder that does not exist ('${parent}')`, { file, field });
}

/**
 * An abort signal that fires after `ms`, like AbortSignal.timeout, but whose timer keeps Node running.
 * fetch() can stay pending on a server that drops every connection at once; with AbortSignal.timeout's
 * unref'd timer Node then runs out of work and exits with code 13 and no message. Call `clear()` once
 * the response has been read.
 */
export function timeoutSignal(ms: number): { signal: AbortSignal; clear: () => void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`no answer within ${ms} ms`, 'TimeoutError')), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
