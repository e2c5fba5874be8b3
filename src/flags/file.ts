/**
 * The flags file: the team's register of feature flags, one entry per flag (YAML or JSON).
 *
 *   flags:
 *     - name: pets-search          # required: the name operations give in x-feature-flag
 *       owner: '@acme/pets'        # who removes it (a finding when missing); a list for several
 *       created: 2026-01-10        # a finding when missing
 *       status: rolling-out        # rolling-out | on | off | removed (default rolling-out; any case)
 *       on-since: 2026-02-01       # optional: the day it went fully on
 *       remove-by: 2026-06-30      # optional (alias: expires): the promised removal date
 *       description: …             # optional; x-* keys are free for the team's own data
 *
 * The file's shape (a mapping with a `flags` list of mappings, each field of the right type, no
 * unknown field) is checked here and a breach is bad input (exit 2, file and field named). What a
 * well-formed entry says (an owner missing, a date that is no date, an unknown status) is judged by
 * the gate as findings on the file's lines (check.ts).
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { parseSunset, type Day } from '../breaking/rules/lifecycle.js';
import { parseDoc, type Doc } from '../breaking/spec/doc.js';
import { isObj, own } from '../breaking/spec/loc.js';
import { InputError } from '../kit/errors.js';
import { readTextFile } from '../kit/inputs.js';

export const FLAG_STATUSES = ['rolling-out', 'on', 'off', 'removed'] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];
export const DEFAULT_STATUS: FlagStatus = 'rolling-out';

/** Date fields of an entry; `expires` is another name for `remove-by`. */
export const DATE_FIELDS = ['created', 'remove-by', 'expires', 'on-since'] as const;
export type DateField = (typeof DATE_FIELDS)[number];
const STRING_FIELDS = ['name', 'owner', 'status', 'description'] as const;
const KNOWN_FIELDS: readonly string[] = [...STRING_FIELDS, ...DATE_FIELDS];

/**
 * A register date: `YYYY-MM-DD`, or a date-time whose day counts as written. Beside RFC 3339, the
 * forms teams write in YAML are read too: a space instead of `T`, no seconds, no zone, a zone without
 * a colon or written after a space (`2026-01-10 10:00:00`, `2026-01-10T10:00`, `2026-01-10 10:00:00 +02`):
 * only the day matters here, so the time is checked for sense and then dropped.
 */
const LOOSE_DATE_TIME = /^(\d{4}-\d{2}-\d{2})(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:[Zz]|[+-](\d{1,2})(?::?(\d{2}))?)?$/;

function readDate(v: unknown): ReturnType<typeof parseSunset> {
  const strict = parseSunset(v);
  if (strict.ok || typeof v !== 'string') return strict;
  const m = LOOSE_DATE_TIME.exec(v.trim());
  if (!m || Number(m[2]) > 23 || Number(m[3]) > 59 || Number(m[4] ?? 0) > 60 || Number(m[5] ?? 0) > 23 || Number(m[6] ?? 0) > 59) return strict;
  return parseSunset(m[1]);
}

/** Flags files are a few kilobytes; anything near this is not one. */
const MAX_BYTES = 4 * 1024 * 1024;

/** A date field as written, read as a calendar day where it can be. */
export interface FlagDate {
  field: DateField;
  /** As written (a YAML 1.1 timestamp as its ISO string). */
  raw: string;
  /** The day, or the reason it is not one. */
  read: { ok: true; day: Day } | { ok: false; error: string };
  line?: number;
}

export interface FlagEntry {
  /** Position in the `flags` list (0-based). */
  index: number;
  name: string;
  /** Line of the entry's `name` key. */
  line?: number;
  owner?: string;
  ownerLine?: number;
  /** A known status in lower case (`ON` reads as `on`), else as written. Undefined: not given. */
  status?: string;
  statusLine?: number;
  created?: FlagDate;
  /** `remove-by` and/or `expires` (both may be given; the earlier readable one rules). */
  removeBy: FlagDate[];
  onSince?: FlagDate;
  description?: string;
}

export interface FlagsFile {
  /** The path as shown to users (relative to cwd when inside it). */
  name: string;
  entries: FlagEntry[];
}

