/** The flags parts of a report the common writers do not know: new operations and the flag register. */
import { plural } from '../kit/format/common.js';
import { codeSpan, escapeCell } from '../kit/format/markdown.js';
import type { FlagsResult, NewOperation } from './run.js';

/** Rows shown in the job summary; the JSON result keeps them all. */
const MAX_ROWS = 100;

function flagCell(n: NewOperation): string {
  if (typeof n.flag === 'string') return codeSpan(n.flag, true);
  if (n.flag === false) return 'none, on purpose';
  return n.flag === null ? '❌ none' : '❌ unreadable';
}

function more(total: number): string {
  return total > MAX_ROWS ? `\n${total - MAX_ROWS} more in the JSON result.\n` : '';
}

export function flagsMarkdown(r: FlagsResult): string {
  const parts: string[] = [];
  if (r.mode === 'check') {
    const ops = r.newOperations ?? [];
    const head = `### New operations and their feature flags (${codeSpan(r.base ?? '')} → ${codeSpan(r.revision ?? '')})\n\n`;
    if (ops.length === 0) parts.push(`${head}The revision adds no operation.\n`);
    else {
      const rows = ops.slice(0, MAX_ROWS).map((n) => `| ${escapeCell(n.operation)} | ${flagCell(n)} | ${codeSpan(n.line ? `${n.file}:${n.line}` : n.file, true)} |\n`);
      parts.push(`${head}| Operation | Flag | Where |\n|---|---|---|\n${rows.join('')}${more(ops.length)}`);
    }
  }
  if (r.flagsFile) {
    const when = r.today ? `, today ${r.today}` : '';
    const head = `### Feature flags (${codeSpan(r.flagsFile)}${when})\n\n`;
    if (r.flags.length === 0) parts.push(`${head}The file declares no flag.\n`);
    else {
      const age = r.today !== undefined;
      const rows = r.flags.slice(0, MAX_ROWS).map((f) => {
        const cells = [
          codeSpan(f.name, true),
          escapeCell(f.owner ?? '❌ none'),
          escapeCell(f.status),
          escapeCell(f.created ?? '❌ none'),
          ...(age ? [f.ageDays === undefined ? '' : plural(f.ageDays, 'day')] : []),
          escapeCell(f.removeBy ?? ''),
          f.operations.length === 0 ? 'none' : escapeCell(f.operations.length <= 3 ? f.operations.join(', ') : `${f.operations.slice(0, 3).join(', ')} and ${f.operations.length - 3} more`),
        ];
        return `| ${cells.join(' | ')} |\n`;
      });
      const header = ['Flag', 'Owner', 'Status', 'Created', ...(age ? ['Age'] : []), 'Remove by', 'Operations'];
      parts.push(`${head}| ${header.join(' | ')} |\n|${header.map(() => '---').join('|')}|\n${rows.join('')}${more(r.flags.length)}`);
    }
  }
  return parts.join('\n');
}

export function flagsText(r: FlagsResult): string {
  const lines: string[] = [];
  if (r.mode === 'check' && (r.newOperations?.length ?? 0) > 0) {
    lines.push('New operations');
    for (const n of r.newOperations!) {
      const flag = typeof n.flag === 'string' ? n.flag : n.flag === false ? '(none, on purpose)' : n.flag === null ? '(none)' : '(unreadable)';
      lines.push(`  ${n.operation}  ${flag}`);
    }
  }
  if (r.mode === 'stale' && r.flags.length > 0) {
    lines.push(`Feature flags (today ${r.today})`);
    for (const f of r.flags) {
      const age = f.ageDays === undefined ? '' : `, ${plural(f.ageDays, 'day')} old`;
      const rb = f.removeBy ? `, remove by ${f.removeBy}` : '';
      lines.push(`  ${f.name}  ${f.status}  owner ${f.owner ?? 'none'}${age}${rb}  ${plural(f.operations.length, 'operation')}`);
    }
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
