import { describe, expect, test } from '@jest/globals';
import { formatJson } from '../../src/kit/format/json.js';
import { mixed } from './sample.js';

describe('formatJson', () => {
  test('round-trips the result, 2-space indent and a trailing newline', () => {
    const withExtra = { ...mixed, semver: 'major', metrics: { checked: 3 } };
    const out = formatJson(withExtra);
    expect(JSON.parse(out)).toEqual(withExtra);
    expect(out.endsWith('}\n')).toBe(true);
    expect(out.split('\n')[1]).toBe('  "gate": "breaking",');
  });
});
