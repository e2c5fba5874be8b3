import { describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { contractCommand } from '../../src/cli/contract.js';
import { InputError } from '../../src/kit/errors.js';
import { EXAMPLE_PACT, ROOT, SPEC_V1, SPEC_V2 } from './helpers.js';

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const cwd = process.cwd();
  process.chdir(ROOT);
  try {
    const code = await contractCommand(argv, (s) => (out += s), {});
    return { code, out };
  } finally {
    process.chdir(cwd);
  }
}

describe('api-delivery contract compare', () => {
  test('exit 0 on v2, 1 on v1; the JSON report is a GateResult with the interactions', async () => {
    expect((await run(['compare', '--pact', EXAMPLE_PACT, '--openapi', SPEC_V2])).code).toBe(0);
    const bad = await run(['compare', EXAMPLE_PACT, '--openapi', SPEC_V1, '--format', 'json']);
    expect(bad.code).toBe(1);
    const result = JSON.parse(bad.out);
    expect(result).toMatchObject({ gate: 'contract', mode: 'compare', verdict: 'fail' });
    expect(result.interactions).toHaveLength(4);
    expect(result.findings[0]).toMatchObject({ id: 'response.body.incompatible', location: { file: EXAMPLE_PACT, line: expect.any(Number) } });
  });

  test('markdown adds the interaction table; github gives annotations', async () => {
    const md = await run(['compare', '--pact', EXAMPLE_PACT, '--openapi', SPEC_V1, '--format', 'markdown']);
    expect(md.out).toMatch(/^## ❌ Contract tests: failed/);
    expect(md.out).toContain('| Consumer | Description | State | Result |');
    const gh = await run(['compare', '--pact', EXAMPLE_PACT, '--openapi', SPEC_V1, '--format', 'github']);
    expect(gh.out.split('\n').filter((l) => l.startsWith('::error file=examples/petstore/consumer/pacts/'))).toHaveLength(3);
  });

  test('usage errors are InputErrors (exit 2 in main)', async () => {
    await expect(run(['compare', '--openapi', SPEC_V2])).rejects.toThrow(/expected --pact FILE/);
    await expect(run(['deploy'])).rejects.toThrow(InputError);
    await expect(run(['verify', 'stray'])).rejects.toThrow(/unexpected argument 'stray'/);
    expect((await run(['--help'])).out).toMatch(/^api-delivery contract <subcommand>/);
  });
});

describe('the CLI entry point (as a user runs it)', () => {
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
  const cli = (args: string[]) => spawnSync(tsx, ['src/cli/index.ts', 'contract', ...args], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: process.env.HOME } });
  test('exit codes 0, 1 and 2 reach the shell', () => {
    expect(cli(['compare', '--pact', EXAMPLE_PACT, '--openapi', SPEC_V2]).status).toBe(0);
    expect(cli(['compare', '--pact', EXAMPLE_PACT, '--openapi', SPEC_V1]).status).toBe(1);
    const bad = cli(['compare', '--pact', 'package.json', '--openapi', SPEC_V2]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("api-delivery contract: package.json: field 'consumer.name' is missing: a pact names its consumer\n");
  });
});
