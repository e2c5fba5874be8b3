/** A fresh checklist for a level: ids and levels from the embedded facts; descriptions only from a catalog file. */
import { stringify } from 'yaml';
import type { Catalog } from './catalog-file.js';
import { chaptersOf, requiredAt, type AsvsLevel, type AsvsVersion } from './standard.js';

export interface InitOptions {
  version: AsvsVersion;
  level: AsvsLevel;
  catalog?: Catalog;
  format: 'markdown' | 'yaml';
}

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

export function initChecklist(o: InitOptions): string {
  const reqs = requiredAt(o.version, o.level);
  const withText = o.catalog !== undefined;
  if (o.format === 'yaml') {
    const head = [
      `# OWASP ASVS ${o.version} checklist, level ${o.level} (${reqs.length} requirements).`,
      '# status: pass | fail | n/a | todo. evidence: repository paths (path#L12), URLs, or probe ids',
      '# (probe:auth, probe:rate-limit, probe:headers, probe:error-leak). n/a needs a reason in notes.',
      `# Requirement ids and levels: OWASP ASVS ${o.version}, CC BY-SA 4.0, OWASP Foundation.`,
      ...(withText ? ['# Descriptions copied from the OWASP ASVS export: CC BY-SA 4.0, OWASP Foundation; share alike.'] : []),
    ];
    const doc = {
      'asvs-version': o.version,
      level: o.level,
      requirements: reqs.map((r) => ({
        id: r.id,
        level: r.level,
        ...(withText ? { description: o.catalog!.descriptions.get(r.id) ?? '' } : {}),
        status: 'todo',
        evidence: [] as string[],
        notes: '',
      })),
    };
    return head.join('\n') + '\n' + stringify(doc, { lineWidth: 0 });
  }
  const lines = [
    `# Security checklist: OWASP ASVS ${o.version}, level ${o.level}`,
    '',
    `ASVS version: ${o.version}`,
    `Target level: ${o.level}`,
    '',
    'One row per requirement of the target level. **Status** is `pass`, `fail`, `n/a` or `todo`.',
    '**Evidence** backs a `pass`: repository paths (`src/auth.ts#L40`, `docs/threat-model.md`), https URLs,',
    'or probe ids checked live by `api-delivery asvs probe` (`probe:auth`, `probe:rate-limit`,',
    '`probe:headers`, `probe:error-leak`). An `n/a` needs its reason in **Notes**.',
    `Made with \`api-delivery asvs init --level ${o.level} --version ${o.version}\`; check it with \`api-delivery asvs verify FILE\`.`,
    '',
    `Requirement ids, levels and chapter names: OWASP Application Security Verification Standard ${o.version},`,
    'CC BY-SA 4.0, © OWASP Foundation. ' +
      (withText
        ? 'The descriptions below are copied from the official export and stay under CC BY-SA 4.0 (share alike).'
        : 'Run `api-delivery asvs init --catalog <official export>` for a copy with the requirement texts.'),
    '',
  ];
  for (const { chapter, name } of chaptersOf(o.version)) {
    const inChapter = reqs.filter((r) => r.chapter === chapter);
    if (inChapter.length === 0) continue;
    lines.push(`## V${chapter} ${name}`, '');
    lines.push(withText ? '| ID | Level | Description | Status | Evidence | Notes |' : '| ID | Level | Status | Evidence | Notes |');
    lines.push(withText ? '|---|---|---|---|---|---|' : '|---|---|---|---|---|');
    for (const r of inChapter) {
      const desc = withText ? ` ${cell(o.catalog!.descriptions.get(r.id) ?? '')} |` : '';
      lines.push(`| ${r.id} | ${r.level} |${desc} todo |  |  |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
