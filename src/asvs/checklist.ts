/**
 * Reads a checklist: a markdown table `| ID | Level | Status | Evidence | Notes |` (extra columns such as
 * Description are allowed) or the same data as YAML. Rows keep their source line for findings.
 */
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import { InputError } from '../kit/errors.js';
import { namesPlace } from './evidence.js';

export const STATUSES = ['pass', 'fail', 'n/a', 'todo'] as const;
export type Status = (typeof STATUSES)[number];

/**
 * The words and marks teams write for the four statuses (case and a trailing emoji variation selector
 * do not matter). `partial` is deliberately none of them: see PARTIAL.
 */
const STATUS_WORDS: Record<Status, string[]> = {
  'pass': ['pass', 'passed', 'passes', 'passing', 'yes', 'y', 'done', 'ok', 'okay', 'verified', 'compliant', 'met', 'implemented', '✅', '✔', '☑', '✓', '[x]', '🟢'],
  'fail': ['fail', 'failed', 'failing', 'no', 'n', 'not met', 'non-compliant', 'noncompliant', 'not compliant', 'not implemented', '❌', '✖', '✗', '✘', '🔴', '⛔'],
  'n/a': ['n/a', 'na', 'n.a.', 'n.a', 'not applicable', 'not-applicable', 'does not apply', 'inapplicable', '➖'],
  'todo': ['todo', 'to do', 'to-do', 'tbd', 'open', 'pending', 'not tested', 'not-tested', 'untested', 'not started', 'in progress', 'in-progress', 'wip', 'planned', '⏳', '🚧', '⬜', '[ ]'],
};
const WORD_TO_STATUS = new Map<string, Status>(STATUSES.flatMap((s) => STATUS_WORDS[s].map((w) => [w, s] as const)));
/** Words for "partly done": not a status of their own. A requirement partly met is not met. */
export const PARTIAL = /^(partial|partially|partly|partially met|partially compliant|partially implemented|in part|⚠|🟡|🟠)$/;

