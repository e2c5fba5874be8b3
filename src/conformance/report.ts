/** What the conformance gate adds to the common reports: coverage per operation and the test-plan links. */
import { codeSpan, escapeCell } from '../kit/format/markdown.js';
import type { OperationCoverage } from './engine.js';
import type { ConformanceGateResult } from './run.js';

function status(c: OperationCoverage): string {
  if (c.skipped) return `skipped: ${c.skipped}`;
  if (c.requests === 0) return 'not run';
  if (c.checksFailed > 0) return 'failed';
  return c.notRun > 0 ? `passed (${c.notRun} case(s) not sent)` : 'passed';
}

export function coverageMarkdown(r: ConformanceGateResult): string {
  const lines = [
    `### Coverage (${r.mode} mode, seed ${r.seed}, ${escapeCell(r.baseUrl)})`,
    '',
    '| Operation | Positive cases | Negative cases | Requests | Checks passed | Checks failed | Result |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...r.coverage.map(
      (c) => `| ${codeSpan(c.operation, true)} | ${c.positive} | ${c.negative} | ${c.requests} | ${c.checksPassed} | ${c.checksFailed} | ${escapeCell(status(c))} |`,
    ),
    '',
  ];
  const checks = Object.entries(r.checks).sort(([a], [b]) => a.localeCompare(b));
  if (checks.length > 0) {
    lines.push('| Check | Passed | Failed |', '|---|---:|---:|', ...checks.map(([id, t]) => `| ${codeSpan(`conformance:${id}`, true)} | ${t.passed} | ${t.failed} |`), '');
  }
  lines.push(`Re-run the same cases with \`--seed ${r.seed}\`; every failure above carries its curl line.`, '');
  if (r.plan) {
    lines.push(`### Test plan \`${r.plan.file}\``, '');
    if (r.plan.links.length === 0) lines.push('No item names a conformance check (`conformance:<check-id>`).', '');
    else {
      lines.push('| Line | Item | Checked | Checks in this run |', '|---:|---|---|---|');
      for (const l of r.plan.links) {
        const res = l.results.map((x) => `${codeSpan(x.check, true)} ${x.ran ? (x.failed > 0 ? `❌ ${x.failed} failed` : `✅ ${x.passed} passed`) : '— did not run'}`).join('<br>');
        lines.push(`| ${l.item.line} | ${escapeCell(l.item.text)} | ${l.item.checked ? 'yes' : 'no'} | ${res} |`);
      }
      lines.push('');
    }
  }
  return lines.join('\n');
}

export function coverageText(r: ConformanceGateResult): string {
  const lines = ['', `Coverage (${r.mode} mode, seed ${r.seed}, ${r.baseUrl})`];
  const width = Math.max(9, ...r.coverage.map((c) => c.operation.length));
  lines.push(`  ${'operation'.padEnd(width)}  +cases  -cases  requests  passed  failed  result`);
  for (const c of r.coverage) {
    lines.push(
      `  ${c.operation.padEnd(width)}  ${String(c.positive).padStart(6)}  ${String(c.negative).padStart(6)}  ${String(c.requests).padStart(8)}  ${String(c.checksPassed).padStart(6)}  ${String(c.checksFailed).padStart(6)}  ${status(c)}`,
    );
  }
  if (r.plan) {
    lines.push('', `Test plan ${r.plan.file}`);
    for (const l of r.plan.links) {
      const res = l.results.map((x) => `${x.check}: ${x.ran ? `${x.passed} passed, ${x.failed} failed` : 'did not run'}`).join('; ');
      lines.push(`  line ${l.item.line} [${l.item.checked ? 'x' : ' '}] ${l.item.text.slice(0, 70)} → ${res}`);
    }
  }
  return lines.join('\n') + '\n';
}
