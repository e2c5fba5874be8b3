/**
 * Hostile-but-realistic inputs: every one ends in exit 2 with a message naming the file or option and
 * what was expected — never an internal error (exit 3), a hang, or a silent pass.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { runEngine } from '../../src/perf/engine/engine.js';
import { parseScenario } from '../../src/perf/engine/scenario.js';
import { cleanTempDirs, legacySummary, tempDir, writeJson } from './helpers.js';

afterAll(cleanTempDirs);
const dir = tempDir();
const summary = writeJson(dir, 's.json', legacySummary({ p95: 250 }));
const aDir = path.join(dir, 'a-directory');
mkdirSync(aDir);

async function cli(...argv: string[]): Promise<{ code: number; err: string }> {
  let err = '';
  const code = await main(['perf', ...argv], () => {}, (s) => (err += s));
  return { code, err };
}

function file(name: string, text: string): string {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
}

describe('perf: bad input gives exit 2 with a clear message', () => {
  test('a directory as the summary or the baseline', async () => {
    expect(await cli('judge', '--summary', aDir)).toEqual({ code: 2, err: `api-delivery perf: summary: '${aDir}' is a directory, expected a k6 summary file (JSON or NDJSON)\n` });
    const b = await cli('judge', '--summary', summary, '--baseline', aDir);
    expect(b.code).toBe(2);
    expect(b.err).toMatch(/baseline: '.*a-directory' is a directory/);
  });

  test('--output that is a directory or in a missing folder is refused before judging', async () => {
    const d = await cli('judge', '--summary', summary, '--threshold', 'http_reqs:count>0', '--output', aDir);
    expect(d).toEqual({ code: 2, err: `api-delivery perf: output: '${aDir}' is a directory, expected a file path to write to\n` });
    const missing = path.join(dir, 'no-such-folder', 'r.json');
    const m = await cli('judge', '--summary', summary, '--threshold', 'http_reqs:count>0', '--output', missing);
    expect(m.code).toBe(2);
    expect(m.err).toContain(`output: '${missing}' is in a folder that does not exist`);
  });

  test('a threshold limit that overflows to Infinity', async () => {
    const budget = file('inf.yaml', "thresholds:\n  http_req_duration: ['p(95)<1e400']\n");
    const r = await cli('judge', '--summary', summary, '--budget', budget);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`budget: '${budget}' line 2: http_req_duration: 'p(95)<1e400': '1e400' is too large to be a limit`);
  });

  test('an empty checklist is bad input, not a list of missing sections', async () => {
    const empty = file('empty.md', '\n  \n');
    expect(await cli('checklist', empty)).toEqual({ code: 2, err: `api-delivery perf: checklist: '${empty}' is empty: expected a filled-in Performance-checklist.md (templates/Performance-checklist.md)\n` });
  });

  test('run: --duration 0s, a --duration longer than the engine runs, too many --vus, an --out-dir that is a file', async () => {
    const sc = file('ok.yaml', 'duration: 1s\nvus: 1\nrequests:\n  - path: /\n');
    const base = ['run', '--engine', 'builtin', '--scenario', sc, '--base-url', 'http://127.0.0.1:9'];
    expect(await cli(...base, '--duration', '0s')).toEqual({ code: 2, err: "api-delivery perf: duration: '0s' must be more than 0\n" });
    expect((await cli(...base, '--duration', '99h')).err).toMatch(/duration: '99h' is longer than the built-in engine runs \(at most 30m/);
    expect((await cli(...base, '--vus', '5000')).err).toMatch(/vus: '5000' is more than the built-in engine runs \(at most 2000 VUs\)/);
    const notADir = file('not-a-dir', 'x');
    const r = await cli(...base, '--out-dir', notADir);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`out-dir: '${notADir}' cannot be used as a directory`);
  });
});

describe('perf: scenario files', () => {
  const bad = (text: string) => {
    try {
      parseScenario(text, 'sc.yaml');
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
    return 'accepted';
  };

  test('a YAML alias bomb is refused as bad input', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [n, p] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f']]) bomb.push(`${n}: &${n} [*${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}, *${p}]`);
    expect(bad(bomb.join('\n') + '\n')).toMatch(/^InputError: scenario: 'sc.yaml' could not be read: Excessive alias count/);
  });

  test('timeUnit 0 (which made the engine spin forever), and think time or timeout beyond 30m', () => {
    const rest = 'duration: 1s\nrate: 5\nrequests:\n  - path: /\n';
    expect(bad(`timeUnit: 0s\n${rest}`)).toBe("InputError: scenario: 'sc.yaml' timeUnit: '0s' must be more than 0 and at most 30m");
    expect(bad(`timeUnit: 9999h\n${rest}`)).toMatch(/timeUnit: '9999h' must be more than 0 and at most 30m/);
    expect(bad(`thinkTime: 99h\n${rest}`)).toBe("InputError: scenario: 'sc.yaml' thinkTime: '99h' must be 0 or more and at most 30m");
    expect(bad(`timeout: 99h\n${rest}`)).toMatch(/timeout: '99h' must be 0 or more and at most 30m/);
  });

  test('a request method or name that is not a string', () => {
    expect(bad('duration: 1s\nvus: 1\nrequests:\n  - {path: /, method: [GET]}\n')).toBe(
      "InputError: scenario: 'sc.yaml' requests[0].method: must be a string, one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS",
    );
    expect(bad('duration: 1s\nvus: 1\nrequests:\n  - {path: /, name: {a: 1}}\n')).toBe("InputError: scenario: 'sc.yaml' requests[0].name: must be a string (the name tag)");
  });
});

describe('perf: a target that accepts connections and never answers', () => {
  test('the run ends after the graceful stop instead of waiting for the request timeout', async () => {
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => void sockets.push(s.on('error', () => {})));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      // 10 minutes of request timeout and of think time: without the graceful stop this test times out.
      const sc = parseScenario('duration: 200ms\nvus: 2\ntimeout: 10m\nthinkTime: 10m\nrequests:\n  - path: /\n', 'sc.yaml');
      const s = await runEngine(sc, { baseUrl: `http://127.0.0.1:${port}`, gracefulStopMs: 100 });
      expect(s.metrics.get('http_reqs')!.values.count).toBe(2);
      expect(s.metrics.get('http_req_failed')!.values.rate).toBe(1);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });
});
