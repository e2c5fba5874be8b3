/**
 * probe:error-leak: malformed requests (a broken percent-escape in path parameters, wrong-typed query
 * values, a truncated JSON body, an unknown path) must get error answers without stack traces; a 5xx
 * to malformed input is reported too, as an unhandled error.
 */
import type { Finding } from '../../kit/result.js';
import { bodyFor } from './auth.js';
import { headerParams, requestTarget, type Operation } from './operations.js';
import { findStackTrace } from './stack-trace.js';
import { outcome, probeFinding, type ProbeContext, type ProbeOutcome } from './types.js';

interface Attempt {
  op?: Operation;
  what: string;
  method: string;
  target: string;
  headers: Record<string, string>;
  body?: string;
}

export function attemptsFor(ops: Operation[]): Attempt[] {
  const out: Attempt[] = [];
  for (const op of ops) {
    const base = headerParams(op);
    if (op.params.some((p) => p.in === 'path')) {
      const { body, headers } = bodyFor(op);
      out.push({ op, what: 'a malformed path parameter', method: op.method, target: requestTarget(op, { malformedPath: true }), headers: { ...base, ...headers }, body });
    }
    if (op.params.some((p) => p.in === 'query')) {
      const { body, headers } = bodyFor(op);
      out.push({ op, what: 'wrong-typed query parameters', method: op.method, target: requestTarget(op, { malformedQuery: true }), headers: { ...base, ...headers }, body });
    }
    if (op.body) {
      const { body, headers } = bodyFor(op, true);
      out.push({ op, what: 'a malformed request body', method: op.method, target: requestTarget(op), headers: { ...base, ...headers }, body });
    }
  }
  out.push({ what: 'an unknown path', method: 'GET', target: '/asvs-probe-no-such-path/%E0%A4%A', headers: {} });
  return out;
}

export async function probeErrorLeak(ctx: ProbeContext): Promise<ProbeOutcome> {
  const start = ctx.client.sent;
  const findings: Finding[] = [];
  const attempts = attemptsFor(ctx.spec.operations);
  for (const a of attempts) {
    const res = await ctx.client.request(a.method, a.target, { headers: a.headers, body: a.body, auth: true });
    const trace = findStackTrace(res.body);
    if (trace) {
      findings.push(
        probeFinding(
          ctx,
          'probe:error-leak',
          'asvs-error-stack-trace',
          'error',
          `answered ${res.status} to ${a.what} with a ${trace.runtime} stack trace in the body: '${trace.excerpt}'`,
          a.op,
          { status: res.status, runtime: trace.runtime },
        ),
      );
    } else if (res.status >= 500) {
      findings.push(
        probeFinding(ctx, 'probe:error-leak', 'asvs-error-server-error', 'warning', `answered ${res.status} to ${a.what}; expected a 4xx for bad input`, a.op, {
          status: res.status,
        }),
      );
    }
  }
  return outcome('probe:error-leak', findings, ctx.client.sent - start, `${attempts.length} malformed requests answered without stack traces`);
}
