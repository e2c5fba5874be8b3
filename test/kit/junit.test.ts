import { describe, expect, test } from '@jest/globals';
import { escapeXml, formatJunit } from '../../src/kit/format/junit.js';
import { finding, mixed, result } from './sample.js';

interface Element {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: Element[];
}

const decode = (s: string) =>
  s.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, e: string) =>
    e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e]!,
  );

/**
 * A strict little parser for the XML we write: declaration, elements, attributes in double
 * quotes, text. Throws on anything malformed (unbalanced tags, raw `<` or `&` in text or attributes).
 */
function parseXml(xml: string): Element {
  const decl = '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (!xml.startsWith(decl)) throw new Error('missing XML declaration');
  const token = /<(\/?)([A-Za-z][\w-]*)((?:\s+[\w-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos|#\d+);[^"<&]*)*")*)\s*(\/?)>|([^<&]+|&(?:amp|lt|gt|quot|apos|#\d+);)/y;
  const root: Element = { name: '#root', attrs: {}, text: '', children: [] };
  const stack = [root];
  let pos = decl.length;
  while (pos < xml.length) {
    token.lastIndex = pos;
    const m = token.exec(xml);
    if (!m) throw new Error(`malformed XML at ${pos}: ${JSON.stringify(xml.slice(pos, pos + 40))}`);
    pos = token.lastIndex;
    const top = stack[stack.length - 1];
    if (m[5] !== undefined) {
      top.text += decode(m[5]);
    } else if (m[1]) {
      if (top.name !== m[2]) throw new Error(`</${m[2]}> closes <${top.name}>`);
      stack.pop();
    } else {
      const attrs: Record<string, string> = {};
      for (const a of m[3].matchAll(/([\w-]+)="([^"]*)"/g)) attrs[a[1]] = decode(a[2]);
      const el: Element = { name: m[2], attrs, text: '', children: [] };
      top.children.push(el);
      if (!m[4]) stack.push(el);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].name}>`);
  const elements = root.children;
  if (elements.length !== 1) throw new Error('expected one root element');
  return elements[0];
}

describe('formatJunit', () => {
  test('one suite for the gate, one testcase per operation, errors as failures', () => {
    const doc = parseXml(formatJunit(mixed));
    expect(doc.name).toBe('testsuites');
    const [suite] = doc.children;
    expect(suite.name).toBe('testsuite');
    expect(suite.attrs).toMatchObject({ name: 'breaking', tests: '3', failures: '1', errors: '0' });
    const cases = suite.children;
    expect(cases.map((c) => c.attrs.name)).toEqual(['GET /pets/{id}', 'breaking', 'POST /pets']);

    const [op, general, post] = cases;
    const failures = op.children.filter((c) => c.name === 'failure');
    expect(failures).toHaveLength(1);
    expect(failures[0].attrs).toEqual({
      message: 'deleted the `query` request parameter `limit`',
      type: 'request-parameter-removed',
    });
    expect(failures[0].text).toContain('at specs/v1.yaml:12:9');
    const out = op.children.find((c) => c.name === 'system-out');
    expect(out?.text).toContain('WARNING response-optional-property-removed: removed the optional property');

    expect(general.children.map((c) => c.name)).toEqual(['system-out']);
    expect(post.children.map((c) => c.name)).toEqual(['system-out']);
  });

  test('a result without findings is one passing testcase', () => {
    const doc = parseXml(formatJunit(result([])));
    const cases = doc.children[0].children;
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ name: 'testcase', attrs: { name: 'breaking' }, children: [] });
    expect(doc.attrs).toMatchObject({ tests: '1', failures: '0' });
  });

  test('escapes markup and strips characters XML 1.0 forbids', () => {
    const nasty = `a & b < c > d "e" 'f' \u0000\u0007\u001b\uFFFE\uD800 ok 🐾\nnext\tline`;
    const xml = formatJunit(
      result([finding('error', 'x<y>', { operation: 'GET /a?b="c"&d', message: nasty, location: { file: 'a&b.yaml' } })]),
    );
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\uFFFE]/);
    expect(xml).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    const tc = parseXml(xml).children[0].children[0];
    expect(tc.attrs.name).toBe('GET /a?b="c"&d');
    const failure = tc.children[0];
    const clean = `a & b < c > d "e" 'f'  ok 🐾\nnext\tline`;
    expect(failure.attrs.message).toBe(clean);
    expect(failure.attrs.type).toBe('x<y>');
    expect(failure.text).toBe(`${clean}\nat a&b.yaml`);
  });

  test('escapeXml covers the five predefined entities', () => {
    expect(escapeXml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&apos;');
  });
});
