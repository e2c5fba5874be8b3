/** The rules file: levels overridden or turned off, options, and every mistake an input error naming the file and field. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import { parseRulesFile } from '../../src/design/config.js';
import { DESIGN_RULES, RULE_IDS } from '../../src/design/rules.js';
import { runDesign } from '../../src/design/run.js';
import { InputError } from '../../src/kit/errors.js';
import { BAD_SPEC, cleanup, folder } from './helpers.js';

afterAll(cleanup);

const dir = folder({
  'openapi.yaml': BAD_SPEC,
  'tuned.yaml': 'rules:\n  security-missing: warning\n  component-unused: off\n  operation-id-missing: error\n  schema-name-not-pascal-case: false\n',
  'unknown.yaml': 'rules:\n  security-missing: warning\n  no-such-rule: error\n',
  'broken.yaml': 'rules:\n  security-missing: [warning\n',
  'badlevel.yaml': 'rules:\n  security-missing: fatal\n',
  'badoption.yaml': 'options:\n  parameter-case: SCREAMING_CASE\n',
  'unknownoption.yaml': 'options:\n  path-case: kebab-case\n',
  'toplevel.yaml': 'security-missing: off\n',
  'empty.yaml': '',
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['design', ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

describe('a rules file tunes the lint', () => {
  test('levels are overridden, off drops a rule (false too), and the result records the levels applied', () => {
    const base = runDesign({ spec: 'openapi.yaml', cwd: dir, failOn: 'never' });
    const tuned = runDesign({ spec: 'openapi.yaml', cwd: dir, rules: 'tuned.yaml', failOn: 'never' });
    expect(base.findings.find((f) => f.id === 'security-missing')?.level).toBe('error');
    expect(tuned.findings.find((f) => f.id === 'security-missing')?.level).toBe('warning');
    expect(tuned.findings.find((f) => f.id === 'operation-id-missing')?.level).toBe('error');
    expect(tuned.findings.filter((f) => f.id === 'component-unused' || f.id === 'schema-name-not-pascal-case')).toEqual([]);
    expect(tuned.rules).toMatchObject({ 'security-missing': 'warning', 'component-unused': 'off', 'schema-name-not-pascal-case': 'off', 'operation-id-missing': 'error' });
    expect(tuned.rulesFile).toBe('tuned.yaml');
    expect(base.findings.length - tuned.findings.length).toBe(4); // 3 unused components, 1 schema name
  });

  test('an empty file keeps every default', () => {
    const c = parseRulesFile('', 'empty.yaml');
    expect(c.levels).toEqual(Object.fromEntries(RULE_IDS.map((id) => [id, DESIGN_RULES[id].level])));
    expect(c.options).toEqual({ parameterCase: 'camelCase', errorMediaTypes: ['application/problem+json'] });
  });

  test('error-media-types: a single string, lower-cased, parameters dropped', () => {
    expect(parseRulesFile('options:\n  error-media-types: Application/Problem+XML; charset=utf-8\n', 'r.yaml').options.errorMediaTypes).toEqual(['application/problem+xml']);
  });

  test('the CLI honours it: a tuned level changes the verdict', async () => {
    const strict = await cli('openapi.yaml', '--rules', 'x');
    expect(strict.code).toBe(2);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await cli('openapi.yaml', '--rules', 'tuned.yaml', '--format', 'json');
      expect(r.code).toBe(1); // still errors: scheme undefined, duplicate operationId…
      expect(JSON.parse(r.out).rules['component-unused']).toBe('off');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('a bad rules file is an input error (exit 2) naming the file and the field', () => {
  test.each([
    ['an unknown rule id', 'unknown.yaml', /^api-delivery design: unknown\.yaml: rules\.no-such-rule: unknown rule id 'no-such-rule' \(known: security-missing, /],
    ['malformed YAML', 'broken.yaml', /^api-delivery design: broken\.yaml: not valid YAML: /],
    ['a level that is not one', 'badlevel.yaml', /^api-delivery design: badlevel\.yaml: rules\.security-missing: "fatal" is not one of error, warning, info, off/],
    ['a parameter case not offered', 'badoption.yaml', /badoption\.yaml: options\.parameter-case: "SCREAMING_CASE" is not one of camelCase, snake_case, kebab-case/],
    ['an unknown option', 'unknownoption.yaml', /unknownoption\.yaml: options\.path-case: unknown option 'path-case'/],
    ['rule ids at the top level', 'toplevel.yaml', /toplevel\.yaml: security-missing: unknown key: expected 'rules'/],
    ['a missing file', 'nope.yaml', /^api-delivery design: rules: file 'nope\.yaml' not found or not readable/],
    ['a directory', '.', /rules: '\.' is a directory, expected a YAML rules file/],
  ])('%s', async (_, file, message) => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await cli('openapi.yaml', '--rules', file);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /);
    } finally {
      process.chdir(cwd);
    }
  });

  test('the InputError carries file and field', () => {
    try {
      runDesign({ spec: 'openapi.yaml', cwd: dir, rules: 'unknown.yaml' });
      throw new Error('expected an InputError');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect(e).toMatchObject({ file: 'unknown.yaml', field: 'rules.no-such-rule' });
    }
  });

  test('the rules file is checked before the spec is loaded', () => {
    expect(() => runDesign({ spec: 'missing.yaml', cwd: dir, rules: 'unknown.yaml' })).toThrow(/unknown rule id/);
  });
});
