import { describe, expect, test } from '@jest/globals';
import { FORMATS, isFormat, render } from '../../src/kit/format/index.js';
import { formatAnnotations } from '../../src/kit/format/annotations.js';
import { finding, mixed, result } from './sample.js';

describe('render', () => {
  test('knows every format and each output ends in one newline', () => {
    expect([...FORMATS]).toEqual(['text', 'json', 'markdown', 'junit', 'sarif', 'github']);
    for (const format of FORMATS) {
      const out = render(mixed, format);
      expect(out.endsWith('\n')).toBe(true);
      expect(out.endsWith('\n\n')).toBe(false);
    }
  });

  test('github is just the annotation lines', () => {
    expect(render(mixed, 'github')).toBe(formatAnnotations(mixed).lines.join('\n') + '\n');
    expect(render(result([]), 'github')).toBe('');
    const many = result(Array.from({ length: 15 }, (_, i) => finding('error', `e${i}`)));
    expect(render(many, 'github').trimEnd().split('\n')).toHaveLength(10);
  });

  test('isFormat checks user input', () => {
    expect(isFormat('sarif')).toBe(true);
    expect(isFormat('xml')).toBe(false);
  });
});
