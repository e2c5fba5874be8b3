/**
 * probe:auth: every operation the spec protects, called without credentials, must be refused: 401, 403,
 * or 404 (an API may hide what a caller without credentials cannot see, as GitHub does).
 */
import { headerParams, requestTarget, type Operation } from './operations.js';
import { outcome, probeFinding, type ProbeContext, type ProbeOutcome } from './types.js';

export function bodyFor(op: Operation, malformed = false): { body?: string; headers: Record<string, string> } {
  if (!op.body) return { headers: {} };
  const headers = { 'Content-Type': op.body.type };
  if (malformed) return { body: /json/i.test(op.body.type) ? '{"asvs-probe": ' : '\u0000', headers };
  const ex = op.body.example;
  return { body: ex === undefined ? (/json/i.test(op.body.type) ? '{}' : '') : typeof ex === 'string' ? ex : JSON.stringify(ex), headers };
}

export async function probeAuth(ctx: ProbeContext): Promise<ProbeOutcome> {
  // Reads first and DELETE last: should a server let a call through, the damage comes as late as possible.
  const rank = (m: string) => (['GET', 'HEAD', 'OPTIONS'].includes(m) ? 0 : m === 'DELETE' ? 2 : 1);
  const ops = ctx.spec.operations.filter((o) => o.protected).sort((a, b) => rank(a.method) - rank(b.method));
  const skipped = ctx.spec.operations.filter((o) => !o.protected).map((o) => o.key);
  if (ops.length === 0) {
    return { id: 'probe:auth', status: 'skipped', detail: 'the spec protects no operation (no security requirement applies)', requests: 0, findings: [], data: { skipped } };
  }
  const findings = [];
  const start = ctx.client.sent;
  const answers: Record<string, number> = {};
  for (const op of ops) {
    const { body, headers } = bodyFor(op);
    const res = await ctx.client.request(op.method, requestTarget(op), { headers: { ...headerParams(op), ...headers }, body });
    answers[op.key] = res.status;
    if (res.status >= 200 && res.status < 300) {
      findings.push(
        probeFinding(ctx, 'probe:auth', 'asvs-auth-not-enforced', 'error', `answered ${res.status} without credentials; the spec requires authentication`, op, {
          status: res.status,
        }),
      );
    } else if (res.status !== 401 && res.status !== 403 && res.status !== 404) {
      findings.push(
        probeFinding(
          ctx,
          'probe:auth',
          'asvs-auth-unexpected-status',
          'warning',
          `answered ${res.status} without credentials; expected 401, 403 or 404 (authentication should be checked before anything else)`,
          op,
          { status: res.status },
        ),
      );
    }
  }
  const hidden = Object.values(answers).filter((s) => s === 404).length;
  const how = hidden ? ` (${hidden === ops.length ? 'all' : hidden} with 404: hidden from callers without credentials)` : '';
  return outcome('probe:auth', findings, ctx.client.sent - start, `${ops.length} protected operation${ops.length === 1 ? '' : 's'} refused calls without credentials${how}`, {
    answers,
    skipped,
  });
}
