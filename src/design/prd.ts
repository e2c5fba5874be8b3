/**
 * Definition of Ready: the PRD (templates/PRD.md as filled in) has every required section, none
 * empty, no template placeholder left, an ASVS level in its security section, and endpoints the
 * spec has. HTML comments (the template's guidance) are ignored; findings point at PRD lines.
 */
import type { Finding } from '../kit/result.js';
import { pathOf } from './names.js';
import { DESIGN_RULES, type DesignRule } from './rules.js';

export interface PrdSectionSpec {
  /** The heading the template writes. */
  title: string;
  /** How a `## heading` is recognised (case-insensitive, at its start). */
  match: RegExp;
}

export const PRD_SECTIONS: readonly PrdSectionSpec[] = [
  { title: 'Problem', match: /^problem\b/i },
  { title: 'Consumers', match: /^consumers?\b/i },
  { title: 'Endpoints', match: /^endpoints?\b/i },
  { title: 'Service level objectives (SLOs)', match: /^(?:service[- ]level|slos?\b)/i },
  { title: 'Security (ASVS level)', match: /^security\b/i },
  { title: 'Rollout and deprecation', match: /^rollout\b/i },
];

export type SectionStatus = 'filled' | 'missing' | 'empty' | 'placeholders';

export interface PrdSection {
  title: string;
  /** Line of its heading; absent when the section is missing. */
  line?: number;
  status: SectionStatus;
}

export interface PrdReport {
  file: string;
  sections: PrdSection[];
  findings: Finding[];
}

const ASVS_LEVEL = /\b(?:level|L)\s*:?\s*[123]\b/i;
const ENDPOINT = /\b(GET|PUT|POST|DELETE|OPTIONS|HEAD|PATCH|TRACE)\s+`?(\/[^\s`|),;]*)/g;

/** An ATX heading (up to three spaces of indent; a closing run of #s after a space is not part of the title). */
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))??(?:[ \t]+#+)?[ \t]*$/;
/** A setext heading's underline: `===` (level 1) or `---` (level 2) under a paragraph. */
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
/** `---`, `***`, `___` (spaces allowed between): a horizontal rule. */
const THEMATIC_BREAK = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
/** A line that can be (part of) a paragraph, hence a setext heading: not a list item, table row, quote or indented code. */
const PARAGRAPH_TEXT = /^ {0,3}(?![-*+][ \t]|\d{1,9}[.)][ \t]|[|>])\S/;

interface Block {
  title: string;
  line: number;
  body: { line: number; text: string }[];
}

/** Blank out HTML comments, keeping line numbers (an unclosed comment runs to the end). */
function withoutComments(text: string): string {
  return text.replace(/<!--[\s\S]*?(?:-->|$)/g, (m) => m.replace(/[^\n]/g, ''));
}

/** Normalised for matching: parameter names dropped, no trailing slash. */
export function endpointKey(method: string, path: string): string {
  const p = path.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '');
  return `${method.toUpperCase()} ${p || '/'}`;
}

/**
 * Check a PRD. `operations` are the spec's (`GET /pets/{id}`), to check the endpoints the PRD
 * lists; `specName` names the spec in those messages.
 */
