import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../kit/errors.js';

const MARKER = 'api-delivery:release-notes';
const DEFAULT_HEADER = '# Changelog\n\nAll notable changes to this API are documented here.\n';

export function entryMarkers(version: string): { start: string; end: string } {
  return { start: `<!-- ${MARKER}:${version} -->`, end: `<!-- /${MARKER}:${version} -->` };
}

export type ChangelogAction = 'created' | 'prepended' | 'updated' | 'unchanged';

/**
 * CHANGELOG.md with this version's entry: prepended once (below the title and intro, above the
 * newest entry), replaced in place on a re-run, found by hidden markers per version.
 */
export function upsertChangelogText(current: string | undefined, version: string, entry: string): { text: string; action: Exclude<ChangelogAction, 'created'> | 'created' } {
  const { start, end } = entryMarkers(version);
  const block = `${start}\n${entry.trim()}\n${end}\n`;
  if (current === undefined) return { text: `${DEFAULT_HEADER}\n${block}`, action: 'created' };
  const s = current.indexOf(start);
  if (s >= 0) {
    const e = current.indexOf(end, s);
    if (e < 0) throw new InputError(`changelog: the entry for ${version} has its start marker but no end marker '${end}'; fix the file by hand`, { field: 'changelog' });
    let after = e + end.length;
    if (current[after] === '\n') after++;
    const text = current.slice(0, s) + block + current.slice(after);
    return { text, action: text === current ? 'unchanged' : 'updated' };
  }
  // Above the first entry: the first `## ` heading or an earlier entry's marker, whichever comes first.
  const firstEntry = [/^## /m, new RegExp(`^<!-- ${MARKER}:`, 'm')].map((re) => re.exec(current)?.index ?? -1).filter((i) => i >= 0);
  const at = firstEntry.length ? Math.min(...firstEntry) : -1;
  if (at < 0) {
    const sep = current.length === 0 ? '' : current.endsWith('\n\n') ? '' : current.endsWith('\n') ? '\n' : '\n\n';
    return { text: current.length === 0 ? `${DEFAULT_HEADER}\n${block}` : `${current}${sep}${block}`, action: 'prepended' };
  }
  return { text: `${current.slice(0, at)}${block}\n${current.slice(at)}`, action: 'prepended' };
}

export function upsertChangelogFile(file: string, version: string, entry: string, dryRun: boolean): { action: ChangelogAction; text: string } {
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