/** Read and shape-check the flags file at `file` (relative to `cwd`); `field` names the option. */
export function loadFlagsFile(file: string, cwd: string, field = 'flags'): FlagsFile {
  const abs = path.resolve(cwd, file);
  const rel = path.relative(cwd, abs);
  const name = rel === '' || rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
  let size: number;
  try {
    const st = statSync(abs);
    if (st.isDirectory()) throw new InputError(`${field}: '${name}' is a directory, expected a flags file (YAML or JSON)`, { file: name, field });
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${field}: flags file '${name}' not found`, { file: name, field });
  }
  if (size > MAX_BYTES) throw new InputError(`${name}: ${(size / 1048576).toFixed(1)} MB is too big for a flags file`, { file: name, field });
  return parseFlagsFile(readTextFile(abs, field, name), name);
}

/** Parse flags-file text named `name` (for messages and locations). */
export function parseFlagsFile(text: string, name: string): FlagsFile {
  const doc = parseDoc(text, name, name);
  const top = doc.value;
  const shape = `expected a mapping with a 'flags' list, e.g.\n  flags:\n    - name: pets-search\n      owner: '@acme/pets'\n      created: 2026-01-10`;
  if (!isObj(top)) throw new InputError(`${name}: ${top == null ? 'the file is empty' : 'not a flags file'}: ${shape}`, { file: name });
  for (const key of Object.keys(top)) {
    if (key !== 'flags' && !key.startsWith('x-')) {
      throw new InputError(`${name}${at(doc, [key])}: unknown top-level field '${key}' (the team's own data, YAML anchors included, go under x-* keys): ${shape}`, { file: name, field: key });
    }
  }
  const list = own(top, 'flags');
  if (list === undefined) throw new InputError(`${name}: field 'flags' is missing: ${shape}`, { file: name, field: 'flags' });
  if (list !== null && !Array.isArray(list)) {
    throw new InputError(`${name}${at(doc, ['flags'])}: field 'flags' is ${describe(list)}: expected a list of flags (- name: …)`, { file: name, field: 'flags' });
  }
  const items = (list ?? []) as unknown[];
  // Every line the entries need, found in one pass over the file.
  const paths: string[][] = [];
  items.forEach((item, i) => {
    paths.push(['flags', String(i)]);
    for (const k of KNOWN_FIELDS) paths.push(['flags', String(i), k]);
  });
  const lines = doc.lines(paths);
  const lineOf = (i: number, key?: string): number | undefined => {
    const k = key === undefined ? 0 : KNOWN_FIELDS.indexOf(key) + 1;
    return lines[i * (KNOWN_FIELDS.length + 1) + k];
  };
  const entries = items.map((item, i) => readEntry(item, i, name, lineOf));
  return { name, entries };
}

