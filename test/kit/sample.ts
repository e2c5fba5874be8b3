import type { Finding, GateResult, Level } from '../../src/kit/result.js';

export function finding(level: Level, id: string, extra: Partial<Finding> = {}): Finding {
  return { id, level, message: `${id} message`, ...extra };
}

export function result(findings: Finding[], extra: Partial<GateResult> = {}): GateResult {
  const verdict = findings.some((f) => f.level === 'error') ? 'fail' : 'pass';
  return { gate: 'breaking', verdict, findings, ...extra };
}

/** A typical breaking-gate result: two operations, one general finding. */
export const mixed: GateResult = result([
  finding('info', 'endpoint-added', { operation: 'POST /pets', message: 'endpoint added' }),
  finding('warning', 'response-optional-property-removed', {
    operation: 'GET /pets/{id}',
    message: 'removed the optional property `nickname` from the response',
    location: { file: 'specs/v2.yaml', line: 40 },
  }),
  finding('error', 'request-parameter-removed', {
    operation: 'GET /pets/{id}',
    message: 'deleted the `query` request parameter `limit`',
    location: { file: 'specs/v1.yaml', line: 12, column: 9 },
  }),
  finding('warning', 'api-security-removed', { message: 'removed the global security scheme', location: { file: 'specs/v1.yaml' } }),
]);
