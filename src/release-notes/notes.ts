import type { ApiChangelog, ChangeEntry, DeprecationEntry } from './changelog.js';
import type { PullSummary } from './pulls.js';

export interface NotesInput {
  changelog: ApiChangelog;
  version?: string;
  previousVersion?: string;
  /** YYYY-MM-DD */
  date: string;
  rolloutDate?: string;
  pulls?: PullSummary;
  base: string;
  revision: string;
  /** No earlier release: every operation is new. */
  firstRelease?: boolean;
}

export interface NotesOptions {
  /** Level of the title heading; sections go one below it. */
  headingLevel?: number;
  /** Leave the title out (a GitHub Release shows its own). */
  title?: boolean;
}

const SEMVER_WORD = { major: 'Major release', minor: 'Minor release', patch: 'Patch release' } as const;

/** Table cells: one line, no column breaks. */
export function cell(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

/** Inline code that survives backticks inside. */
export function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  return `${ticks}${s.includes('`') ? ` ${s} ` : s}${ticks}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function releaseTitle(i: Pick<NotesInput, 'changelog' | 'version' | 'date'>): string {
  return `${i.changelog.title} ${i.version ?? i.changelog.revisionVersion ?? ''}`.trim() + ` (${i.date})`;
}

/** The release notes a person publishes: API changes first, then merged pull requests and contributors. */
export function renderNotes(i: NotesInput, o: NotesOptions = {}): string {
  const h = (n: number) => '#'.repeat(Math.min(6, (o.headingLevel ?? 2) + n)) + ' ';
  const c = i.changelog;
  const lines: string[] = [];
  if (o.title !== false) lines.push(`${h(0)}${releaseTitle(i)}`, '');
  const from = i.previousVersion ? `${i.previousVersion} ` : '';
  if (i.firstRelease) lines.push(`**First release** of the API: ${plural(c.newOperations.length, 'operation')}${c.deprecations.length ? `, ${plural(c.deprecations.length, 'deprecation')}` : ''} (${code(i.revision)}).`);
  else lines.push(
    `**${SEMVER_WORD[c.semver]}** of the API: ${plural(c.breaking.length, 'breaking change')}, ${plural(c.deprecations.filter((d) => d.newInRelease).length, 'new deprecation')}, ${plural(c.newOperations.length, 'new operation')}. ` +
      `Compared with ${from}(${code(i.base)} → ${code(i.revision)}).`,
  );
  if (i.rolloutDate) lines.push('', `**Rollout:** ${i.rolloutDate}.`);
  lines.push('');

  if (c.breaking.length) {
    lines.push(`${h(1)}Breaking changes`, '', 'Clients written against the previous version can fail on these:', '');
    lines.push(...changeTable(c.breaking), '');
    lines.push(...migrationSteps(c.breaking, `${h(2)}How to migrate`));
  }
  if (c.deprecations.length) {
    lines.push(`${h(1)}Deprecations and sunset schedule`, '');
    lines.push(...scheduleTable(c.deprecations), '');
    lines.push('After its sunset date a deprecated element may be removed without further notice. Move to the replacement before then.', '');
  }
  if (c.newOperations.length) {
    lines.push(`${h(1)}New operations`, '');
    for (const n of c.newOperations) lines.push(`- ${code(n.operation)}${n.summary ? `: ${n.summary}` : ''}${n.operationId ? ` (${code(n.operationId)})` : ''}`);
    lines.push('');
  }
  if (c.mayAffect.length) {
    lines.push(`${h(1)}Changes that may affect clients`, '');
    lines.push(...changeTable(c.mayAffect), '');
    lines.push(...migrationSteps(c.mayAffect, `${h(2)}How to migrate`));
  }
  if (c.other.length) {
    lines.push(`${h(1)}Other changes`, '');
    for (const e of c.other) lines.push(`- ${e.operation ? `${code(e.operation)}: ` : ''}${e.message}`);
    lines.push('');
  }
  if (!c.breaking.length && !c.deprecations.some((d) => d.newInRelease) && !c.newOperations.length && !c.mayAffect.length && !c.other.length) {
    lines.push('No change to the API contract.', '');
  }
  if (i.pulls) lines.push(...pullSection(i.pulls, h(1), h(2)));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

export function changeTable(entries: ChangeEntry[]): string[] {
  const out = ['| Operation | Change |', '| --- | --- |'];
  for (const e of entries) out.push(`| ${e.operation ? cell(code(e.operation)) : '(whole API)'} | ${cell(e.message)} |`);
  return out;
}

/** One step per rule family, naming the operations it touches, under `heading` (a markdown heading line). */
export function migrationSteps(entries: ChangeEntry[], heading: string): string[] {
  const byHint = new Map<string, { family: string; ops: Set<string> }>();
  for (const e of entries) {
    if (!e.hint) continue;
    const g = byHint.get(e.hint) ?? { family: e.family ?? 'other', ops: new Set<string>() };
    g.ops.add(e.operation ?? '(whole API)');
    byHint.set(e.hint, g);
  }
  if (!byHint.size) return [];
  const out = [heading, ''];
  let n = 1;
  for (const [hint, g] of byHint) out.push(`${n++}. **${capital(g.family)}** (${[...g.ops].map(code).join(', ')}): ${hint}`);
  out.push('');
  return out;
}

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

export function scheduleTable(entries: DeprecationEntry[]): string[] {
  const out = ['| Operation | Deprecated | Sunset date | Days left | Since |', '| --- | --- | --- | --- | --- |'];
  for (const d of entries) {
    const sunset = d.sunset ?? (d.invalidSunset ? `invalid: ${d.invalidSunset}` : 'not announced');
    const days = d.daysLeft === undefined ? '' : d.daysLeft < 0 ? `passed ${-d.daysLeft} days ago` : String(d.daysLeft);
    out.push(`| ${cell(code(d.operation))} | ${cell(d.element)} | ${cell(sunset)} | ${days} | ${d.newInRelease ? 'this release' : 'earlier'} |`);
  }
  return out;
}

function pullSection(p: PullSummary, h1: string, h2: string): string[] {
  const out = [`${h1}Merged pull requests`, ''];
  if (!p.total) out.push(`No pull request merged since ${p.since}.`, '');
  for (const g of p.groups) {
    out.push(`${h2}${g.title}`, '');
    for (const pr of g.pulls) out.push(`- ${pr.title} ([#${pr.number}](${pr.url}))${pr.author ? ` by @${pr.author}` : ''}`);
    out.push('');
  }
  if (p.excluded?.length) {
    const n = p.excluded.length;
    out.push(`_${n === 1 ? '1 pull request is' : `${n} pull requests are`} left out by a label such as \`skip-changelog\` (${p.excluded.map((x) => `#${x.number}`).join(', ')})._`, '');
  }
  if (p.truncated) out.push(`_The list stops at the ${p.total} most recent pull requests; older ones merged since ${p.since} are not shown._`, '');
  if (p.contributors.length) out.push(`${h1}Contributors`, '', p.contributors.map((c) => `@${c}`).join(', '), '');
  return out;
}
