/**
 * Installing k6 against a release mirror on 127.0.0.1 (nothing can be downloaded from GitHub here):
 * the archive and checksums file in k6's layout, a redirect like GitHub's, a fake k6 binary inside.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { assetName, checksumFor, installK6, normalizeVersion } from '../../src/perf/k6/install.js';
import { k6Args } from '../../src/perf/k6/run.js';
import { runPerf } from '../../src/perf/run.js';
import { cleanTempDirs, deadPort, fakeK6Script, legacySummary, releaseServer, tempDir } from './helpers.js';

afterAll(cleanTempDirs);
const linux = process.platform === 'linux' ? describe : describe.skip;
const EMPTY_PATH = '/nonexistent';

linux('installK6 from a release mirror', () => {
  test('right checksum: downloads (following the redirect), verifies, caches in the tool-cache layout; the second time uses the cache', async () => {
    const srv = await releaseServer('2.2.0', fakeK6Script('2.2.0', legacySummary()));
    const cache = tempDir();
    const logs: string[] = [];
    try {
      const k6 = await installK6({ version: '2.2.0', toolCacheDir: cache, tempDir: tempDir(), downloadBase: srv.base, pathEnv: EMPTY_PATH, log: (l) => logs.push(l) });
      const arch = process.arch;
      expect(k6).toEqual({ path: path.join(cache, 'k6', '2.2.0', arch, 'k6'), version: '2.2.0', source: 'download' });
      expect(existsSync(path.join(cache, 'k6', '2.2.0', `${arch}.complete`))).toBe(true);
      expect(logs.join('\n')).toMatch(/sha256 [0-9a-f]{64} matches the release's checksums file/);
      expect(srv.requests).toEqual(['/v2.2.0/k6-v2.2.0-checksums.txt', `/v2.2.0/${assetName('2.2.0', 'linux', arch)}`, `/objects/${assetName('2.2.0', 'linux', arch)}`]);
      const again = await installK6({ version: 'v2.2.0', toolCacheDir: cache, tempDir: tempDir(), downloadBase: srv.base, pathEnv: EMPTY_PATH });
      expect(again.source).toBe('cache');
      expect(srv.requests).toHaveLength(3); // nothing downloaded the second time
    } finally {
      await srv.close();
    }
  });

  test('wrong checksum: a clear error and nothing installed', async () => {
    const srv = await releaseServer('2.2.0', fakeK6Script('2.2.0', legacySummary()), { corrupt: true });
    const cache = tempDir();
    try {
      await expect(installK6({ version: '2.2.0', toolCacheDir: cache, tempDir: tempDir(), downloadBase: srv.base, pathEnv: EMPTY_PATH })).rejects.toThrow(
        /^k6: checksum mismatch for k6-v2\.2\.0-linux-(amd64|arm64)\.tar\.gz: expected sha256 [0-9a-f]{64} .*got [0-9a-f]{64}\. The download is corrupt or was tampered with; nothing was installed$/,
      );
      expect(existsSync(path.join(cache, 'k6'))).toBe(false);
    } finally {
      await srv.close();
    }
  });

  test('unreachable mirror: a clear error that says what to do', async () => {
    const port = await deadPort();
    await expect(installK6({ version: '2.2.0', toolCacheDir: tempDir(), tempDir: tempDir(), downloadBase: `http://127.0.0.1:${port}`, pathEnv: EMPTY_PATH })).rejects.toThrow(
      /^k6: could not download http:\/\/127\.0\.0\.1:\d+\/v2\.2\.0\/k6-v2\.2\.0-checksums\.txt: ECONNREFUSED\. No k6 can be installed here; put k6 on PATH, or use engine: builtin$/,
    );
  });

  test('a version the mirror does not have: HTTP 404 named', async () => {
    const srv = await releaseServer('2.2.0', fakeK6Script('2.2.0', legacySummary()));
    try {
      await expect(installK6({ version: '2.1.9', toolCacheDir: tempDir(), tempDir: tempDir(), downloadBase: srv.base, pathEnv: EMPTY_PATH })).rejects.toThrow(/answered HTTP 404 \(no such release or asset: check k6-version\)/);
    } finally {
      await srv.close();
    }
  });

  test('k6 on PATH is used when its version matches, and skipped when it does not', async () => {
    const bin = tempDir();
    writeFileSync(path.join(bin, 'k6'), fakeK6Script('2.2.0', {}));
    chmodSync(path.join(bin, 'k6'), 0o755);
    const port = await deadPort();
    const found = await installK6({ version: '2.2.0', toolCacheDir: tempDir(), tempDir: tempDir(), downloadBase: `http://127.0.0.1:${port}`, pathEnv: bin });
    expect(found).toEqual({ path: path.join(bin, 'k6'), version: '2.2.0', source: 'path' });
    const logs: string[] = [];
    await expect(installK6({ version: '1.4.0', toolCacheDir: tempDir(), tempDir: tempDir(), downloadBase: `http://127.0.0.1:${port}`, pathEnv: bin, log: (l) => logs.push(l) })).rejects.toThrow(/ECONNREFUSED/);
    expect(logs[0]).toMatch(/k6 on PATH \(.*\) is v2\.2\.0, not v1\.4\.0: installing v1\.4\.0/);
  });

  test('plain http is refused except to loopback', async () => {
    await expect(installK6({ version: '2.2.0', toolCacheDir: tempDir(), tempDir: tempDir(), downloadBase: 'http://example.com', pathEnv: EMPTY_PATH })).rejects.toThrow(/refusing to download over http: from example.com/);
  });
});

describe('versions, assets, checksums, arguments', () => {
  test("pinned versions only: 'latest' and ranges are refused; the default is the version the formats were checked against", () => {
    expect(normalizeVersion('')).toBe('2.2.0');
    expect(normalizeVersion('v1.5.0')).toBe('1.5.0');
    expect(() => normalizeVersion('latest')).toThrow(/'latest' is refused: pin a version/);
    expect(() => normalizeVersion('^2')).toThrow(/not a k6 release version/);
  });
  test("asset names as k6's releases spell them", () => {
    expect(assetName('2.2.0', 'linux', 'x64')).toBe('k6-v2.2.0-linux-amd64.tar.gz');
    expect(assetName('2.2.0', 'darwin', 'arm64')).toBe('k6-v2.2.0-macos-arm64.zip');
    expect(assetName('2.2.0', 'win32', 'x64')).toBe('k6-v2.2.0-windows-amd64.zip');
    expect(() => assetName('2.2.0', 'linux', 'ia32')).toThrow(/architecture 'ia32'/);
  });
  test('checksums file lookup by asset name', () => {
    const sums = `${'a'.repeat(64)}  k6-v2.2.0-linux-amd64.tar.gz\n${'B'.repeat(64)} *k6-v2.2.0-linux-arm64.tar.gz\n`;
    expect(checksumFor(sums, 'k6-v2.2.0-linux-amd64.tar.gz')).toBe('a'.repeat(64));
    expect(checksumFor(sums, 'k6-v2.2.0-linux-arm64.tar.gz')).toBe('b'.repeat(64));
    expect(checksumFor(sums, 'k6-v2.2.0-macos-arm64.zip')).toBeUndefined();
  });
  test('k6 run arguments: --summary-export always; flags that would leave no summary are refused', () => {
    expect(k6Args({ script: 's.js', summaryFile: 'o.json', ndjsonFile: 'o.ndjson', extraArgs: ['--tag', 'env=ci'] })).toEqual(['run', '--summary-export', 'o.json', '--out', 'json=o.ndjson', '--tag', 'env=ci', 's.js']);
    expect(() => k6Args({ script: 's.js', summaryFile: 'o.json', extraArgs: ['--summary-mode=disabled'] })).toThrow(/leaves no summary/);
    expect(() => k6Args({ script: 's.js', summaryFile: 'o.json', extraArgs: ['--no-summary'] })).toThrow(/leaves no summary/);
  });
});

linux('perf run with k6 (the fake k6 from the mirror)', () => {
  async function run(extra: Partial<Parameters<typeof runPerf>[0]>, summary = legacySummary({ p95: 150 })) {
    const srv = await releaseServer('2.2.0', fakeK6Script('2.2.0', summary));
    const dir = tempDir();
    mkdirSync(path.join(dir, 'perf'));
    writeFileSync(path.join(dir, 'perf/load.js'), 'export default function () {}\n');
    const logs: string[] = [];
    try {
      const r = await runPerf({ script: 'perf/load.js', cwd: dir, outDir: path.join(dir, 'out'), tempDir: dir, toolCacheDir: path.join(dir, 'cache'), downloadBase: srv.base, env: { PATH: EMPTY_PATH }, log: (l) => logs.push(l), ...extra });
      return { r, logs };
    } finally {
      await srv.close();
    }
  }

  test('k6 is installed and run; its summary judged; env and BASE_URL reach the script', async () => {
    const { r, logs } = await run({ thresholds: ['http_req_duration:p(95)<300'], baseUrl: 'http://127.0.0.1:9' });
    expect(r.engineUsed).toBe('k6');
    expect(r.verdict).toBe('pass');
    expect(r.summary).toMatchObject({ source: 'summary-export', engine: 'k6', script: 'k6:perf/load.js' });
    expect(logs).toContain('fake k6 running, BASE_URL=http://127.0.0.1:9');
    expect(JSON.parse(readFileSync(r.summaryFile!, 'utf8')).metrics.http_reqs.count).toBe(1000);
  });

  test('raw-output: the --out json stream is judged (any tag, any percentile), k6\'s own thresholds still come from the export', async () => {
    const summary = legacySummary({ extra: { http_req_duration: { avg: 1, min: 1, med: 1, max: 1, 'p(90)': 1, 'p(95)': 1, thresholds: { 'p(95)<300': true } } } });
    const { r } = await run({ rawOutput: true, thresholds: ['http_req_duration{name:GET /pets}:max<100', 'http_req_duration:p(99.9)<400'] }, summary);
    expect(r.summaryFile).toMatch(/k6-samples\.ndjson$/);
    expect(r.summary.source).toBe('ndjson');
    const rows = Object.fromEntries(r.table.map((row) => [`${row.origin} ${row.metric} ${row.aggregation}`, [row.actual, row.status]]));
    expect(rows['cli http_req_duration{name:GET /pets} max']).toEqual([30, 'pass']);
    expect(rows['cli http_req_duration p(99.9)']![1]).toBe('fail');
    expect(rows['script http_req_duration p(95)']![1]).toBe('fail'); // declared on the Metric line, judged here
    expect(r.findings.map((f) => f.id).sort()).toEqual(['k6-threshold-failed', 'perf-threshold-failed', 'perf-threshold-failed']);
  });

  test("k6 exit 99 (its thresholds failed) is a finding that says so", async () => {
    const { r } = await run({ thresholds: ['http_req_duration:p(95)<300'], env: { PATH: EMPTY_PATH, FAKE_K6_EXIT: '99' } });
    expect(r.verdict).toBe('fail');
    expect(r.findings.map((f) => f.id)).toEqual(['k6-thresholds-failed']);
  });

  test('k6 exit 107 with no summary: the exit code is the finding, explained', async () => {
    const { r } = await run({ thresholds: ['http_req_duration:p(95)<300'], env: { PATH: EMPTY_PATH, FAKE_K6_EXIT: '107', FAKE_K6_NO_SUMMARY: '1' } });
    expect(r.verdict).toBe('fail');
    expect(r.findings).toEqual([expect.objectContaining({ id: 'k6-run-failed', message: expect.stringMatching(/^k6 exited 107: the script threw an exception/) })]);
  });

  test('engine auto falls back to the built-in scenario when k6 cannot be installed, and says so', async () => {
    const port = await deadPort();
    const dir = tempDir();
    writeFileSync(path.join(dir, 'load.js'), '');
    writeFileSync(path.join(dir, 's.yaml'), `duration: 300ms\nvus: 1\nmaxRequests: 5\nrequests: [{path: /}]\n`);
    const r = await runPerf({ script: 'load.js', scenario: 's.yaml', baseUrl: `http://127.0.0.1:${port}`, thresholds: ['http_reqs:count>0'], cwd: dir, outDir: dir, tempDir: dir, toolCacheDir: dir, downloadBase: `http://127.0.0.1:${port}`, env: { PATH: EMPTY_PATH } });
    expect(r.engineUsed).toBe('builtin');
    expect(r.findings.find((f) => f.id === 'perf-engine-fallback')!.message).toMatch(/k6 could not be installed .*the built-in engine ran s.yaml instead of load.js/);
    await expect(runPerf({ engine: 'k6', script: 'load.js', cwd: dir, outDir: dir, tempDir: dir, toolCacheDir: dir, downloadBase: `http://127.0.0.1:${port}`, env: { PATH: EMPTY_PATH } })).rejects.toThrow(/could not download/);
  });
});
