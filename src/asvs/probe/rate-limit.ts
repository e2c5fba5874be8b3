/**
 * probe:rate-limit: a bounded burst against one operation must meet a 429 that says when to come back
 * (`Retry-After` or `RateLimit-*` headers) within the stated number of requests. Reports where limiting
 * started. Requests go out a few at a time; the burst stops at the first 429.
 */
import type { Finding } from '../../kit/result.js';
import { InputError } from '../../kit/errors.js';
import { BudgetExceeded, type ProbeResponse } from './http.js';
import { findOperation, headerParams, requestTarget, type Operation } from './operations.js';
import { pickReadable } from './headers.js';
import { outcome, probeFinding, type ProbeContext, type ProbeOutcome } from './types.js';

const LIMIT_HEADERS = [
  'Retry-After',
  'RateLimit',
  'RateLimit-Policy',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'X-RateLimit-Limit',
  'X-RateLimit-Remaining',
  'X-RateLimit-Reset',
];

export function burstTarget(ctx: ProbeContext): Operation | undefined {
  const ref = ctx.settings.rateLimitOperation?.trim();
  if (ref) {
    const op = findOperation(ctx.spec.operations, ref);
    if (!op) {
      throw new InputError(`rate-limit-operation: '${ref}' is not an operation of ${ctx.spec.file} (write 'GET /path' or an operationId)`, {
        field: 'rate-limit-operation',
      });
    }
    return op;
  }
  return pickReadable(ctx.spec.operations);
}

export async function probeRateLimit(ctx: ProbeContext): Promise<ProbeOutcome> {
  const op = burstTarget(ctx);
  if (!op) return { id: 'probe:rate-limit', status: 'skipped', detail: 'the spec has no GET operation to send a burst to (set rate-limit-operation)', requests: 0, findings: [] };
  const max = ctx.settings.rateLimitMax;
  const target = requestTarget(op);
  const headers = headerParams(op);
  const start = ctx.client.sent;
  const earlier = ctx.client.sentWithToken;
  let issued = 0;
  // Counted as answers arrive: with several requests in flight, arrival is the order the server saw.
  let answered = 0;
  const state: { first429?: { n: number; res: ProbeResponse } } = {};
  const statuses = new Map<number, number>();
  let budgetNote = '';
  const worker = async () => {
    while (!state.first429 && issued < max) {
      issued++;
      let res: ProbeResponse;
      try {
        res = await ctx.client.request(op.method, target, { headers, auth: true });
      } catch (e) {
        if (e instanceof BudgetExceeded) {
          budgetNote = ` (${e.message})`;
          issued = max;
          return;
        }
        throw e;
      }
      const n = ++answered;
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status === 429 && !(state.first429 as unknown)) state.first429 = { n, res };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.settings.rateLimitConcurrency, max)) }, worker));
  const sent = ctx.client.sent - start;
  const seen = Object.fromEntries([...statuses.entries()].map(([s, c]) => [String(s), c]));
  const findings: Finding[] = [];
  const first429 = state.first429;
  if (!first429) {
    findings.push(
      probeFinding(ctx, 'probe:rate-limit', 'asvs-rate-limit-missing', 'error', `no 429 after ${sent} requests${budgetNote}; a limit was expected within ${max}`, op, {
        sent,
        statuses: seen,
      }),
    );
    return outcome('probe:rate-limit', findings, sent, '', { operation: op.key, sent, statuses: seen });
  }
  const h = first429.res.headers;
  const retryAfterText = h.get('retry-after');
  // Retry-After is a number of seconds or an HTTP date (RFC 9110 §10.2.3); `soon` tells a client nothing.
  const usableRetryAfter = retryAfterText === null || /^\s*\d+\s*$/.test(retryAfterText) || !Number.isNaN(Date.parse(retryAfterText));
  const present = LIMIT_HEADERS.filter((n) => h.get(n) !== null && (n !== 'Retry-After' || usableRetryAfter));
  if (present.length === 0) {
    findings.push(
      probeFinding(
        ctx,
        'probe:rate-limit',
        'asvs-rate-limit-headers-missing',
        'error',
        usableRetryAfter
          ? `limited at request ${first429.n} with 429, but without Retry-After or RateLimit-* headers to say when to retry`
          : `limited at request ${first429.n} with 429, but Retry-After: '${retryAfterText!.slice(0, 40)}' is neither a number of seconds nor an HTTP date, and no RateLimit-* header says when to retry`,
        op,
        { limitedAt: first429.n },
      ),
    );
  }
  const retryAfter = h.get('retry-after');
  return outcome(
    'probe:rate-limit',
    findings,
    sent,
    `${op.key} limited at request ${first429.n} of at most ${max} (429 with ${present.join(', ')})` +
      (earlier ? `; earlier probes had sent ${earlier} requests with the same credentials` : ''),
    { operation: op.key, limitedAt: first429.n, earlierWithToken: earlier, sent, statuses: seen, ...(retryAfter ? { retryAfter } : {}) },
  );
}
