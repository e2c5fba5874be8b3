import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../kit/errors.js';
import { readPactFile, type PactFile } from './pact-file.js';

/**
 * Pact files from a list of entries: each a file, or a directory whose `*.json` files are read
 * (not recursive: pact writers put every pact of a run in one directory). In a directory, a JSON
 * file that is plainly something else (no consumer, provider, interactions or messages, such as a
 * package.json next to the pacts) is skipped and named through `onSkip`; a pact with a broken field
 * is still an error.
 */
export function readPacts(entries: readonly string[], cwd: string, field = 'pact-files', onSkip?: (file: string) => void): PactFile[] {
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
      const pacts = json.filter((f) => {
        if (looksLikePact(path.join(abs, f))) return true;
        onSkip?.(path.join(entry, f).split(path.sep).join('/'));
        return false;
      });
      if (pacts.length === 0) {
        throw new InputError(`${field}: directory '${entry}' holds no pact files: ${json.join(', ')} ${json.length === 1 ? 'is JSON but not a pact' : 'are JSON but not pacts'} (no consumer, provider or interactions)`, {
          file: entry,
          field,
        });
      }
      files.push(...pacts.map((f) => path.join(entry, f)));
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

/** False only for a file that is valid JSON and plainly not a pact; anything doubtful is read as a pact (and its errors shown). */
function looksLikePact(abs: string): boolean {
  let json: unknown;
  try {
    if (statSync(abs).size > 16 * 1024 * 1024) return true;
    json = JSON.parse(readFileSync(abs, 'utf8').replace(/^\uFEFF/, ''));
  } catch {
    return true;
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return false;
  return ['consumer', 'provider', 'interactions', 'messages'].some((k) => k in json);
}

/** Split a list input: one entry per line or comma-separated. */
export function listInput(v: string | readonly string[] | undefined): string[] {
  if (v === undefined) return [];
  const parts = typeof v === 'string' ? v.split(/[\n,]/) : v.flatMap((x) => x.split(/\n/));
  return parts.map((s) => s.trim()).filter(Boolean);
}
