/**
 * Evidence items: a repository path (optionally `path#L12` or `path#L12-L20`), an http(s) URL, or a
 * probe id (`probe:auth`). Paths are checked against the repository root: they must exist, stay inside
 * it (no `..`, no absolute path, no symlink leading out) and, with `#L`, have that line.
 */
import { readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { PROBE_IDS } from './probe/ids.js';

export type Evidence =
  | { kind: 'url'; text: string }
  | { kind: 'probe'; text: string; probe: string }
  | { kind: 'path'; text: string; path: string; lines?: [number, number] };

export type EvidenceProblem =
  | { kind: 'not-found'; message: string }
  | { kind: 'outside-repo'; message: string }
  | { kind: 'invalid'; message: string };

export function classifyEvidence(text: string): Evidence | EvidenceProblem {
  if (/^probe:/i.test(text)) return { kind: 'probe', text, probe: text.toLowerCase() };
  if (/^https?:\/\/[^\s/]+/i.test(text)) return { kind: 'url', text };
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[a-z]:[\\/]/i.test(text)) {
    return { kind: 'invalid', message: `'${text}' is neither a repository path, an http(s) URL nor a probe id` };
  }
  const hash = text.indexOf('#');
  const file = hash < 0 ? text : text.slice(0, hash);
  const frag = hash < 0 ? undefined : text.slice(hash + 1);
  let lines: [number, number] | undefined;
  if (frag !== undefined) {
    const m = /^L(\d+)(?:-L?(\d+))?$/i.exec(frag);
    if (!m) return { kind: 'invalid', message: `'${text}': the part after '#' must be a line (L12) or a range (L12-L20)` };
    const from = Number(m[1]);
    const to = m[2] ? Number(m[2]) : from;
    if (from < 1 || to < from) return { kind: 'invalid', message: `'${text}': line range must start at 1 or later and not run backwards` };
    lines = [from, to];
  }
  if (file === '') return { kind: 'invalid', message: `'${text}': no file before '#'` };
  return { kind: 'path', text, path: file, lines };
}

export function isEvidenceProblem(e: Evidence | EvidenceProblem): e is EvidenceProblem {
  return e.kind === 'not-found' || e.kind === 'outside-repo' || e.kind === 'invalid';
}

/** Check a path item against the repository root; undefined when it is sound. */
export function checkPathEvidence(e: Extract<Evidence, { kind: 'path' }>, root: string): EvidenceProblem | undefined {
  const p = e.path.replace(/\\/g, '/');
  if (path.isAbsolute(p) || /^[a-z]:\//i.test(p) || p.startsWith('//')) {
    return { kind: 'outside-repo', message: `'${e.text}' is an absolute path; evidence paths are relative to the repository root` };
  }
  const rootReal = safeRealpath(root) ?? path.resolve(root);
  const abs = path.resolve(rootReal, p);
  if (!inside(rootReal, abs)) return { kind: 'outside-repo', message: `'${e.text}' points outside the repository` };
  let st;
  try {
    st = statSync(abs);
  } catch {
    return { kind: 'not-found', message: `'${e.path}' does not exist in the repository` };
  }
  const real = safeRealpath(abs);
  if (!real || !inside(rootReal, real)) return { kind: 'outside-repo', message: `'${e.text}' leads outside the repository through a symbolic link` };
  if (e.lines) {
    if (!st.isFile()) return { kind: 'not-found', message: `'${e.text}': '${e.path}' is not a file, so it has no line ${e.lines[0]}` };
    const count = lineCount(real);
    if (e.lines[1] > count) {
      return { kind: 'not-found', message: `'${e.text}': '${e.path}' has ${count} line${count === 1 ? '' : 's'}, not ${e.lines[1]}` };
    }
  }
  return undefined;
}

function inside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

function safeRealpath(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function lineCount(file: string): number {
  const text = readFileSync(file, 'utf8');
  return text === '' ? 0 : text.split(/\r\n?|\n/).length - (/(\r\n?|\n)$/.test(text) ? 1 : 0);
}

export function isKnownProbe(id: string): boolean {
  return (PROBE_IDS as readonly string[]).includes(id);
}
