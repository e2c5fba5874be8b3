import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../kit/errors.js';
import { readPactFile, type PactFile } from './pact-file.js';

/**
 * Pact files from a list of entries: each a file, or a directory whose `*.json` files are read
 * (not recursive: pact writers put every pact of a run in one directory).
 */
export function readPacts(entries: readonly string[], cwd: string, field = 'pact-files'): PactFile[] {
  const files: string[] = [];
  for (const raw of entries) {
    const entry = raw.trim();
    if (!entry) continue;
    const abs = path.resolve(cwd, entry);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new InputError(`${field}: '${entry}' not found (expected a pact file or a directory of pact files)`, { file: entry, field });
    }
    if (st.isDirectory()) {
      const json = readdirSync(abs)
        .filter((f) => f.endsWith('.json'))
        .sort();
      if (json.length === 0) throw new InputError(`${field}: directory '${entry}' holds no pact files (*.json)`, { file: entry, field });
      files.push(...json.map((f) => path.join(entry, f)));
    } else {
      files.push(entry);
    }
  }
  if (files.length === 0) throw new InputError(`${field}: no pact files given`, { field });
  const seen = new Set<string>();
  return files
    .filter((f) => {
      const abs = path.resolve(cwd, f);
      if (seen.has(abs)) return false;
      seen.add(abs);
      return true;
    })
    .map((f) => readPactFile(f.split(path.sep).join('/'), path.resolve(cwd, f)));
}

/** Split a list input: one entry per line or comma-separated. */
export function listInput(v: string | readonly string[] | undefined): string[] {
  if (v === undefined) return [];
  const parts = typeof v === 'string' ? v.split(/[\n,]/) : v.flatMap((x) => x.split(/\n/));
  return parts.map((s) => s.trim()).filter(Boolean);
}
