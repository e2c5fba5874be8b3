import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../kit/errors.js';

const MARKER = 'api-delivery:release-notes';
const DEFAULT_HEADER = '# Changelog\n\nAll notable changes to this API are documented here.\n';

export function entryMarkers(version: string): { start: string; end: string } {
  return { start: `<!-- ${MARKER}:${version} -->`, end: `<!-- /${MARKER}:${version} -->` };
}

export type ChangelogAction = 'created' | 'prepended' | 'updated' | 'unchanged';

export interface ChangelogUpsert {
  text: string;
  action: ChangelogAction;
  /** Line of a section for this version that the file already had, written by hand (left as it is). */
  existingLine?: number;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * CHANGELOG.md with this version's entry: prepended once (below the title, the intro and an
 * `## [Unreleased]` section, above the newest entry), replaced in place on a re-run, found by hidden
 * markers per version. A section for the version that someone wrote by hand (`## [2.0.0] - …`,
 * `## v2.0.0`) is left alone: no second entry. The file keeps its line endings (CRLF stays CRLF).
 */
export function upsertChangelogText(current: string | undefined, version: string, entry: string): ChangelogUpsert {
  const { start, end } = entryMarkers(version);
  const block = `${start}\n${entry.replace(/\r\n/g, '\n').trim()}\n${end}\n`;
  if (current === undefined) return { text: `${DEFAULT_HEADER}\n${block}`, action: 'created' };
  const crlf = /\r\n/.test(current);
  const lf = crlf ? current.replace(/\r\n/g, '\n') : current;
  const done = (text: string, action: ChangelogAction): ChangelogUpsert => {
    const out = crlf ? text.replace(/\r?\n/g, '\r\n') : text;
    return { text: out, action: action === 'updated' && out === current ? 'unchanged' : action };
  };
  const s = lf.indexOf(start);
  if (s >= 0) {
    const e = lf.indexOf(end, s);
    if (e < 0) throw new InputError(`changelog: the entry for ${version} has its start marker but no end marker '${end}'; fix the file by hand`, { field: 'changelog' });
    let after = e + end.length;
    if (lf[after] === '\n') after++;
    return done(lf.slice(0, s) + block + lf.slice(after), 'updated');
  }
  // A section for this version written without our markers (by hand, or an earlier tool): keep it, add nothing.
  const own = new RegExp(`^#{1,2}[ \\t]+.*(?<![\\w.+-])\\[?v?${escapeRe(version)}\\]?(?![\\w.+-])`, 'm').exec(stripFences(lf));
  if (own) return { text: current, action: 'unchanged', existingLine: lf.slice(0, own.index).split('\n').length };
  // Above the first entry: the first `## ` heading (after an Unreleased section) or an earlier entry's marker.
  const headings = [...lf.matchAll(/^## .*$/gm)];
  const firstRelease = headings.find((h) => !/^##\s+\[?unreleased\]?/i.test(h[0]));
  const unreleased = headings.find((h) => /^##\s+\[?unreleased\]?/i.test(h[0]));
  const marker = new RegExp(`^<!-- ${MARKER}:`, 'm').exec(lf)?.index ?? -1;
  const firstEntry = [firstRelease?.index ?? -1, marker].filter((i) => i >= 0 && (!unreleased || i > unreleased.index!));
  const at = firstEntry.length ? Math.min(...firstEntry) : -1;
  if (at < 0) {
    const sep = lf.length === 0 ? '' : lf.endsWith('\n\n') ? '' : lf.endsWith('\n') ? '\n' : '\n\n';
    return done(lf.length === 0 ? `${DEFAULT_HEADER}\n${block}` : `${lf}${sep}${block}`, 'prepended');
  }
  return done(`${lf.slice(0, at)}${block}\n${lf.slice(at)}`, 'prepended');
}

/** The text with fenced code blocks blanked (same length), so a heading inside an example does not count. */
function stripFences(text: string): string {
  return text.replace(/^(\s{0,3})(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\s{0,3}\2[^\n]*$/gm, (m) => m.replace(/[^\n]/g, ' '));
}

export function upsertChangelogFile(file: string, version: string, entry: string, dryRun: boolean): ChangelogUpsert {
  let current: string | undefined;
  if (existsSync(file)) {
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      throw new InputError(`changelog: '${file}' cannot be read`, { file, field: 'changelog' });
    }
  }
  const r = upsertChangelogText(current, version, entry);
  if (!dryRun && r.action !== 'unchanged') writeFileSync(file, r.text);
  return r;
}
