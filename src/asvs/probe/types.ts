import type { Finding, Level } from '../../kit/result.js';
import type { ProbeClient } from './http.js';
import type { ProbeId } from './ids.js';
import type { Operation, ProbeSpec } from './operations.js';

export interface ProbeSettings {
  /** The operation the rate-limit burst targets (`GET /pets` or an operationId); default: the first GET without path parameters. */
  rateLimitOperation?: string;
  /** The burst must meet a 429 within this many requests. */
  rateLimitMax: number;
  /** Requests in flight at once during the burst. */
  rateLimitConcurrency: number;
}

export interface ProbeContext {
  client: ProbeClient;
  spec: ProbeSpec;
  settings: ProbeSettings;
}

export interface ProbeOutcome {
  id: ProbeId;
  status: 'pass' | 'fail' | 'skipped';
  /** One line for the summary and for checklist rows that cite the probe. */
  detail: string;
  requests: number;
  findings: Finding[];
  data?: Record<string, unknown>;
}

/** A probe finding: on the operation's line in the spec when there is one, else on the spec file. */
export function probeFinding(
  ctx: ProbeContext,
  probe: ProbeId,
  id: string,
  level: Level,
  message: string,
  op?: Operation,
  data: Record<string, unknown> = {},
): Finding {
  return {
    id,
    level,
    message,
    location: op ? { file: op.file, ...(op.line ? { line: op.line } : {}) } : { file: ctx.spec.file },
    ...(op ? { operation: op.key } : {}),
    data: { probe, ...data },
  };
}

export function outcome(id: ProbeId, findings: Finding[], requests: number, passDetail: string, data?: Record<string, unknown>): ProbeOutcome {
  const failing = findings.filter((f) => f.level === 'error');
  return {
    id,
    status: failing.length ? 'fail' : 'pass',
    detail: failing.length ? failing.map((f) => (f.operation ? `${f.operation}: ${f.message}` : f.message)).slice(0, 3).join('; ') + (failing.length > 3 ? `; and ${failing.length - 3} more` : '') : passDetail,
    requests,
    findings,
    ...(data ? { data } : {}),
  };
}
