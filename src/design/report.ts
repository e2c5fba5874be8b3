/** The design parts of a report the common writers do not know: the Definition of Ready and the rules file. */
import { codeSpan, escapeCell } from '../kit/format/markdown.js';
import type { SectionStatus } from './prd.js';
import { DESIGN_RULES, RULE_IDS } from './rules.js';
import type { DesignResult } from './run.js';

const STATUS: Record<SectionStatus, string> = {
  filled: '✅ filled in',
  missing: '❌ missing',
  empty: '❌ empty',
  placeholders: '❌ placeholders left',
};

/** Rules whose level differs from the default, as `id: level`. */
function tuned(result: DesignResult): string[] {
  return RULE_IDS.filter((id) => result.rules[id] !== DESIGN_RULES[id].level).map((id) => `${id}: ${result.rules[id]}`);
}

export function designMarkdown(result: DesignResult): string {
  const parts: string[] = [];
  if (result.readiness) {
    const ready = result.readiness.every((s) => s.status === 'filled');
    const rows = result.readiness.map((s) => `| ${escapeCell(s.title)} | ${STATUS[s.status]} | ${s.line ? codeSpan(`${result.prd}:${s.line}`, true) : '–'} |\n`);
    parts.push(
      `### Definition of Ready (${codeSpan(result.prd!)}): ${ready ? 'every required section is filled in' : 'not ready'}\n\n` +
        `| Section | Status | Where |\n|---|---|---|\n${rows.join('')}`,
    );
  } else {
    parts.push('### Definition of Ready\n\nNo PRD given (`--prd` / `prd` input): only the spec was checked.\n');
  }
  const t = tuned(result);
  if (result.rulesFile) parts.push(`Rules from ${codeSpan(result.rulesFile)}: ${t.length ? t.map((x) => codeSpan(x)).join(', ') : 'no level changed'}; parameter case ${result.options.parameterCase}, error media types ${result.options.errorMediaTypes.join(', ')}.\n`);
  return parts.join('\n');
}

export function designText(result: DesignResult): string {
  const lines: string[] = [];
  if (result.readiness) {
    lines.push(`Definition of Ready (${result.prd})`);
    for (const s of result.readiness) lines.push(`  ${STATUS[s.status].replace(/^\S+ /, '').padEnd(20)} ${s.title}${s.line ? ` (line ${s.line})` : ''}`);
  }
  const t = tuned(result);
  if (result.rulesFile) lines.push(`Rules from ${result.rulesFile}${t.length ? `: ${t.join(', ')}` : ''}`);
  return lines.length ? lines.join('\n') + '\n' : '';
}
