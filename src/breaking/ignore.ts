import type { Finding } from '../kit/result.js';
import { InputError } from '../kit/errors.js';
import { parse } from 'yaml';
import { pathKey } from './walk.js';

/** One accepted change: rule id, optionally one operation, why, and until when. */
export interface IgnoreEntry {
  id: string;
  /** `GET /pets/{id}`; absent = every operation. */
  operation?: string;
  reason: string;
  /** `YYYY-MM-DD`: from the day after, the entry no longer applies. */
  expires?: string;
}

/**
 * Read an ignore file: a YAML list (or `{ ignore: [...] }`) of entries
 * `{ id, operation?, reason, expires? }`. Every entry needs a reason.
 */
export function parseIgnoreFile(text: string, file: string): IgnoreEntry[] {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new InputError(`${file}: not valid YAML: ${(e as Error).message.split('\n')[0]}`, { file });
  }
  const list = Array.isArray(doc) ? doc : doc && typeof doc === 'object' ? (doc as { ignore?: unknown }).ignore : undefined;
  if (doc === null || doc === undefined) return [];
  if (!Array.isArray(list)) throw new InputError(`${file}: expected a list of entries (or 'ignore:' with a list)`, { file });
  return list.map((raw, i) => {
    const where = `${file}: entry ${i + 1}`;
    if (!raw || typeof raw !== 'object') throw new InputError(`${where}: expected a mapping with id, reason`, { file, field: `[${i}]` });
    const e = raw as Record<string, unknown>;
    if (typeof e.id !== 'string' || e.id === '') throw new InputError(`${where}: field 'id' must be a rule id`, { file, field: `[${i}].id` });
    if (typeof e.reason !== 'string' || e.reason.trim() === '') {
      throw new InputError(`${where}: field 'reason' is required (say why the change is accepted)`, { file, field: `[${i}].reason` });
    }
    if (e.operation !== undefined && (typeof e.operation !== 'string' || !/^[A-Za-z]+ \//.test(e.operation))) {
      throw new InputError(`${where}: field 'operation' must look like 'GET /pets/{id}'`, { file, field: `[${i}].operation` });
    }
    let expires: string | undefined;
    if (e.expires !== undefined) {
      expires = e.expires instanceof Date ? e.expires.toISOString().slice(0, 10) : String(e.expires);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(Date.parse(expires))) {
        throw new InputError(`${where}: field 'expires' must be a date YYYY-MM-DD`, { file, field: `[${i}].expires` });
      }
    }
    return { id: e.id, operation: e.operation as string | undefined, reason: e.reason, expires };
  });
}

function opKey(op: string): string {
  const sp = op.indexOf(' ');
  return `${op.slice(0, sp).toUpperCase()} ${pathKey(op.slice(sp + 1), false)}`;
}

/** Drop findings matched by a live entry; an expired entry stops applying and says so. */
export function applyIgnores(findings: Finding[], entries: readonly IgnoreEntry[], today: Date): Finding[] {
  if (entries.length === 0) return findings;
  const day = today.toISOString().slice(0, 10);
  const live = entries.filter((e) => !e.expires || e.expires >= day);
  const out = findings.filter(
    (f) => !live.some((e) => e.id === f.id && (!e.operation || (f.operation !== undefined && opKey(e.operation) === opKey(f.operation)))),
  );
  for (const e of entries) {
    if (e.expires && e.expires < day && findings.some((f) => f.id === e.id && (!e.operation || (f.operation && opKey(e.operation) === opKey(f.operation))))) {
      out.push({
        id: 'ignore-expired',
        level: 'warning',
        message: `ignore entry for ${e.id}${e.operation ? ` on ${e.operation}` : ''} expired on ${e.expires} and no longer applies (reason was: ${e.reason})`,
        ...(e.operation ? { operation: e.operation } : {}),
      });
    }
  }
  return out;
}
