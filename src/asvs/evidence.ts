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
  | { kind: 'path'; text: string; path: string; lines?: [number, number]; anchor?: string };

export type EvidenceProblem =
  | { kind: 'not-found'; message: string }
  | { kind: 'outside-repo'; message: string }
  | { kind: 'invalid'; message: string };

/** Whether text names a place (a repository path, a URL or a probe id) rather than being prose. */
export function namesPlace(text: string): boolean {
  if (/^(probe:|[a-z][a-z0-9+.-]*:\/\/)/i.test(text)) return true;
  const named = text.split('#')[0]!.trim();
  return named.includes('/') || /\.[a-z0-9]+$/i.test(named);
}

export function classifyEvidence(text: string): Evidence | EvidenceProblem {
  // A link may name a path with spaces (`docs/Security Review.md`); words without one are prose.
  if (/\s/.test(text) && !namesPlace(text)) {
    return { kind: 'invalid', message: `'${text}' is prose, not evidence: cite a repository path (path#L12), an https URL or a probe id, and put the explanation in Notes` };
  }
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
    // `docs/threat-model.md#authentication`: a heading of a markdown file, as GitHub links it.
    if (!m && /\.(md|markdown)$/i.test(file) && /^[^\s#]+$/.test(frag)) return { kind: 'path', text, path: file, anchor: frag };
    if (!m) return { kind: 'invalid', message: `'${text}': the part after '#' must be a line (L12) or a range (L12-L20)${/\.(md|markdown)$/i.test(file) ? ' or a heading anchor' : ''}` };
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
  if (e.anchor !== undefined) {
    if (!st.isFile()) return { kind: 'not-found', message: `'${e.text}': '${e.path}' is not a file, so it has no heading '#${e.anchor}'` };
    const anchors = markdownAnchors(readFileSync(real, 'utf8'));
    let wanted = e.anchor.toLowerCase();
    try {
      wanted = decodeURIComponent(wanted);
    } catch {
      /* as written */
    }
    if (!anchors.has(wanted)) return { kind: 'not-found', message: `'${e.text}': '${e.path}' has no heading or anchor '#${e.anchor}'` };
  }
  return undefined;
}

/** The anchors GitHub gives a markdown file's headings (`## Token storage` → `token-storage`, repeats `-1`, `-2`), plus explicit `<a id>`/`<a name>`. */
export function markdownAnchors(text: string): Set<string> {
  const out = new Set<string>();
  const counts = new Map<string, number>();
  let fence: string | undefined;
  for (const line of text.split(/\r\n?|\n/)) {
    const f = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (f) {
      if (!fence) fence = f[1]!;
      else if (line.trim().startsWith(fence)) fence = undefined;
      continue;
    }
    if (fence) continue;
    for (const a of line.matchAll(/<a\s[^>]*\b(?:id|name)\s*=\s*["']([^"']+)["']/gi)) out.add(a[1]!.toLowerCase());
    const h = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (!h) continue;
    const slug = h[1]!
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = counts.get(slug) ?? 0;
    counts.set(slug, n + 1);
    out.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return out;
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
