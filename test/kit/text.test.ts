import { describe, expect, test } from '@jest/globals';
import { formatText } from '../../src/kit/format/text.js';
import { finding, mixed, result } from './sample.js';

describe('formatText', () => {
  test('headline names gate, verdict and counts by level', () => {
    const first = formatText(mixed).split('\n')[0];
    expect(first).toBe('breaking: FAIL (1 error, 2 warnings, 1 info)');
  });

  test('a clean result says so', () => {
    expect(formatText(result([]))).toBe('breaking: PASS (no findings)\n');
  });

  test('findings are grouped by operation, worst group first, general findings under their own heading', () => {
    const out = formatText(mixed);
    expect(out).toContain(
      [
        'GET /pets/{id}',
        '  ERROR request-parameter-removed: deleted the `query` request parameter `limit` (specs/v1.yaml:12:9)',
        '  WARNING response-optional-property-removed: removed the optional property `nickname` from the response (specs/v2.yaml:40)',
      ].join('\n'),
    );
    expect(out).toContain('General\n  WARNING api-security-removed: removed the global security scheme (specs/v1.yaml)\n');
    expect(out).toContain('POST /pets\n  INFO endpoint-added: endpoint added\n');
    expect(out.indexOf('GET /pets/{id}')).toBeLessThan(out.indexOf('General'));
    expect(out.indexOf('General')).toBeLessThan(out.indexOf('POST /pets'));
  });

  test('no ANSI escapes, even when a message carries some; continuation lines are indented', () => {
    const out = formatText(result([finding('error', 'x', { message: '\u001b[31mred\u001b[0m\nsecond line' })]));
    expect(out).not.toContain('\u001b');
    expect(out).toContain('  ERROR x: [31mred[0m\n    second line\n');
  });

  test('metrics are listed', () => {
    expect(formatText(result([], { gate: 'perf', metrics: { p95_ms: 180 } }))).toContain('Metrics\n  p95_ms: 180\n');
  });
});
