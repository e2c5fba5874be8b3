/**
 * Verify a filled-in Performance checklist (templates/Performance-checklist.md): every target has a
 * value, and every item is checked `[x]` or justified (`- [ ] item — N/A: reason`). Findings carry
 * the line, so annotations land on the checklist.
 */
import type { Finding } from '../kit/result.js';

const PLACEHOLDER = /^(<[^>]*>|tbd|todo|\?+|-+|…|\.\.\.|n\/a)?$/i;
const JUSTIFIED = /(?:—|–|-{1,2}|:)\s*(?:n\/a|not applicable|justification|waived|deferred)\s*[:\-–—]?\s*(\S.{4,})$/i;

export interface ChecklistStats {
  targets: number;
  targetsMissing: number;
  items: number;
  checked: number;
  justified: number;
  open: number;
}

export function verifyChecklist(text: string, file: string): { findings: Finding[]; stats: ChecklistStats } {
  const findings: Finding[] = [];
  const stats: ChecklistStats = { targets: 0, targetsMissing: 0, items: 0, checked: 0, justified: 0, open: 0 };
  const lines = text.split(/\r?\n/);
  let section = '';
  let inComment = false;
  let sawTargets = false;
  let sawChecklist = false;
  lines.forEach((raw, i) => {
    const line = i + 1;
    let s = raw;
    if (inComment) {
      const end = s.indexOf('-->');
      if (end < 0) return;
      s = s.slice(end + 3);
      inComment = false;
    }
    s = s.replace(/<!--.*?-->/g, '');
    const open = s.indexOf('<!--');
    if (open >= 0) {
      s = s.slice(0, open);
      inComment = true;
    }
    const h = /^(#{2,})\s+(.*?)\s*$/.exec(s);
    if (h) {
      if (h[1]!.length === 2) section = h[2]!.toLowerCase();
      if (section.startsWith('target')) sawTargets = true;
      if (section.startsWith('checklist')) sawChecklist = true;
      return;
    }
    if (section.startsWith('target')) {
      const cells = /^\s*\|(.*)\|\s*$/.exec(s)?.[1]?.split('|').map((c) => c.trim());
      if (!cells || cells.length < 2 || /^:?-{3,}:?$/.test(cells[0]!) || /^target$/i.test(cells[0]!)) return;
      stats.targets++;
      if (PLACEHOLDER.test(cells[1]!)) {
        stats.targetsMissing++;
        findings.push({
          id: 'perf-checklist-target-missing',
          level: 'error',
          message: `target '${cells[0]}' has no value${cells[1] ? ` ('${cells[1]}' is a placeholder)` : ''}: state the number the load test must meet`,
          location: { file, line },
        });
      }
      return;
    }
    const item = /^\s*[-*]\s+\[( |x|X)\]\s+(.*?)\s*$/.exec(s);
    if (!item) return;
    stats.items++;
    if (item[1] !== ' ') {
      stats.checked++;
      return;
    }
    if (JUSTIFIED.test(item[2]!)) {
      stats.justified++;
      return;
    }
    stats.open++;
    findings.push({
      id: 'perf-checklist-item-open',
      level: 'error',
      message: `'${item[2]}' is neither checked [x] nor justified (append '— N/A: why it does not apply')`,
      location: { file, line },
    });
  });
  if (!sawTargets) findings.push({ id: 'perf-checklist-section-missing', level: 'error', message: "no '## Targets' section: state the latency, error-rate and load targets", location: { file, line: 1 } });
  else if (stats.targets === 0) findings.push({ id: 'perf-checklist-target-missing', level: 'error', message: "the '## Targets' section has no table rows (| Target | Value |)", location: { file, line: 1 } });
  if (!sawChecklist && stats.items === 0) findings.push({ id: 'perf-checklist-section-missing', level: 'error', message: "no '## Checklist' section with '- [ ]' items", location: { file, line: 1 } });
  else if (stats.items === 0) findings.push({ id: 'perf-checklist-section-missing', level: 'error', message: "the checklist has no '- [ ]' items", location: { file, line: 1 } });
  return { findings, stats };
}
