/** The telemetry parts of a report the common writers do not know: the table of checks. */
import { codeSpan, escapeCell } from '../kit/format/markdown.js';
import type { TelemetryResult } from './run.js';

/** Rows shown in the job summary; the JSON result keeps them all. */
const MAX_ROWS = 200;
/** Longest query shown in a cell; the JSON result and the finding keep it whole. */
const MAX_QUERY = 400;

const BADGE = { pass: '✅ pass', fail: '❌ fail', 'no-data': '⚠️ no data' } as const;

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function scopeLine(r: TelemetryResult): string {
  const parts = [`window ${r.window}`, `at ${r.evaluatedAt}`];
  if (r.deployedAt) parts.push(`deployed ${r.deployedAt}`);
  if (r.selector) parts.push(`selector {${r.selector}}`);
  if (r.by) parts.push(`per ${r.by}`);
  return parts.join(', ');
}

export function telemetryMarkdown(r: TelemetryResult): string {
  const head = `### Checks against ${codeSpan(r.prometheus)} (${escapeCell(scopeLine(r))})\n\n`;
  const lines = r.rows.slice(0, MAX_ROWS).map((row) => {
    const check = row.series ? `${escapeCell(row.check)} (${codeSpan(row.series, true)})` : escapeCell(row.check);
    return `| ${check} | ${codeSpan(clip(row.query, MAX_QUERY), true)} | ${escapeCell(row.shown)} | ${escapeCell(row.threshold)} | ${BADGE[row.result]} |\n`;
  });
  const more = r.rows.length > MAX_ROWS ? `\n${r.rows.length - MAX_ROWS} more rows in the JSON result.\n` : '';
  return `${head}| Check | Query | Value | Threshold | Result |\n|---|---|---|---|---|\n${lines.join('')}${more}`;
}

export function telemetryText(r: TelemetryResult): string {
  const out = [`Checks (${r.prometheus}; ${scopeLine(r)})`];
  for (const row of r.rows) {
    const what = row.series ? `${row.check} {${row.series}}` : row.check;
    out.push(`  ${row.result === 'pass' ? 'pass   ' : row.result === 'fail' ? 'FAIL   ' : 'NO DATA'}  ${what}: ${row.shown} (budget ${row.threshold})`);
  }
  return out.join('\n') + '\n';
}