export function checkPrd(text: string, file: string, operations?: readonly string[], specName = 'the spec'): PrdReport {
  const findings: Finding[] = [];
  const add = (id: DesignRule, message: string, line: number, operation?: string) =>
    findings.push({ id, level: DESIGN_RULES[id].level, message, location: { file, line }, ...(operation ? { operation } : {}) });
  // CRLF, LF and old Mac CR line endings alike.
  const lines = withoutComments(text.replace(/^\uFEFF/, '')).split(/\r\n|\r|\n/);

  const blocks: Block[] = [];
  /** Headings written so that they are not the `## ` sections they look like (`##Problem`, `### Problem`). */
  const nearMisses: { line: number; text: string; why: string }[] = [];
  let current: Block | undefined;
  let fence: string | undefined;
  /** The paragraph being read (lines of plain text since the last blank line): a setext underline makes it a heading. */
  let paragraph: { line: number; texts: string[] } | undefined;
  const open = (title: string, line: number, level: number) => {
    if (level === 2) blocks.push((current = { title, line, body: [] }));
    else current = undefined; // the document title
  };
  lines.forEach((raw, i) => {
    const f = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
    if (f && (!fence || f[1]!.startsWith(fence))) {
      fence = fence ? undefined : f[1]!;
      paragraph = undefined;
      if (current) current.body.push({ line: i + 1, text: raw });
      return;
    }
    if (fence) {
      if (current && raw.trim() !== '') current.body.push({ line: i + 1, text: raw });
      return;
    }
    const atx = ATX_HEADING.exec(raw);
    if (atx) {
      paragraph = undefined;
      const level = atx[1]!.length;
      const title = (atx[2] ?? '').trim();
      if (level <= 2) return open(title, i + 1, level);
      nearMisses.push({ line: i + 1, text: raw.trim(), why: `is a level-${level} heading: required sections are '## ' headings` });
      if (current) current.body.push({ line: i + 1, text: raw });
      return;
    }
    const setext = SETEXT_UNDERLINE.exec(raw);
    if (setext && paragraph) {
      // `Title` over `---` (level 2) or `===` (level 1): the paragraph's lines are the heading, not body text.
      const { line, texts } = paragraph;
      paragraph = undefined;
      if (current) current.body = current.body.filter((b) => b.line < line);
      return open(texts.map((t) => t.trim()).join(' '), line, setext[1]!.startsWith('=') ? 1 : 2);
    }
    if (raw.trim() === '') {
      paragraph = undefined;
      return;
    }
    if (THEMATIC_BREAK.test(raw)) {
      paragraph = undefined; // a horizontal rule is no content of its own
      return;
    }
    if (/^ {0,3}#{1,6}[^#\s]/.test(raw)) nearMisses.push({ line: i + 1, text: raw.trim(), why: 'is not a heading: put a space after the #s' });
    if (PARAGRAPH_TEXT.test(raw)) {
      if (paragraph) paragraph.texts.push(raw);
      else paragraph = { line: i + 1, texts: [raw] };
    } else paragraph = undefined;
    if (current) current.body.push({ line: i + 1, text: raw });
  });

  // A {{placeholder}} may run over several lines: reported on its first, every line it covers is unfilled.
  const placeholderLines = new Set<number>();
  const stripped = lines.join('\n');
  const starts = lineStarts(stripped);
  const reported = new Map<number, number>();
  for (const m of stripped.matchAll(/\{\{[^{}]*\}\}/g)) {
    const first = lineAt(starts, m.index);
    const last = lineAt(starts, m.index + m[0].length - 1);
    for (let l = first; l <= last; l++) placeholderLines.add(l);
    reported.set(first, (reported.get(first) ?? 0) + 1);
    if (reported.get(first) === 1) add('prd-placeholder', `template placeholder ${clip(m[0])} is still in the PRD: fill it in`, first);
  }
  lines.forEach((raw, i) => {
    const m = /\b(?:TODO|TBD)\b/.exec(raw);
    if (!m || placeholderLines.has(i + 1)) return;
    placeholderLines.add(i + 1);
    add('prd-placeholder', `'${m[0]}' is still in the PRD: fill it in`, i + 1);
  });

  const sections: PrdSection[] = [];
  for (const spec of PRD_SECTIONS) {
    const block = blocks.find((b) => spec.match.test(b.title));
    if (!block) {
      const miss = nearMisses.find((m) => spec.match.test(m.text.replace(/^#+\s*/, '')));
      if (miss) add('prd-section-missing', `section '## ${spec.title}' is missing: '${clip(miss.text)}' on line ${miss.line} ${miss.why}`, miss.line);
      else add('prd-section-missing', `section '## ${spec.title}' is missing`, 1);
      sections.push({ title: spec.title, status: 'missing' });
      continue;
    }
    if (block.body.length === 0) {
      add('prd-section-empty', `section '${block.title}' is empty`, block.line);
      sections.push({ title: block.title, line: block.line, status: 'empty' });
      continue;
    }
    const unfilled = block.body.some((b) => placeholderLines.has(b.line)) || placeholderLines.has(block.line);
    sections.push({ title: block.title, line: block.line, status: unfilled ? 'placeholders' : 'filled' });
    if (unfilled) continue;
    if (spec.title.startsWith('Security') && !ASVS_LEVEL.test(block.body.map((b) => b.text).join('\n'))) {
      add('prd-asvs-level-missing', `section '${block.title}' names no ASVS level: write 'ASVS level 1', '2' or '3' (the level the asvs gate verifies in phase 3)`, block.line);
    }
    if (spec.title === 'Endpoints' && operations) {
      const known = new Set(operations.map((o) => endpointKey(o.slice(0, o.indexOf(' ')), pathOf(o.slice(o.indexOf(' ') + 1)))));
      for (const b of block.body) {
        for (const m of b.text.matchAll(ENDPOINT)) {
          const endpoint = `${m[1]} ${m[2]}`;
          if (!known.has(endpointKey(m[1]!, m[2]!))) add('prd-endpoint-not-in-spec', `the PRD lists ${endpoint}, which is not an operation of ${specName}`, b.line, endpoint);
        }
      }
    }
  }
  return { file, sections, findings };
}

/** Offsets where each line starts. */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') out.push(i + 1);
  return out;
}

/** 1-based line of an offset. */
function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** A placeholder as messages quote it: one line, at most 60 characters. */
function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 59)}…}}` : one;
}
