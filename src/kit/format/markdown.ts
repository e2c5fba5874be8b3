/**
 * GitHub job summary (GitHub-flavoured Markdown). The runner refuses a step summary over
 * 1 MiB, so the finding list is cut to fit `maxBytes` and the cut is stated.
 */
import { countByLevel, sortFindings, type Finding, type GateResult, type Level } from '../result.js';
import { formatLocation, groupByOperation, metricEntries, plural, type Group } from './common.js';

export interface MarkdownOptions {
  /** Heading text; defaults to the gate name. */
  title?: string;
  /** UTF-8 byte budget for the whole summary (default 1,000,000). */
  maxBytes?: number;
  /** How many findings became annotations, so the summary can say where the rest are. */
  annotated?: { shown: number; total: number };
}

export const SUMMARY_MAX_BYTES = 1_000_000;
/** Longest message shown in one table cell; the JSON result keeps the whole text. */
const MAX_CELL_CHARS = 4096;

const BADGE: Record<Level, string> = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' };

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Plain text for headings and paragraphs: no raw HTML, one line. */
export function escapeText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\r\n?|\n/g, ' ');
}

/** Keep a `|` (and any backslashes before it) from ending a table cell. */
function escapePipes(s: string): string {
  return s.replace(/(\\*)\|/g, (_, bs: string) => `${bs}${bs}\\|`);
}

function escapeCellText(s: string): string {
  return escapePipes(s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\r\n?|\n/g, '<br>'));
}

/**
 * Text for a table cell. Code spans in the message stay code spans (their `<` and `&` are
 * literal there, so only pipes and newlines are touched); the rest gets `&`, `<`, `|` and
 * newlines escaped.
 */
export function escapeCell(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const open = /`+/g;
    open.lastIndex = i;
    const o = open.exec(s);
    if (!o) break;
    const close = new RegExp(`(?<!\`)${o[0]}(?!\`)`, 'g');
    close.lastIndex = o.index + o[0].length;
    const c = close.exec(s);
    if (!c) {
      out += escapeCellText(s.slice(i, o.index + o[0].length));
      i = o.index + o[0].length;
      continue;
    }
    const end = c.index + c[0].length;
    out += escapeCellText(s.slice(i, o.index)) + escapePipes(s.slice(o.index, end).replace(/\r\n?|\n/g, ' '));
    i = end;
  }
  return out + escapeCellText(s.slice(i));
}

/** A code span that survives backticks (and, in a table, pipes) in its content. */
export function codeSpan(s: string, inTable = false): string {
  let text = s.replace(/\r\n?|\n/g, ' ');
  if (inTable) text = escapePipes(text);
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

function header(result: GateResult, opts: MarkdownOptions): string {
  const c = countByLevel(result.findings);
  const emoji = result.verdict === 'pass' ? '✅' : '❌';
  const verdict = result.verdict === 'pass' ? 'passed' : 'failed';
  const parts = [
    `## ${emoji} ${escapeText(opts.title ?? result.gate)}: ${verdict}\n`,
    '| ❌ Errors | ⚠️ Warnings | ℹ️ Info |\n|---:|---:|---:|\n' + `| ${c.error} | ${c.warning} | ${c.info} |\n`,
  ];
  const metrics = metricEntries(result);
  if (metrics.length > 0) {
    const rows = metrics.map(([name, value]) => `| ${escapeCell(name)} | ${value} |\n`).join('');
    parts.push(`| Metric | Value |\n|---|---:|\n${rows}`);
  }
  const a = opts.annotated;
  if (a && a.shown < a.total) {
    parts.push(
      `> ℹ️ ${a.shown} of ${plural(a.total, 'finding')} were shown as annotations ` +
        '(the runner keeps 10 of each type per step); the rest are listed here.\n',
    );
  }
  if (result.findings.length === 0) parts.push('No findings.\n');
  return parts.join('\n');
}

function groupHeader(group: Group): string {
  const name = group.operation === undefined ? 'General' : codeSpan(group.operation);
  return `\n### ${name}\n\n| Level | Rule | Message | Location |\n|---|---|---|---|\n`;
}

function row(f: Finding): string {
  const loc = formatLocation(f.location);
  const message = escapeCell(clip(f.message, MAX_CELL_CHARS));
  return `| ${BADGE[f.level]} | ${codeSpan(f.id, true)} | ${message} | ${loc ? escapeCell(loc) : ''} |\n`;
}

function omittedNote(omitted: number, total: number, maxBytes: number): string {
  return (
    `\n> ⚠️ ${omitted} of ${plural(total, 'finding')} omitted to keep this summary ` +
    `under ${maxBytes} bytes; the full list is in the JSON result file.\n`
  );
}

/** Cut to at most `max` UTF-8 bytes without splitting a character. */
function clipBytes(s: string, max: number): string {
  const buf = Buffer.from(s, 'utf8');
  if (buf.length <= max) return s;
  let end = Math.max(0, max);
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

function findingsMarkdown(findings: readonly Finding[]): string {
  return groupByOperation(findings)
    .map((g) => groupHeader(g) + g.findings.map(row).join(''))
    .join('');
}

export function formatMarkdown(result: GateResult, opts: MarkdownOptions = {}): string {
  const maxBytes = opts.maxBytes ?? SUMMARY_MAX_BYTES;
  const head = header(result, opts);
  const full = head + findingsMarkdown(result.findings);
  if (bytes(full) <= maxBytes) return full;

  // Too big: keep the worst findings that fit (whole severity order, not per group),
  // leaving room for the note that says how many were left out.
  const total = result.findings.length;
  const sorted = sortFindings(result.findings);
  const seenGroups = new Set<string | undefined>();
  let used = bytes(head) + bytes(omittedNote(total, total, maxBytes));
  let kept = 0;
  for (const f of sorted) {
    const newGroup = !seenGroups.has(f.operation);
    const cost = bytes(row(f)) + (newGroup ? bytes(groupHeader({ operation: f.operation, findings: [] })) : 0);
    if (used + cost > maxBytes) break;
    used += cost;
    seenGroups.add(f.operation);
    kept++;
  }
  const out = head + findingsMarkdown(sorted.slice(0, kept)) + omittedNote(total - kept, total, maxBytes);
  return clipBytes(out, maxBytes);
}
