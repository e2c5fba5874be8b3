/** Run the live probes against one base URL, in an order that keeps them from disturbing each other. */
import type { Finding } from '../../kit/result.js';
import { probeAuth } from './auth.js';
import { probeErrorLeak } from './error-leak.js';
import { probeHeaders } from './headers.js';
import { BudgetExceeded, ProbeClient, Unreachable } from './http.js';
import { PROBE_IDS, type ProbeId } from './ids.js';
import { burstTarget, probeRateLimit } from './rate-limit.js';
import type { ProbeSpec } from './operations.js';
import type { ProbeContext, ProbeOutcome, ProbeSettings } from './types.js';

export interface ProbeRunOptions extends ProbeSettings {
  baseUrl: URL;
  token?: string;
  /** Which probes to run (default all). */
  probes?: ProbeId[];
  timeoutMs: number;
  maxDurationMs: number;
  /** Requests for everything but the burst. */
  maxOtherRequests: number;
}

export interface ProbeRun {
  outcomes: ProbeOutcome[];
  findings: Finding[];
  requests: number;
}

const RUNNERS: Record<ProbeId, (ctx: ProbeContext) => Promise<ProbeOutcome>> = {
  'probe:headers': probeHeaders,
  'probe:auth': probeAuth,
  'probe:error-leak': probeErrorLeak,
  // Last: it spends the client's allowance, which would turn later answers into 429s.
  'probe:rate-limit': probeRateLimit,
};

export async function runProbes(spec: ProbeSpec, o: ProbeRunOptions): Promise<ProbeRun> {
  const client = new ProbeClient(o.baseUrl, {
    timeoutMs: o.timeoutMs,
    deadline: Date.now() + o.maxDurationMs,
    maxRequests: o.maxOtherRequests + o.rateLimitMax,
    token: o.token,
  });
  const ctx: ProbeContext = { client, spec, settings: o };
  const wanted = new Set(o.probes ?? PROBE_IDS);
  // A wrong rate-limit-operation is bad input: say so before any request goes out.
  if (wanted.has('probe:rate-limit')) burstTarget(ctx);
  const outcomes: ProbeOutcome[] = [];
  let stop: string | undefined;
  for (const id of Object.keys(RUNNERS) as ProbeId[]) {
    if (!wanted.has(id)) continue;
    if (stop) {
      outcomes.push({ id, status: 'skipped', detail: stop, requests: 0, findings: [] });
      continue;
    }
    try {
      outcomes.push(await RUNNERS[id](ctx));
    } catch (e) {
      if (!(e instanceof Unreachable || e instanceof BudgetExceeded)) throw e;
      const message = e instanceof Unreachable ? `could not reach the API: ${e.message}` : `stopped: ${e.message}`;
      outcomes.push({
        id,
        status: 'fail',
        detail: message,
        requests: 0,
        findings: [{ id: 'asvs-probe-error', level: 'error', message: `${id}: ${message}`, location: { file: spec.file }, data: { probe: id } }],
      });
      stop = `not run: ${id} ${e instanceof Unreachable ? 'could not reach the API' : 'used up the budget'}`;
    }
  }
  return { outcomes, findings: outcomes.flatMap((x) => x.findings), requests: client.sent };
}
