import { codeSpan, escapeCell } from '../kit/format/markdown.js';
import type { ContractResult } from './model.js';

const RESULT: Record<string, string> = {
  pass: '✅ pass',
  fail: '❌ fail',
  pending: '⏳ pending (fails, not blocking)',
  'not-verified': '⚠️ not verified (message: set provider-messages-url)',
};
const MAX_ROWS = 500;

/**
 * What the contract gate adds under the common report: one row per interaction (consumer,
 * description, state, result), the can-i-deploy matrix, and the broker's notices.
 */
export function contractSummary(result: ContractResult): string {
  const parts: string[] = [];
  if (result.mode === 'can-i-deploy') {
    const d = result.deployable;
    parts.push(`**Deployable:** ${d === true ? '✅ yes' : d === false ? '❌ no' : '❓ unknown (treated as no)'}${result.reason ? ` — ${escapeCell(result.reason)}` : ''}\n`);
    const rows = result.matrix ?? [];
    if (rows.length > 0) {
      parts.push('### can-i-deploy matrix\n\n| Consumer | Consumer version | Provider | Provider version | Verified |\n|---|---|---|---|---|\n' +
        rows
          .map(
            (r) =>
              `| ${escapeCell(r.consumer)} | ${codeSpan(r.consumerVersion || '—', true)} | ${escapeCell(r.provider)} | ${codeSpan(r.providerVersion || '—', true)} | ${
                r.success === true ? '✅ yes' : r.success === false ? '❌ failed' : '❓ not verified'
              } |`,
          )
          .join('\n') +
        '\n');
    }
  }
  if (result.interactions.length > 0) {
    const title = result.mode === 'consumer' ? 'Interactions in the pacts' : result.mode === 'compare' ? 'Interactions against the OpenAPI spec' : 'Interactions verified';
    const shown = result.interactions.slice(0, MAX_ROWS);
    parts.push(
      `### ${title}\n\n| Consumer | Description | State | Result |\n|---|---|---|---|\n` +
        shown
          .map((r) => {
            const res = result.mode === 'compare' && r.result === 'not-verified' ? '⚠️ not compared (message: not in the OpenAPI spec)' : (RESULT[r.result] ?? r.result);
            const detail = r.detail && r.result !== 'pass' ? `<br>${escapeCell(r.detail.length > 300 ? `${r.detail.slice(0, 300)}…` : r.detail)}` : '';
            return `| ${escapeCell(r.consumer)} | ${escapeCell(r.description)} | ${r.state ? escapeCell(r.state) : '—'} | ${res}${detail} |`;
          })
          .join('\n') +
        '\n' +
        (result.interactions.length > MAX_ROWS ? `\n${result.interactions.length - MAX_ROWS} more interactions are in the JSON result.\n` : ''),
    );
  }
  const notices = (result.notices ?? []).filter((n) => n.text.trim() && n.type !== 'debug');
  if (notices.length > 0) {
    parts.push('### Broker notices\n\n' + notices.map((n) => `- ${n.type === 'error' || n.type === 'danger' ? '❌' : n.type === 'warning' ? '⚠️' : 'ℹ️'} ${escapeCell(n.text)}`).join('\n') + '\n');
  }
  return parts.join('\n');
}