function normStatus(text: string): string {
  return text.replace(/\uFE0F/g, '').replace(/[*_`]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

export function parseStatus(text: string): Status | undefined {
  return readStatus(text).status;
}

/**
 * A status cell as written: `pass`, `Pass`, `✅`, `✅ Pass`, `Not applicable`, `N/A - no passwords`,
 * `N/A (no UI)`. Text after the status word (after ` - `, `:`, `(` or `—`) is a note: for `n/a` it
 * counts as the reason.
 */
export function readStatus(text: string): { status?: Status; note?: string } {
  const raw = text.trim();
  const whole = WORD_TO_STATUS.get(normStatus(raw));
  if (whole) return { status: whole };
  // `✅ Pass`, `❌ fail`: a mark and a word that agree.
  const words = normStatus(raw).split(' ');
  if (words.length === 2) {
    const [a, b] = words.map((w) => WORD_TO_STATUS.get(w));
    if (a && b && a === b) return { status: a };
  }
  const sep = /\s*(?:\s[-–—]\s*|[–—:(]\s*)/g;
  for (let m = sep.exec(raw); m; m = sep.exec(raw)) {
    const head = WORD_TO_STATUS.get(normStatus(raw.slice(0, m.index)));
    if (!head) continue;
    const note = raw
      .slice(m.index + m[0].length)
      .replace(/\)\s*$/, '')
      .trim();
    return note ? { status: head, note } : { status: head };
  }
  return {};
}

/** `partial`, `partially met`, `⚠️`: a word for "partly done". */
export function isPartialStatus(text: string): boolean {
  return PARTIAL.test(normStatus(text));
}

export interface Row {
  line: number;
  /** As written; validated by the verifier. */
  id: string;
  level: string;
  status: string;
  /** Evidence items as written (paths, `path#L12`, URLs, `probe:auth`). */
  evidence: string[];
  notes: string;
}

export interface Checklist {
  /** Path as shown in findings (relative to the repository root). */
  file: string;
  format: 'markdown' | 'yaml';
  /** `ASVS version: 5.0.0` declared in the file. */
  version?: { value: string; line: number };
  /** `Target level: 2` declared in the file. */
  level?: { value: string; line: number };
  /** Line of the (first) table header or `requirements:` key: where missing rows would go. */
  anchorLine: number;
  rows: Row[];
}

export const REQUIRED_COLUMNS = ['id', 'level', 'status', 'evidence', 'notes'] as const;

export function parseChecklist(text: string, file: string): Checklist {
  const trimmed = text.replace(/^\uFEFF/, '');
  const yaml = /\.ya?ml$/i.test(file) || (!/\.(md|markdown)$/i.test(file) && looksLikeYaml(trimmed));
  return yaml ? parseYamlChecklist(trimmed, file) : parseMarkdownChecklist(trimmed, file);
}

function looksLikeYaml(text: string): boolean {
  return /^(?:---\s*\n)?(?:#.*\n|\s*\n)*(?:asvs-version|requirements)\s*:/m.test(text) && !/^\s*\|/m.test(text);
}

// ── markdown ────────────────────────────────────────────────────────────────────────────────

/** Split a table row on unescaped pipes; `\|` stays a literal pipe. */
export function splitRow(line: string): string[] {
  let s = line.trim();
  if (s.startsWith('|')) s = s.slice(1);
  if (s.endsWith('|') && !s.endsWith('\\|')) s = s.slice(0, -1);
  const cells: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && s[i + 1] === '|') {
      cur += '|';
      i++;
    } else if (c === '|') {
      cells.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  cells.push(cur.trim());
  return cells;
}

/** A delimiter row: GFM needs one hyphen per cell, not three (`|-|-|`, `|:--|--:|`, `---|---`). */
const SEPARATOR = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

/** A line with an unescaped pipe: a table row, with or without the outer pipes. */
function hasPipe(line: string): boolean {
  return /(^|[^\\])\|/.test(line) && line.trim() !== '';
}

/** Header cell → canonical column name (`ID`, `**Status**`, `Notes / justification` all work). */
function columnName(cell: string): string {
  const c = cell.replace(/[*_`]/g, '').trim().toLowerCase();
  if (['id', '#', 'requirement', 'requirement id', 'req id', 'asvs id', 'asvs requirement'].includes(c)) return 'id';
  if (['level', 'min level', 'min. level', 'minimum level', 'asvs level', 'lvl', 'l'].includes(c)) return 'level';
  if (c === 'status' || c.startsWith('status ') || c.startsWith('status/')) return 'status';
  if (c === 'evidence' || c.startsWith('evidence ') || c.startsWith('evidence/')) return 'evidence';
  if (['note', 'comment', 'comments', 'justification', 'reason', 'rationale', 'remarks'].includes(c) || c.startsWith('notes')) return 'notes';
  if (c === 'description') return 'description';
  return c;
}

function parseMarkdownChecklist(text: string, file: string): Checklist {
  const lines = text.split(/\r\n?|\n/);
  const out: Checklist = { file, format: 'markdown', anchorLine: 0, rows: [] };
  let fence: string | undefined;
  let inComment = false;
  let table: { columns: Map<string, number> } | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const n = i + 1;
    const fenceMatch = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (!fence) fence = fenceMatch[1]![0]!.repeat(fenceMatch[1]!.length);
      else if (line.trim().startsWith(fence)) fence = undefined;
      table = undefined;
      continue;
    }
    if (fence) continue;
    if (inComment) {
      if (line.includes('-->')) inComment = false;
      continue;
    }
    if (/^\s*<!--/.test(line) && !line.includes('-->')) {
      inComment = true;
      continue;
    }
    // Rows may leave out the outer pipes (`ID | Level | ...`), as GFM allows.
    const isTableLine = /^\s*\|/.test(line) || (table ? hasPipe(line) : hasPipe(line) && SEPARATOR.test(lines[i + 1] ?? ''));
    if (!isTableLine) {
      table = undefined;
      const v = /^\s*(?:[-*]\s+)?(?:\*\*)?ASVS version(?:\*\*)?\s*:\s*(?:\*\*)?\s*`?([^\s`*]+)/i.exec(line);
      if (v && !out.version) out.version = { value: v[1]!.replace(/^v/i, ''), line: n };
      const l = /^\s*(?:[-*]\s+)?(?:\*\*)?(?:Target |ASVS )?level(?:\*\*)?\s*:\s*(?:\*\*)?\s*`?L?([^\s`*]+)/i.exec(line);
      if (l && !out.level) out.level = { value: l[1]!, line: n };
      continue;
    }
    if (table) {
      if (SEPARATOR.test(line)) continue;
      const cells = splitRow(line);
      const cell = (name: string) => {
        const idx = table!.columns.get(name);
        return idx === undefined ? '' : (cells[idx] ?? '');
      };
      out.rows.push({
        line: n,
        id: stripMarkup(cell('id')),
        level: stripMarkup(cell('level')),
        status: stripMarkup(cell('status')),
        evidence: splitEvidence(cell('evidence')),
        notes: cell('notes').trim(),
      });
      continue;
    }
    // A table starts: is it a checklist table (has an ID column)?
    const next = lines[i + 1] ?? '';
    if (!SEPARATOR.test(next)) continue;
    const header = splitRow(line).map(columnName);
    if (!header.includes('id')) {
      // Another table (a legend, a summary): skip it whole.
      while (i + 1 < lines.length && hasPipe(lines[i + 1]!)) i++;
      continue;
    }
    const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
    if (missing.length > 0) {
      throw new InputError(
        `${file}:${n}: the checklist table lacks the column${missing.length > 1 ? 's' : ''} ${missing.map(title).join(', ')}; ` +
          'expected | ID | Level | Status | Evidence | Notes | (extra columns are allowed)',
        { file, field: 'columns' },
      );
    }
    table = { columns: new Map(header.map((h, idx) => [h, idx] as const).reverse()) };
    if (!out.anchorLine) out.anchorLine = n;
    i++; // the separator
  }
  if (!out.anchorLine) {
    throw new InputError(`${file}: no checklist table found; expected a markdown table with the header | ID | Level | Status | Evidence | Notes |`, {
      file,
    });
  }
  return out;
}

function title(c: string): string {
  return c === 'id' ? 'ID' : c[0]!.toUpperCase() + c.slice(1);
}

/** `**v5.0.0-1.2.3**`, `` `pass` `` → plain text. */
function stripMarkup(s: string): string {
  return s.replace(/^[*_`\s]+|[*_`\s]+$/g, '').trim();
}

/**
 * Evidence items from a cell: markdown links give their target, `<url>` its url; the rest is split
 * on commas, semicolons, `<br>` and spaces, except that prose (words that are no path, URL or probe
 * id) stays one item. Code spans are unwrapped.
 */
export function splitEvidence(cell: string): string[] {
  const items: string[] = [];
  // A link destination is `<with spaces>` or has none; a relative one is percent-encoded (`Security%20Review.md`).
  let rest = cell.replace(/\[([^\]]*)\]\(\s*(?:<([^>]+)>|([^)\s]+))(?:\s+"[^"]*")?\s*\)/g, (_, _label: string, angled?: string, bare?: string) => {
    items.push(linkTarget((angled ?? bare ?? '').trim()));
    return ' ';
  });
  rest = rest.replace(/<((?:https?:)[^>\s]+)>/gi, (_, url: string) => {
    items.push(url);
    return ' ';
  });
  for (const segment of rest.split(/<br\s*\/?>|[,;]+/i)) {
    const words = segment.trim().split(/\s+/).filter(Boolean);
    // `see PR #123 and the review` is one piece of prose (one finding), not six missing files.
    if (words.length > 1 && !words.every(looksLikeEvidence)) {
      items.push(words.join(' '));
      continue;
    }
    for (const part of words) {
      const p = part.replace(/^`+|`+$/g, '').trim();
      if (p && p !== '-' && p !== '—') items.push(p);
    }
  }
  return items;
}

/** A path (`src/a.ts`, `README.md#L3`), a URL or a probe id, as opposed to a word of prose. */
function looksLikeEvidence(word: string): boolean {
  const w = word.replace(/^`+|`+$/g, '');
  return w === '-' || w === '—' || namesPlace(w);
}

/** A markdown link's destination as a path: percent-escapes decoded for repository paths (URLs stay as written). */
function linkTarget(target: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return target;
  try {
    return decodeURIComponent(target);
  } catch {
    return target;
  }
}

// ── YAML ────────────────────────────────────────────────────────────────────────────────────

function parseYamlChecklist(text: string, file: string): Checklist {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0];
    throw new InputError(`${file}${pos ? `:${pos.line}:${pos.col}` : ''}: not valid YAML: ${e.message.split('\n')[0]}`, { file });
  }
  try {
    doc.toJS({ maxAliasCount: 1000 });
  } catch (e) {
    throw new InputError(`${file}: cannot read YAML: ${(e as Error).message}`, { file });
  }
  const lineOf = (node: unknown): number => {
    const off = (node as YamlNode | null)?.range?.[0];
    return off === undefined ? 1 : lc.linePos(off).line;
  };
  const root = doc.contents;
  if (!isMap(root)) throw new InputError(`${file}: expected a YAML mapping with 'asvs-version', 'level' and 'requirements'`, { file });
  const pair = (map: typeof root, key: string) => map.items.find((p) => String((p.key as { value?: unknown } | null)?.value) === key);
  const out: Checklist = { file, format: 'yaml', anchorLine: 1, rows: [] };
  const v = pair(root, 'asvs-version');
  // As written: `asvs-version: 5.0` is the number 5 to YAML, but the source text says 5.0.
  const written = (node: unknown) => {
    const n = node as { value?: unknown; source?: unknown } | null;
    return String(typeof n?.source === 'string' && typeof n.value === 'number' ? n.source : (n?.value ?? ''));
  };
  if (v) out.version = { value: written(v.value).replace(/^v/i, ''), line: lineOf(v.key) };
  const l = pair(root, 'level');
  if (l) out.level = { value: String((l.value as { value?: unknown } | null)?.value ?? ''), line: lineOf(l.key) };
  const reqs = pair(root, 'requirements');
  if (!reqs || !isSeq(reqs.value)) {
    throw new InputError(`${file}: field 'requirements' must be a list of {id, level, status, evidence, notes}`, { file, field: 'requirements' });
  }
  out.anchorLine = lineOf(reqs.key);
  for (const item of reqs.value.items) {
    const line = lineOf(item);
    if (!isMap(item)) {
      out.rows.push({ line, id: '', level: '', status: '', evidence: [], notes: '' });
      continue;
    }
    const js = item.toJSON() as Record<string, unknown>;
    const str = (k: string) => (js[k] === undefined || js[k] === null ? '' : String(js[k]));
    const ev = js.evidence;
    const evidence = Array.isArray(ev) ? ev.map((e) => String(e).trim()).filter(Boolean) : typeof ev === 'string' ? splitEvidence(ev) : [];
    out.rows.push({ line, id: str('id').trim(), level: str('level').trim(), status: str('status').trim(), evidence, notes: str('notes').trim() });
  }
  return out;
}
