/** The asvs parts of a report that the common writers do not know: coverage per chapter, probes, changes since base. */
import { codeSpan, escapeCell } from '../kit/format/markdown.js';
import type { AsvsResult } from './run.js';
import type { ChapterCoverage } from './verify.js';

const ICON = { pass: '✅ pass', fail: '❌ fail', skipped: '⏭️ skipped' } as const;

function pct(c: Pick<ChapterCoverage, 'required' | 'pass' | 'na'>): string {
  return c.required ? `${Math.floor((1000 * (c.pass + c.na)) / c.required) / 10}%` : '—';
}

function total(cov: ChapterCoverage[]): ChapterCoverage {
  const t: ChapterCoverage = { chapter: 'Total', name: '', required: 0, pass: 0, fail: 0, na: 0, todo: 0, missing: 0 };
  for (const c of cov) for (const k of ['required', 'pass', 'fail', 'na', 'todo', 'missing'] as const) t[k] += c[k];
  return t;
}

export function asvsMarkdown(result: AsvsResult): string {
  const parts: string[] = [];
  const cl = result.checklist;
  if (cl) {
    const rows = cl.coverage.filter((c) => c.required > 0);
    const t = total(rows);
    parts.push(
      `### Coverage by chapter: ASVS ${cl.version}, level ${cl.level} (${escapeCell(cl.file)})\n\n` +
        '| Chapter | Required | ✅ pass | ➖ n/a | ❌ fail | ⏳ todo | ❓ missing | Covered |\n|---|---:|---:|---:|---:|---:|---:|---:|\n' +
        rows.map((c) => `| ${c.chapter} ${escapeCell(c.name)} | ${c.required} | ${c.pass} | ${c.na} | ${c.fail} | ${c.todo} | ${c.missing} | ${pct(c)} |\n`).join('') +
        `| **Total** | **${t.required}** | **${t.pass}** | **${t.na}** | **${t.fail}** | **${t.todo}** | **${t.missing}** | **${pct(t)}** |\n`,
    );
    if (cl.base !== undefined) {
      const changed = cl.changes;
      parts.push(
        `### Changes since ${codeSpan(cl.base)}\n\n` +
          (changed.length === 0
            ? 'No status changed.\n'
            : '| Requirement | Before | Now |\n|---|---|---|\n' +
              changed
                .map((c) => `| ${c.id} | ${c.from} | ${c.from === 'pass' && c.to !== 'pass' ? `⚠️ **${c.to}**` : c.to} |\n`)
                .join('')),
      );
    }
  }
  if (result.probes?.length) {
    parts.push(
      '### Live probes\n\n| Probe | Result | Requests | Detail |\n|---|---|---:|---|\n' +
        result.probes.map((p) => `| ${codeSpan(p.id, true)} | ${ICON[p.status]} | ${p.requests} | ${escapeCell(p.detail)} |\n`).join(''),
    );
  }
  return parts.join('\n');
}

export function asvsText(result: AsvsResult): string {
  const lines: string[] = [];
  const cl = result.checklist;
  if (cl) {
    lines.push(`Coverage by chapter (ASVS ${cl.version}, level ${cl.level}, ${cl.file})`);
    const rows = cl.coverage.filter((c) => c.required > 0);
    const fmt = (label: string, c: ChapterCoverage) =>
      `  ${label.padEnd(44)} ${String(c.pass + c.na).padStart(3)}/${String(c.required).padEnd(3)} ${pct(c).padStart(6)}  ` +
      `(pass ${c.pass}, n/a ${c.na}, fail ${c.fail}, todo ${c.todo}, missing ${c.missing})`;
    for (const c of rows) lines.push(fmt(`${c.chapter} ${c.name}`.slice(0, 44), c));
    lines.push(fmt('Total', total(rows)));
    if (cl.base !== undefined) {
      lines.push('', `Changes since ${cl.base}`);
      if (cl.changes.length === 0) lines.push('  no status changed');
      for (const c of cl.changes) lines.push(`  ${c.id}: ${c.from} -> ${c.to}${c.from === 'pass' && c.to !== 'pass' ? '  (regressed)' : ''}`);
    }
  }
  if (result.probes?.length) {
    if (lines.length) lines.push('');
    lines.push('Live probes');
    for (const p of result.probes) lines.push(`  ${p.id.padEnd(17)} ${p.status.toUpperCase().padEnd(7)} ${String(p.requests).padStart(4)} requests  ${p.detail}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
