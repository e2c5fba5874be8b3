/** The lifecycle parts of a report the common writers do not know: the sunset schedule. */
import { plural } from '../kit/format/common.js';
import { codeSpan, escapeCell } from '../kit/format/markdown.js';
import type { LifecycleResult } from './run.js';

/** Rows shown in the job summary; the JSON result keeps the whole schedule. */
const MAX_ROWS = 100;

function when(days: number): string {
  if (days < 0) return `❌ ${plural(-days, 'day')} ago`;
  if (days === 0) return '⚠️ today';
  return `in ${plural(days, 'day')}`;
}

export function lifecycleMarkdown(result: LifecycleResult): string {
  const head = `### Sunset schedule (${codeSpan(result.spec)}, today ${result.today}, warning ${plural(result.warnDays, 'day')} ahead)\n\n`;
  if (result.schedule.length === 0) return `${head}No operation, parameter, response header, body or body property has an \`x-sunset\` date.\n`;
  const rows = result.schedule.slice(0, MAX_ROWS).map((s) => {
    const where = s.line ? `${s.file}:${s.line}` : s.file;
    const flag = s.deprecated ? '' : ' (not deprecated)';
    return `| ${s.sunset} | ${when(s.days)} | ${escapeCell(s.operation)} | ${escapeCell(s.element)}${flag} | ${codeSpan(where, true)} |\n`;
  });
  const more = result.schedule.length > MAX_ROWS ? `\n${result.schedule.length - MAX_ROWS} more in the JSON result.\n` : '';
  return `${head}| Sunset | When | Operation | Element | Where |\n|---|---|---|---|---|\n${rows.join('')}${more}`;
}

export function lifecycleText(result: LifecycleResult): string {
  if (result.schedule.length === 0) return '';
  const lines = [`Sunset schedule (today ${result.today})`];
  for (const s of result.schedule) {
    const ago = s.days < 0 ? `${plural(-s.days, 'day')} ago` : s.days === 0 ? 'today' : `in ${plural(s.days, 'day')}`;
    lines.push(`  ${s.sunset} (${ago})  ${s.operation}  ${s.element}`);
  }
  return lines.join('\n') + '\n';
}
