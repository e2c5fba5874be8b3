/** `api-delivery design`: exit codes 0/1/2, help, formats, output file, bad input. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DESIGN_HELP } from '../../src/cli/design.js';
import { COMMANDS, main } from '../../src/cli/main.js';
import { RULE_IDS } from '../../src/design/rules.js';
import { BAD_SPEC, cleanup, FILLED_PRD, folder, ROOT } from './helpers.js';

afterAll(cleanup);

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['design', ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}

const TEMPLATE = path.join(ROOT, 'templates/API-spec-openapi.yaml');
const dir = folder({
  'openapi.yaml': BAD_SPEC,
  'PRD.md': FILLED_PRD,
  'notes.yaml': 'title: not a spec\n',
  'old.yaml': 'openapi: 2.5.0\npaths: {}\n',
  'broken.yaml': 'openapi: [\n',
  'dangling.yaml': "openapi: 3.0.3\ninfo: { title: t, version: '1' }\npaths:\n  /a:\n    get:\n      responses:\n        '200': { $ref: '#/components/responses/Nope' }\n",
});
const spec = path.join(dir, 'openapi.yaml');

describe('api-delivery design', () => {
  test('is registered, and --help lists every rule id and option', async () => {
    expect(COMMANDS.design?.help).toBe(DESIGN_HELP);
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const word of [...RULE_IDS, '--prd', '--rules', '--fail-on', '--format', '--output', 'x-public']) expect(r.out).toContain(word);
  });

  test('exit 0: the starter template passes', async () => {
    const r = await cli(TEMPLATE);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^design: PASS \(no findings\)/);
  });

  test('exit 1: error findings fail the gate; text names the operation and the line', async () => {
    const r = await cli(spec);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^design: FAIL \(6 errors, 12 warnings, 3 info\)/);
    expect(r.out).toMatch(/ERROR security-missing: GET \/userAccounts\/\{account_id\}: has no security requirement.* \(.*openapi\.yaml:12\)/);
  });

  test('--fail-on never passes (exit 0) with the same findings; --fail-on warning fails on warnings alone', async () => {
    const r = await cli(spec, '--fail-on', 'never', '--format', 'json');
    expect(r.code).toBe(0);
    const result = JSON.parse(r.out);
    expect(result).toMatchObject({ gate: 'design', verdict: 'pass', options: { parameterCase: 'camelCase' } });
    expect(result.findings).toHaveLength(21);
    const dir2 = folder({ 'openapi.yaml': readFileSync(TEMPLATE, 'utf8').replace('summary: List widgets', 'description: ""') });
    expect((await cli(path.join(dir2, 'openapi.yaml'))).code).toBe(0);
    expect((await cli(path.join(dir2, 'openapi.yaml'), '--fail-on', 'warning')).code).toBe(1);
  });

  test('--prd: the Definition of Ready in text and markdown; --output writes the report', async () => {
    const text = await cli(TEMPLATE, '--prd', path.join(dir, 'PRD.md'));
    expect(text.code).toBe(0);
    expect(text.out).toContain('Definition of Ready');
    const md = await cli(TEMPLATE, '--prd', path.join(ROOT, 'templates/PRD.md'), '--format', 'markdown');
    expect(md.code).toBe(1);
    expect(md.out).toMatch(/### Definition of Ready \(`.*PRD\.md`\): not ready/);
    expect(md.out).toMatch(/\| Consumers \| ❌ placeholders left \|/);
    const file = path.join(dir, 'report.sarif');
    const r = await cli(spec, '--format', 'sarif', '--output', file);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe('2.1.0');
  });

  test('a spec read from git (REV:path) is named as given', async () => {
    const cwd = process.cwd();
    process.chdir(ROOT);
    try {
      const r = await cli('HEAD:examples/petstore/openapi.v2.yaml', '--format', 'json');
      expect(r.code).toBe(0);
      expect(JSON.parse(r.out).spec).toBe('HEAD:examples/petstore/openapi.v2.yaml');
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('design: bad input exits 2 with a clear message', () => {
  test.each([
    ['a missing spec', [path.join(dir, 'nope.yaml')], /nope\.yaml: file not found/],
    ['a file that is not OpenAPI', [path.join(dir, 'notes.yaml')], /notes\.yaml: not an OpenAPI document/],
    ['an unsupported openapi version', [path.join(dir, 'old.yaml')], /field 'openapi' is "2\.5\.0": expected 3\.0\.x or 3\.1\.x/],
    ['unparseable YAML', [path.join(dir, 'broken.yaml')], /broken\.yaml.*not valid YAML or JSON/],
    ['a $ref to nothing', [path.join(dir, 'dangling.yaml')], /dangling\.yaml at \/paths\/~1a|dangling\.yaml at \/paths\/\/a|points at nothing/],
    ['a directory as spec', [dir], /is a directory/],
    ['a missing PRD', [spec, '--prd', path.join(dir, 'nope.md')], /prd: file '.*nope\.md' not found or not readable/],
    ['a directory as PRD', [spec, '--prd', dir], /prd: '.*' is a directory, expected a PRD markdown file/],
    ['an unknown --fail-on', [spec, '--fail-on', 'info'], /fail-on: 'info' is not one of error, warning, never/],
    ['an unknown --format', [spec, '--format', 'pdf'], /format: 'pdf' is not one of/],
    ['an --output in a missing folder', [spec, '--output', path.join(dir, 'no/such/report.txt')], /output: .* is in a folder that does not exist/],
    ['no spec', [], /design: expected one SPEC/],
    ['two specs', [spec, spec], /design: unexpected argument/],
    ['an unknown option', [spec, '--strict'], /Unknown option '--strict'/],
  ])('%s', async (_, argv, message) => {
    const r = await cli(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
