/** Plain terminal output: a headline, then findings grouped by operation. No colours. */
import type { Finding, GateResult } from '../result.js';
import { countsLine, formatLocation, groupByOperation, metricEntries } from './common.js';

export const GENERAL_HEADING = 'General';

/** Drop control characters (ANSI escapes included) and indent continuation lines. */
function clean(s: string, indent: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
    .replace(/\n/g, `\n${indent}`);
}

function findingLine(f: Finding): string {
  const loc = formatLocation(f.location);
  const where = loc ? ` (${clean(loc, '')})` : '';
  return `  ${f.level.toUpperCase()} ${clean(f.id, '')}: ${clean(f.message, '    ')}${where}`;
}

export function formatText(result: GateResult): string {
  const counts = result.findings.length === 0 ? 'no findings' : countsLine(result);
  const lines = [`${clean(result.gate, '')}: ${result.verdict.toUpperCase()} (${counts})`];

  for (const group of groupByOperation(result.findings)) {
    lines.push('', group.operation === undefined ? GENERAL_HEADING : clean(group.operation, ''));
    for (const f of group.findings) lines.push(findingLine(f));
  }

  const metrics = metricEntries(result);
  if (metrics.length > 0) {
    lines.push('', 'Metrics');
    for (const [name, value] of metrics) lines.push(`  ${clean(name, '')}: ${value}`);
  }
  return lines.join('\n') + '\n';
}
