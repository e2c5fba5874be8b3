/** The budget table (metric, budget, actual, baseline, change) beside the common renderers. */
import { render, type Format } from '../kit/format/index.js';
import { codeSpan, escapeCell, formatMarkdown, type MarkdownOptions } from '../kit/format/markdown.js';
import type { GateResult } from '../kit/result.js';
import { fmt, pct, type PerfResult, type Row } from './judge.js';

const STATUS: Record<Row['status'], string> = { pass: '✅', fail: '❌', error: '⚠️', info: '·' };
const ORIGIN: Record<Row['origin'], string> = { budget: '', cli: ' (cli)', script: ' (script)', k6: ' (k6)', baseline: '' };

function isPerf(r: GateResult): r is PerfResult {
  return Array.isArray((r as PerfResult).table);
}

function cells(r: Row): string[] {
  const unit = r.unit ? ` ${r.unit}` : '';
  const budget = r.budget ? `${r.aggregation ? `${r.aggregation} ${r.budget}` : r.budget}${ORIGIN[r.origin]}` : '—';
  const actual = r.actual === undefined ? '—' : `${fmt(r.actual)}${unit}`;
  const baseline = r.baseline === undefined ? '—' : `${fmt(r.baseline)}${unit}`;
  const allowedPct = r.allowed ? /^(\d+(?:\.\d+)?)\s*%/.exec(r.allowed)?.[1] : undefined;
  const change = r.changePct === undefined ? '—' : `${pct(r.changePct, allowedPct === undefined ? undefined : Number(allowedPct))}${r.allowed ? ` (max ${r.allowed})` : ''}`;
  return [STATUS[r.status], r.metric, budget, actual, baseline, change];
}

export function tableMarkdown(result: GateResult): string {
  if (!isPerf(result) || result.table.length === 0) return '';
  const head = '| | Metric | Budget | Actual | Baseline | Change |\n|---|---|---|---:|---:|---:|\n';
  const rows = result.table
    .map((r) => {
      const c = cells(r);
      return `| ${c[0]} | ${codeSpan(c[1]!, true)} | ${escapeCell(c[2]!)} | ${escapeCell(c[3]!)} | ${escapeCell(c[4]!)} | ${escapeCell(c[5]!)} |\n`;
    })
    .join('');
  const s = result.summary;
  const about = [`source: ${s.source}`, s.engine && `engine: ${s.engine}`, s.script && `script: ${codeSpan(s.script)}`, s.k6Version && `k6 ${s.k6Version}`, s.durationS !== undefined && `${fmt(s.durationS)} s`]
    .filter(Boolean)
    .join(' · ');
  return `### Budget\n\n${head}${rows}\n${about}\n`;
}

export function tableText(result: GateResult): string {
  if (!isPerf(result) || result.table.length === 0) return '';
  const rows = [['', 'metric', 'budget', 'actual', 'baseline', 'change'], ...result.table.map(cells)].map((c) => {
    c[0] = c[0] === '✅' ? 'ok' : c[0] === '❌' ? 'FAIL' : c[0] === '⚠️' ? 'ERR' : '';
    return c;
  });
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n\n';
}

/** Render with the table: markdown puts it under the header, text puts it first. */
export function renderPerf(result: GateResult, format: Format): string {
  if (format === 'markdown') return markdownWithTable(result);
  if (format === 'text') return tableText(result) + render(result, 'text');
  return render(result, format);
}

export function markdownWithTable(result: GateResult, opts: MarkdownOptions = {}): string {
  const table = tableMarkdown(result);
  const md = formatMarkdown(result, { ...opts, maxBytes: (opts.maxBytes ?? 1_000_000) - Buffer.byteLength(table) - 2 });
  if (!table) return md;
  // The table goes after the heading and counts, before the findings.
  const cut = md.search(/\n###? /);
  const at = cut > 0 ? cut + 1 : md.length;
  return `${md.slice(0, at)}\n${table}\n${md.slice(at)}`;
}
