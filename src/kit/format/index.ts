/** Every output format over the one GateResult; pure functions, no I/O. */
import type { GateResult } from '../result.js';
import { formatAnnotations } from './annotations.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatMarkdown } from './markdown.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export type Format = 'text' | 'json' | 'markdown' | 'junit' | 'sarif' | 'github';

export const FORMATS: readonly Format[] = ['text', 'json', 'markdown', 'junit', 'sarif', 'github'];

export function isFormat(value: string): value is Format {
  return (FORMATS as readonly string[]).includes(value);
}

/**
 * Render a result with default options. Every non-empty output ends in one newline, so
 * write it with `process.stdout.write`. `github` is the annotation lines only (capped at 10
 * per type, worst first).
 */
export function render(result: GateResult, format: Format): string {
  switch (format) {
    case 'text':
      return formatText(result);
    case 'json':
      return formatJson(result);
    case 'markdown':
      return formatMarkdown(result);
    case 'junit':
      return formatJunit(result);
    case 'sarif':
      return formatSarif(result);
    case 'github': {
      const { lines } = formatAnnotations(result);
      return lines.length > 0 ? lines.join('\n') + '\n' : '';
    }
  }
}

export { formatAnnotations, type Annotations, type AnnotationType } from './annotations.js';
export { formatJson } from './json.js';
export { formatJunit } from './junit.js';
export { formatMarkdown, type MarkdownOptions, SUMMARY_MAX_BYTES } from './markdown.js';
export { formatSarif, type SarifOptions } from './sarif.js';
export { formatText } from './text.js';
