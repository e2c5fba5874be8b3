/**
 * Requirement descriptions from an official ASVS export the caller passes (`--catalog`): the nested or
 * flat JSON, or the CSV, of 4.0.3 or 5.0.0. The text is CC BY-SA 4.0 (OWASP Foundation); it is read at
 * run time and never stored in this project.
 */
import { statSync } from 'node:fs';
import { InputError } from '../kit/errors.js';
import { readTextFile } from '../kit/inputs.js';
import { isVersion, requirementsOf, versionedId, type AsvsVersion } from './standard.js';

export interface Catalog {
  version: AsvsVersion;
  file: string;
  /** Versioned id → description. */
  descriptions: Map<string, string>;
}

const MAX_BYTES = 16 * 1024 * 1024;

export function loadCatalog(file: string, field = 'catalog'): Catalog {
  let size = 0;
  try {
    size = statSync(file).size;
  } catch {
    throw new InputError(`${field}: file '${file}' not found or not readable`, { file, field });
  }
  if (size > MAX_BYTES) throw new InputError(`${field}: '${file}' is larger than 16 MB; expected an ASVS export`, { file, field });
  const text = readTextFile(file, field).replace(/^\uFEFF/, '');
  const rows = text.trimStart().startsWith('{') ? jsonRows(text, file, field) : csvRows(text, file, field);
  if (rows.version === undefined) throw new InputError(`${field}: '${file}': cannot tell the ASVS version`, { file, field });
  const known = requirementsOf(rows.version);
  const descriptions = new Map<string, string>();
  let unknown = 0;
  for (const [shortcode, description] of rows.items) {
    const m = /^V?(\d+\.\d+\.\d+)$/.exec(shortcode.trim());
    const id = m ? versionedId(rows.version, m[1]!) : undefined;
    if (!id || !known.has(id)) unknown++;
    else descriptions.set(id, description.replace(/\s+/g, ' ').trim());
  }
  if (descriptions.size === 0 || unknown > known.size / 10) {
    throw new InputError(`${field}: '${file}' does not look like the ASVS ${rows.version} export (${unknown} unknown ids)`, { file, field });
  }
  return { version: rows.version, file, descriptions };
}

interface Rows {
  version?: AsvsVersion;
  items: [string, string][];
}

function jsonRows(text: string, file: string, field: string): Rows {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${field}: '${file}' is not valid JSON: ${(e as Error).message}`, { file, field });
  }
  const o = doc as Record<string, unknown>;
  const items: [string, string][] = [];
  if (Array.isArray(o.Requirements)) {
    const version = String(o.Version ?? '');
    for (const c of o.Requirements as { Items?: { Items?: { Shortcode?: unknown; Description?: unknown }[] }[] }[]) {
      for (const s of c.Items ?? []) for (const r of s.Items ?? []) items.push([String(r.Shortcode ?? ''), String(r.Description ?? '')]);
    }
    return { version: isVersion(version) ? version : undefined, items };
  }
  if (Array.isArray(o.requirements)) {
    const reqs = o.requirements as Record<string, unknown>[];
    for (const r of reqs) items.push([String(r.req_id ?? ''), String(r.req_description ?? '')]);
    return { version: flatVersion(reqs[0] ? Object.keys(reqs[0]) : []), items };
  }
  throw new InputError(`${field}: '${file}' is JSON but not an ASVS export (no 'Requirements' or 'requirements' list)`, { file, field });
}

/** The flat and CSV exports carry no version; their columns tell: 5.0 has `L`, 4.0.3 has level1..3. */
function flatVersion(columns: string[]): AsvsVersion | undefined {
  if (columns.includes('L')) return '5.0.0';
  if (columns.includes('level1')) return '4.0.3';
  return undefined;
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === '') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== '');
}

function csvRows(text: string, file: string, field: string): Rows {
  const [header, ...body] = parseCsv(text);
  const id = header?.indexOf('req_id') ?? -1;
  const desc = header?.indexOf('req_description') ?? -1;
  if (!header || id < 0 || desc < 0) {
    throw new InputError(`${field}: '${file}' is not an ASVS export: expected JSON, or CSV with req_id and req_description columns`, { file, field });
  }
  return { version: flatVersion(header), items: body.map((r) => [r[id] ?? '', r[desc] ?? '']) };
}