function readEntry(item: unknown, i: number, file: string, lineOf: (i: number, key?: string) => number | undefined): FlagEntry {
  const where = (key?: string) => {
    const line = lineOf(i, key) ?? lineOf(i);
    return `${file}${line ? `:${line}` : ''}: flags[${i}]`;
  };
  if (!isObj(item)) {
    throw new InputError(`${where()}: is ${describe(item)}: expected a mapping (name, owner, created, …)`, { file, field: `flags[${i}]` });
  }
  for (const key of Object.keys(item)) {
    if (!KNOWN_FIELDS.includes(key) && !key.startsWith('x-')) {
      const hint = suggest(key, KNOWN_FIELDS);
      throw new InputError(
        `${where()}: unknown field '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}: expected ${KNOWN_FIELDS.join(', ')} or x-* fields`,
        { file, field: `flags[${i}].${key}` },
      );
    }
  }
  const str = (key: (typeof STRING_FIELDS)[number]): string | undefined => {
    const v = own(item, key);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') {
      throw new InputError(`${where(key)}.${key}: is ${describe(v)}: expected a string`, { file, field: `flags[${i}].${key}` });
    }
    return v;
  };
  const date = (key: DateField): FlagDate | undefined => {
    const v = own(item, key);
    if (v === undefined || v === null) return undefined;
    const dateValue = v instanceof Date && !Number.isNaN(v.getTime());
    if (typeof v !== 'string' && !dateValue) {
      throw new InputError(`${where(key)}.${key}: is ${describe(v)}: expected a date written YYYY-MM-DD`, { file, field: `flags[${i}].${key}` });
    }
    const raw = dateValue ? (v as Date).toISOString().slice(0, 10) : (v as string);
    const read = readDate(v);
    const line = lineOf(i, key);
    return {
      field: key,
      raw,
      read: read.ok ? read : { ok: false, error: `'${raw}' is neither a YYYY-MM-DD date nor an RFC 3339 date-time` },
      ...(line ? { line } : {}),
    };
  };
  const name = str('name');
  if (name === undefined) {
    throw new InputError(`${where()}: field 'name' is missing: every flag needs the name operations give in x-feature-flag`, { file, field: `flags[${i}].name` });
  }
  const entry: FlagEntry = { index: i, name, removeBy: [] };
  const line = lineOf(i, 'name');
  if (line) entry.line = line;
  const owner = ownerOf(item, i, file, where);
  if (owner !== undefined) {
    entry.owner = owner;
    const l = lineOf(i, 'owner');
    if (l) entry.ownerLine = l;
  }
  const status = str('status');
  if (status !== undefined) {
    // Statuses are words, not identifiers: `ON`, `Rolling-Out` and `removed` mean what they say.
    entry.status = isKnownStatus(status.trim().toLowerCase()) ? status.trim().toLowerCase() : status;
    const l = lineOf(i, 'status');
    if (l) entry.statusLine = l;
  }
  const description = str('description');
  if (description !== undefined) entry.description = description;
  const created = date('created');
  if (created) entry.created = created;
  for (const key of ['remove-by', 'expires'] as const) {
    const d = date(key);
    if (d) entry.removeBy.push(d);
  }
  const onSince = date('on-since');
  if (onSince) entry.onSince = onSince;
  return entry;
}

/**
 * `owner`: a string, or a list of strings for a flag several people or teams own (shown joined with
 * ', '; an empty list is no owner).
 */
function ownerOf(item: Record<string, unknown>, i: number, file: string, where: (key?: string) => string): string | undefined {
  const v = own(item, 'owner');
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.every((o) => typeof o === 'string')) {
    return (v as string[])
      .map((o) => o.trim())
      .filter(Boolean)
      .join(', ');
  }
  const why = Array.isArray(v) ? 'is a list with an entry that is not a string: expected a list of strings' : `is ${describe(v)}: expected a string`;
  throw new InputError(`${where('owner')}.owner: ${why}`, { file, field: `flags[${i}].owner` });
}

/** The status as the gate reads it: the written one, else the default. */
export function statusOf(e: FlagEntry): string {
  return e.status ?? DEFAULT_STATUS;
}

export function isKnownStatus(s: string): s is FlagStatus {
  return (FLAG_STATUSES as readonly string[]).includes(s);
}

/** The removal date that rules: the earliest readable `remove-by` / `expires`. */
export function removeByOf(e: FlagEntry): (FlagDate & { read: { ok: true; day: Day } }) | undefined {
  let best: (FlagDate & { read: { ok: true; day: Day } }) | undefined;
  for (const d of e.removeBy) {
    if (d.read.ok && (!best || d.read.day < best.read.day)) best = d as FlagDate & { read: { ok: true; day: Day } };
  }
  return best;
}

function at(doc: Doc, p: string[]): string {
  const [line] = doc.lines([p]);
  return line ? `:${line}` : '';
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (isObj(v)) return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  return `${typeof v === 'number' ? 'the number' : typeof v === 'boolean' ? 'the boolean' : typeof v} ${String(v)}`;
}

/** The closest of `options` to `s` within two edits, for "did you mean". */
export function suggest(s: string, options: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const o of options) {
    if (o === s) continue;
    const d = distance(s.toLowerCase().replace(/_/g, '-'), o.toLowerCase().replace(/_/g, '-'));
    if (d < bestD) {
      bestD = d;
      best = o;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
