import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED = path.resolve(ROOT, '../shared');
export const K6_FORMATS = path.join(SHARED, 'formats/k6');

const dirs: string[] = [];
export function tempDir(prefix = 'perf-test-'): string {
  const d = mkdtempSync(path.join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}
export function cleanTempDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export function writeJson(dir: string, name: string, data: unknown): string {
  const f = path.join(dir, name);
  writeFileSync(f, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
  return f;
}

/** A legacy --summary-export document with the metrics k6 always writes for HTTP tests. */
export function legacySummary(over: { p95?: number; failed?: number; count?: number; extra?: Record<string, unknown> } = {}): Record<string, unknown> {
  const p95 = over.p95 ?? 120;
  return {
    root_group: { name: '', path: '', id: 'd41d8cd98f00b204e9800998ecf8427e', groups: {}, checks: {} },
    metrics: {
      http_reqs: { count: over.count ?? 1000, rate: (over.count ?? 1000) / 10 },
      http_req_duration: { avg: p95 / 2, min: 1, med: p95 / 2, max: p95 * 2, 'p(90)': p95 * 0.9, 'p(95)': p95 },
      'http_req_duration{name:GET /pets}': { avg: p95 / 2, min: 1, med: p95 / 2, max: p95 * 2, 'p(90)': p95 * 0.9, 'p(95)': p95 },
      http_req_failed: { value: over.failed ?? 0, passes: Math.round((over.failed ?? 0) * 1000), fails: 1000 - Math.round((over.failed ?? 0) * 1000) },
      iterations: { count: 1000, rate: 100 },
      vus: { value: 10, min: 10, max: 10 },
      ...(over.extra ?? {}),
    },
  };
}

const NDJSON = [
  JSON.stringify({ type: 'Metric', data: { name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: ['p(95)<300'], submetrics: null }, metric: 'http_req_duration' }),
  ...[[12, 'GET /pets'], [480, 'GET /pets/{id}'], [30, 'GET /pets']].map(([v, name], i) =>
    JSON.stringify({ type: 'Point', data: { time: `2026-11-01T10:00:0${i}Z`, value: v, tags: { name, status: '200' } }, metric: 'http_req_duration' }),
  ),
];

/** The fake k6 binary: `k6 version` prints the version; `k6 run` writes a summary and exits $FAKE_K6_EXIT. */
export function fakeK6Script(version: string, summary: Record<string, unknown>): string {
  return [
    '#!/bin/sh',
    `if [ "$1" = version ]; then echo "k6 v${version} (commit/fake, go1.25, linux/amd64)"; exit 0; fi`,
    'out=""',
    'raw=""',
    'while [ $# -gt 0 ]; do case "$1" in --summary-export) out="$2"; shift;; --out) raw="${2#json=}"; shift;; esac; shift; done',
    // With --out json=FILE: three samples of http_req_duration tagged by endpoint, as k6 streams them.
    `[ -z "$raw" ] || printf '%s\\n' '${NDJSON.join("' '")}' > "$raw"`,
    'echo "fake k6 running, BASE_URL=$BASE_URL"',
    // Shell built-ins only: the tests run it with a PATH that has nothing on it.
    `[ -n "$FAKE_K6_NO_SUMMARY" ] || printf '%s' '${JSON.stringify(summary).replace(/'/g, "'\\''")}' > "$out"`,
    'exit ${FAKE_K6_EXIT:-0}',
    '',
  ].join('\n');
}

export interface ReleaseServer {
  base: string;
  requests: string[];
  close(): Promise<void>;
}

/**
 * A release mirror on 127.0.0.1 in k6's layout: /v<version>/k6-v<version>-linux-<arch>.tar.gz (a
 * directory k6-v…/k6 inside, like the real archive) and /v<version>/k6-v<version>-checksums.txt.
 * `corrupt` serves a checksums file whose hash does not match; the first request is redirected,
 * as GitHub redirects release downloads.
 */
export async function releaseServer(version: string, binary: string, opts: { corrupt?: boolean } = {}): Promise<ReleaseServer> {
  const dir = tempDir('k6-release-');
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const folder = `k6-v${version}-linux-${arch}`;
  mkdirSync(path.join(dir, folder));
  writeFileSync(path.join(dir, folder, 'k6'), binary);
  chmodSync(path.join(dir, folder, 'k6'), 0o755);
  const asset = `${folder}.tar.gz`;
  execFileSync('tar', ['-czf', path.join(dir, asset), '-C', dir, folder]);
  const archive = readFileSync(path.join(dir, asset));
  const hash = createHash('sha256').update(opts.corrupt ? Buffer.concat([archive, Buffer.from('x')]) : archive).digest('hex');
  const sums = `${'0'.repeat(64)}  k6-v${version}-macos-arm64.zip\n${hash}  ${asset}\n`;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === `/v${version}/${asset}`) {
      res.writeHead(302, { location: `/objects/${asset}` }).end();
    } else if (req.url === `/objects/${asset}`) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': archive.length }).end(archive);
    } else if (req.url === `/v${version}/k6-v${version}-checksums.txt`) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(sums);
    } else res.writeHead(404).end('Not Found');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}

/** A port nothing listens on: bind, read the port, close. */
export async function deadPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as AddressInfo).port;
  await new Promise((ok) => s.close(ok));
  return port;
}
