import { describe, expect, test } from '@jest/globals';
import { escapeCell, formatMarkdown } from '../../src/kit/format/markdown.js';
import { finding, mixed, result } from './sample.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

/** Cells in a GFM table row, split the way cmark-gfm does (a backslash escapes the next char). */
function cellCount(row: string): number {
  let pipes = 0;
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') i++;
    else if (row[i] === '|') pipes++;
  }
  return pipes - 1;
}

function findingRows(md: string): string[] {
  return md.split('\n').filter((l) => /^\| (❌ error|⚠️ warning|ℹ️ info) \|/.test(l));
}

describe('formatMarkdown', () => {
  test('heading carries the verdict emoji and the title', () => {
    expect(formatMarkdown(mixed).split('\n')[0]).toBe('## ❌ breaking: failed');
    expect(formatMarkdown(result([]), { title: 'Breaking changes <v2>' }).split('\n')[0]).toBe(
      '## ✅ Breaking changes &lt;v2>: passed',
    );
  });

  test('counts table by level', () => {
    expect(formatMarkdown(mixed)).toContain('| ❌ Errors | ⚠️ Warnings | ℹ️ Info |\n|---:|---:|---:|\n| 1 | 2 | 1 |\n');
  });

  test('a clean result says there are no findings', () => {
    expect(formatMarkdown(result([]))).toContain('No findings.');
  });

  test('findings are grouped by operation, one table each, worst group first', () => {
    const md = formatMarkdown(mixed);
    expect(md).toContain(
      '### `GET /pets/{id}`\n\n| Level | Rule | Message | Location |\n|---|---|---|---|\n' +
        '| ❌ error | `request-parameter-removed` | deleted the `query` request parameter `limit` | specs/v1.yaml:12:9 |\n' +
        '| ⚠️ warning | `response-optional-property-removed` | removed the optional property `nickname` from the response | specs/v2.yaml:40 |\n',
    );
    expect(md).toContain('### General\n');
    const order = ['### `GET /pets/{id}`', '### General', '### `POST /pets`'].map((h) => md.indexOf(h));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });

  test('escapes |, newlines, < and & in cells so the table stays intact', () => {
    const md = formatMarkdown(
      result([
        finding('error', 'weird|id', {
          operation: 'GET /a',
          message: 'a | b\nc <script>alert(1)</script> & \\| end',
          location: { file: 'dir|x/spec.yaml', line: 3 },
        }),
      ]),
    );
    const rows = findingRows(md);
    expect(rows).toHaveLength(1);
    expect(cellCount(rows[0])).toBe(4);
    expect(rows[0]).not.toContain('<script>');
    expect(rows[0]).toContain('a \\| b<br>c &lt;script>alert(1)&lt;/script> &amp; \\\\\\| end');
    expect(rows[0]).toContain('dir\\|x/spec.yaml:3');
  });

  test('code spans in messages stay code: no entities inside them, pipes still escaped', () => {
    expect(escapeCell('type `array<string>` & `a|b`, not <b>')).toBe('type `array<string>` &amp; `a\\|b`, not &lt;b>');
    expect(escapeCell('unmatched ` tick <x>')).toBe('unmatched ` tick &lt;x>');
  });

  test('says how many findings were annotated when some were not', () => {
    const md = formatMarkdown(mixed, { annotated: { shown: 30, total: 42 } });
    expect(md).toMatch(/30 of 42 findings were shown as annotations.*the rest are listed here/);
    expect(formatMarkdown(mixed, { annotated: { shown: 4, total: 4 } })).not.toContain('annotations');
  });

  test('truncates the finding list to fit maxBytes, worst first, and says how many were omitted', () => {
    const findings = Array.from({ length: 200 }, (_, i) =>
      finding(i < 50 ? 'error' : 'info', `rule-${String(i).padStart(3, '0')}`, {
        operation: `GET /things/${i % 7}`,
        message: `message ${i} — ünïcödé 🐾 `.repeat(5),
      }),
    );
    const md = formatMarkdown(result(findings), { maxBytes: 8000 });
    expect(bytes(md)).toBeLessThanOrEqual(8000);
    const shown = findingRows(md).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(200);
    expect(md).toContain(`${200 - shown} of 200 findings omitted`);
    expect(md).toContain('the full list is in the JSON result file');
    // The worst are kept: no info row is shown while an error is left out.
    const errorRows = findingRows(md).filter((r) => r.startsWith('| ❌ error')).length;
    expect(errorRows).toBe(Math.min(shown, 50));
  });

  test('the default limit keeps a huge result under the 1 MiB runner limit', () => {
    const findings = Array.from({ length: 3000 }, (_, i) =>
      finding('warning', `rule-${i}`, { operation: `GET /x/${i % 40}`, message: 'x'.repeat(1000) }),
    );
    const md = formatMarkdown(result(findings));
    expect(bytes(md)).toBeLessThanOrEqual(1_000_000);
    expect(md).toMatch(/\d+ of 3000 findings omitted/);
  });

  test('nothing is omitted when it fits', () => {
    expect(formatMarkdown(mixed)).not.toContain('omitted');
  });

  test('a tiny budget still yields valid UTF-8 within the budget', () => {
    const md = formatMarkdown(mixed, { maxBytes: 20 });
    expect(bytes(md)).toBeLessThanOrEqual(20);
    expect(md).not.toContain('\uFFFD');
  });
});
