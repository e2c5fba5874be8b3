/**
 * JUnit XML: one testsuite for the gate, one testcase per operation (findings without an
 * operation go in a testcase named after the gate). Error findings are `<failure>`s;
 * warnings and info go in the testcase's `<system-out>`.
 */
import type { Finding, GateResult } from '../result.js';
import { formatLocation, groupByOperation } from './common.js';

/** Characters XML 1.0 does not allow at all (lone surrogates included). */
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

export function escapeXml(s: string): string {
  return s
    .replace(ILLEGAL_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Attribute values also keep tabs and line breaks, which parsers would fold into spaces. */
export function escapeAttr(s: string): string {
  return escapeXml(s).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function describe(f: Finding): string {
  const loc = formatLocation(f.location);
  return `${f.level.toUpperCase()} ${f.id}: ${f.message}${loc ? ` (${loc})` : ''}`;
}

function testcase(gate: string, name: string, findings: Finding[]): string {
  const open = `    <testcase name="${escapeAttr(name)}" classname="${escapeAttr(gate)}"`;
  const failures = findings.filter((f) => f.level === 'error');
  const others = findings.filter((f) => f.level !== 'error');
  if (findings.length === 0) return `${open}/>`;
  const body = failures.map((f) => {
    const loc = formatLocation(f.location);
    const text = `${f.message}${loc ? `\nat ${loc}` : ''}`;
    return `      <failure message="${escapeAttr(f.message)}" type="${escapeAttr(f.id)}">${escapeXml(text)}</failure>`;
  });
  if (others.length > 0) body.push(`      <system-out>${escapeXml(others.map(describe).join('\n'))}</system-out>`);
  return `${open}>\n${body.join('\n')}\n    </testcase>`;
}

export function formatJunit(result: GateResult): string {
  const groups = groupByOperation(result.findings);
  const cases = groups.length === 0
    ? [testcase(result.gate, result.gate, [])]
    : groups.map((g) => testcase(result.gate, g.operation ?? result.gate, g.findings));
  const tests = cases.length;
  const failed = groups.filter((g) => g.findings.some((f) => f.level === 'error')).length;
  const counts = `tests="${tests}" failures="${failed}" errors="0" skipped="0"`;
  const gate = escapeAttr(result.gate);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${gate}" ${counts}>`,
    `  <testsuite name="${gate}" ${counts}>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
