import { describe, expect, test } from '@jest/globals';
import { escapeData, escapeProperty, formatAnnotations } from '../../src/kit/format/annotations.js';
import type { Finding } from '../../src/kit/result.js';
import { finding, mixed, result } from './sample.js';

/** Parse a workflow command the way the runner does: props split on `,` then the first `=`. */
function parseCommand(line: string) {
  const m = /^::(\w+)(?: ([^:]*))?::(.*)$/s.exec(line);
  if (!m) throw new Error(`not a command: ${line}`);
  const unescape = (s: string) =>
    s.replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
  const props: Record<string, string> = {};
  for (const pair of (m[2] ?? '').split(',')) {
    const eq = pair.indexOf('=');
    props[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
  }
  return { command: m[1], props, message: unescape(m[3]) };
}

describe('escaping', () => {
  test('data escapes %, CR and LF (percent first)', () => {
    expect(escapeData('100% done\r\nnext %0A')).toBe('100%25 done%0D%0Anext %250A');
  });

  test('properties also escape : and ,', () => {
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });

  test('a hostile file name, title and message survive the round trip through the runner parser', () => {
    const f: Finding = finding('error', 'rule,with:colon', {
      operation: 'GET /a,b:c',
      message: 'line one\nline two: 50% done, really\r\n%0A stays literal',
      location: { file: 'specs/we,ird:name%.yaml', line: 7, column: 3 },
    });
    const { lines } = formatAnnotations(result([f]));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\r\n]/);
    const parsed = parseCommand(lines[0]);
    expect(parsed.command).toBe('error');
    expect(parsed.props).toEqual({
      file: 'specs/we,ird:name%.yaml',
      line: '7',
      col: '3',
      title: 'rule,with:colon (GET /a,b:c)',
    });
    expect(parsed.message).toBe(f.message);
  });
});

describe('formatAnnotations', () => {
  test('maps levels to error/warning/notice and titles to `id (operation)`', () => {
    const { lines } = formatAnnotations(mixed);
    expect(lines).toEqual([
      '::error file=specs/v1.yaml,line=12,col=9,title=request-parameter-removed (GET /pets/{id})::deleted the `query` request parameter `limit`',
      '::warning file=specs/v1.yaml,title=api-security-removed::removed the global security scheme',
      '::warning file=specs/v2.yaml,line=40,title=response-optional-property-removed (GET /pets/{id})::removed the optional property `nickname` from the response',
      '::notice title=endpoint-added (POST /pets)::endpoint added',
    ]);
  });

  test('a URL location (a live spec, a broker pact) is named in the message, not given as a file the runner cannot place', () => {
    const { lines } = formatAnnotations(
      result([
        finding('error', 'removed', { location: { file: 'https://api.example.com/openapi.yaml', line: 116 } }),
        finding('warning', 'pact', { location: { file: 'http://127.0.0.1:9292/pacts/provider/p/consumer/c/latest' } }),
      ]),
    );
    const parsed = lines.map(parseCommand);
    expect(parsed.map((p) => p.props.file)).toEqual([undefined, undefined]);
    expect(parsed.map((p) => p.props.line)).toEqual([undefined, undefined]);
    expect(parsed[0]!.message).toBe('removed message (at line 116 of https://api.example.com/openapi.yaml)');
    expect(parsed[1]!.message).toBe('pact message (at http://127.0.0.1:9292/pacts/provider/p/consumer/c/latest)');
  });

  test('omits line and col that are not real positions, and col without line', () => {
    const { lines } = formatAnnotations(
      result([
        finding('error', 'a', { location: { file: 'x.yaml', line: 0, column: 4 } }),
        finding('error', 'b', { location: { file: 'x.yaml', column: 4 } }),
      ]),
    );
    expect(lines.every((l) => !/line=|col=/.test(l))).toBe(true);
  });

  test('keeps at most 10 per type, worst first, and counts the rest', () => {
    const findings = [
      ...Array.from({ length: 25 }, (_, i) => finding('info', `info-${String(i).padStart(2, '0')}`)),
      ...Array.from({ length: 14 }, (_, i) => finding('error', `err-${String(i).padStart(2, '0')}`)),
      ...Array.from({ length: 3 }, (_, i) => finding('warning', `warn-${i}`)),
    ];
    const a = formatAnnotations(result(findings));
    expect(a.total).toBe(42);
    expect(a.shown).toBe(23);
    expect(a.lines).toHaveLength(23);
    expect(a.omitted).toEqual({ error: 4, warning: 0, notice: 15 });
    const types = a.lines.map((l) => parseCommand(l).command);
    expect(types).toEqual([...Array(10).fill('error'), ...Array(3).fill('warning'), ...Array(10).fill('notice')]);
    // Stable order within a type: the first ten errors by id.
    expect(parseCommand(a.lines[0]).props.title).toBe('err-00');
    expect(parseCommand(a.lines[9]).props.title).toBe('err-09');
  });

  test('perType can be lowered', () => {
    const a = formatAnnotations(mixed, { perType: 1 });
    expect(a.lines.map((l) => parseCommand(l).command)).toEqual(['error', 'warning', 'notice']);
    expect(a.omitted).toEqual({ error: 0, warning: 1, notice: 0 });
  });

  test('no findings, no lines', () => {
    expect(formatAnnotations(result([]))).toEqual({
      lines: [],
      shown: 0,
      total: 0,
      omitted: { error: 0, warning: 0, notice: 0 },
    });
  });
});
