/** `api-delivery perf …` through the CLI's registry: output, formats, and exit codes 0/1/2. */
import { afterAll, describe, expect, test } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { perfCommand } from '../../src/cli/perf.js';
import { COMMANDS } from '../../src/cli/main.js';
import { cleanTempDirs, legacySummary, ROOT, tempDir, writeJson } from './helpers.js';

afterAll(cleanTempDirs);
const dir = tempDir();
const summary = writeJson(dir, 's.json', legacySummary({ p95: 250 }));

async function cli(...argv: string[]): Promise<{ code: number | string; out: string }> {
  let out = '';
  try {
    const code = await perfCommand(argv, (s) => (out += s), () => {});
    return { code, out };
  } catch (e) {
    return { code: (e as Error).name === 'InputError' || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') ? 2 : 'crash', out: (e as Error).message };
  }
}

describe('api-delivery perf', () => {
  test('is registered', () => {
    expect(COMMANDS.perf!.help).toMatch(/^api-delivery perf <judge\|run\|checklist>/);
  });

  test('judge: pass → 0, fail → 1, bad input → 2', async () => {
    expect((await cli('judge', '--summary', summary, '--threshold', 'http_req_duration:p(95)<300')).code).toBe(0);
    const fail = await cli('judge', '--summary', summary, '--threshold', 'http_req_duration{name:GET /pets}:p(95)<200');
    expect(fail.code).toBe(1);
    expect(fail.out).toMatch(/perf-threshold-failed: http_req_duration\{name:GET \/pets\} p\(95\) = 250\.0, budget p\(95\) < 200/);
    expect((await cli('judge', '--summary', summary, '--threshold', 'p95<300')).code).toBe(2);
    expect((await cli('judge', '--summary', path.join(dir, 'missing.json'), '--threshold', 'http_reqs:count>0')).code).toBe(2);
    expect((await cli('judge', '--summary', summary, '--bogus')).code).toBe(2);
    expect((await cli('frobnicate')).code).toBe(2);
  });

  test('judge --format json writes a GateResult usable as the next --baseline', async () => {
    const out = path.join(dir, 'result.json');
    expect((await cli('judge', summary, '--threshold', 'http_req_duration:p(95)<300', '--format', 'json', '--output', out)).code).toBe(0);
    const again = await cli('judge', '--summary', writeJson(dir, 's2.json', legacySummary({ p95: 300 })), '--threshold', 'http_req_duration:p(95)<400', '--baseline', out, '--max-regression', '10%');
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/perf-regression: http_req_duration p\(95\) grew from 250\.0 to 300\.0 \(\+20\.0%\)/);
  });

  test('--max-regression without --baseline is a usage error', async () => {
    expect(await cli('judge', '--summary', summary, '--threshold', 'http_reqs:count>0', '--max-regression', '10%')).toEqual({ code: 2, out: 'max-regression: needs a baseline to compare with' });
  });

  test('checklist', async () => {
    expect((await cli('checklist', path.join(ROOT, 'examples/perf/Performance-checklist.md'))).code).toBe(0);
    expect((await cli('checklist', path.join(ROOT, 'templates/Performance-checklist.md'))).code).toBe(1);
  });

  test('the real entry point sets the exit code when the async command finishes', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/index.ts'), 'perf', 'judge', '--summary', summary, '--threshold', 'http_req_duration:p(95)<100'], { encoding: 'utf8', cwd: ROOT });
    expect(r.status).toBe(1);
    const bad = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli/index.ts'), 'perf', 'judge', '--summary', summary, '--threshold', 'nope'], { encoding: 'utf8', cwd: ROOT });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^api-delivery perf: threshold: 'nope' is not METRIC:EXPRESSION/);
  });
});
