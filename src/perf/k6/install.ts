/**
 * Install k6: a pinned version (never "latest"), from k6's GitHub releases, checked against the
 * release's checksums file, kept in the runner's tool cache (`$RUNNER_TOOL_CACHE/k6/<version>/<arch>`
 * with an `<arch>.complete` marker, the layout @actions/tool-cache uses, so either can find it).
 * An existing `k6` on PATH is used when its version matches.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, createWriteStream } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { InputError } from '../../kit/errors.js';

/** The version whose output formats this gate was checked against (shared/formats/k6/NOTES.md). */
export const DEFAULT_K6_VERSION = '2.2.0';
export const RELEASES = 'https://github.com/grafana/k6/releases/download';

export interface InstallOptions {
  version?: string;
  toolCacheDir: string;
  tempDir: string;
  /** Release download base; tests point it at a server on 127.0.0.1. */
  downloadBase?: string;
  /** Look for k6 on PATH first (default true). */
  usePath?: boolean;
  pathEnv?: string;
  platform?: NodeJS.Platform;
  arch?: string;
  timeoutMs?: number;
  log?: (line: string) => void;
}

export interface InstalledK6 {
  path: string;
  version: string;
  source: 'path' | 'cache' | 'download';
}

export function normalizeVersion(v: string | undefined): string {
  const s = (v ?? '').trim().replace(/^v/, '') || DEFAULT_K6_VERSION;
  if (s === 'latest') throw new InputError("k6-version: 'latest' is refused: pin a version (k6 2.x removed flags and changed summaries between releases)", { field: 'k6-version' });
  if (!/^\d+\.\d+\.\d+$/.test(s)) throw new InputError(`k6-version: '${v}' is not a k6 release version such as ${DEFAULT_K6_VERSION}`, { field: 'k6-version' });
  return s;
}

/** Release asset for this machine, as k6 names them: linux tar.gz, macOS and Windows zip. */
export function assetName(version: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
  const a = arch === 'x64' ? 'amd64' : arch === 'arm64' ? 'arm64' : undefined;
  if (!a) throw new InputError(`k6: no k6 release for the CPU architecture '${arch}' (amd64 and arm64 only)`, { field: 'k6-version' });
  if (platform === 'linux') return `k6-v${version}-linux-${a}.tar.gz`;
  if (platform === 'darwin') return `k6-v${version}-macos-${a}.zip`;
  if (platform === 'win32') return `k6-v${version}-windows-${a}.zip`;
  throw new InputError(`k6: no k6 release for the platform '${platform}'`, { field: 'k6-version' });
}

/** The version `k6 version` prints (`k6 v2.2.0 (commit/…, go1.25, linux/amd64)`), or undefined. */
export function k6VersionOf(bin: string): string | undefined {
  const r = spawnSync(bin, ['version'], { encoding: 'utf8', timeout: 15_000 });
  if (r.status !== 0) return undefined;
  return /\bv?(\d+\.\d+\.\d+)\b/.exec(r.stdout ?? '')?.[1];
}

export function findOnPath(name: string, pathEnv = process.env.PATH ?? '', platform: NodeJS.Platform = process.platform): string | undefined {
  const exe = platform === 'win32' ? `${name}.exe` : name;
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, exe);
    try {
      if (statSync(p).isFile()) return p;
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function installK6(opts: InstallOptions): Promise<InstalledK6> {
  const version = normalizeVersion(opts.version);
  const log = opts.log ?? (() => {});
  const platform = opts.platform ?? process.platform;
  const arch = opts.arch ?? process.arch;
  const exe = platform === 'win32' ? 'k6.exe' : 'k6';

  if (opts.usePath !== false) {
    const onPath = findOnPath('k6', opts.pathEnv, platform);
    if (onPath) {
      const found = k6VersionOf(onPath);
      if (found === version) {
        log(`k6 ${version} found on PATH: ${onPath}`);
        return { path: onPath, version, source: 'path' };
      }
      log(`k6 on PATH (${onPath}) is ${found ? `v${found}` : 'of unknown version'}, not v${version}: installing v${version}`);
    }
  }

  const cacheDir = path.join(opts.toolCacheDir, 'k6', version, arch);
  const cached = path.join(cacheDir, exe);
  if (existsSync(`${cacheDir}.complete`) && existsSync(cached)) {
    log(`k6 ${version} found in the tool cache: ${cached}`);
    return { path: cached, version, source: 'cache' };
  }

  const asset = assetName(version, platform, arch);
  const base = (opts.downloadBase ?? RELEASES).replace(/\/$/, '');
  const url = `${base}/v${version}/${asset}`;
  const sumsUrl = `${base}/v${version}/k6-v${version}-checksums.txt`;
  mkdirSync(opts.tempDir, { recursive: true });
  const work = mkdtempSync(path.join(opts.tempDir, 'k6-'));
  try {
    log(`downloading ${url}`);
    const sums = (await download(sumsUrl, undefined, opts.timeoutMs)).toString('utf8');
    const expected = checksumFor(sums, asset);
    if (!expected) throw new InputError(`k6: the checksums file ${sumsUrl} has no entry for ${asset}`, { field: 'k6-version' });
    const archive = path.join(work, asset);
    const actual = await download(url, archive, opts.timeoutMs);
    const digest = actual.toString('utf8');
    if (digest !== expected) {
      throw new InputError(`k6: checksum mismatch for ${asset}: expected sha256 ${expected} (from ${sumsUrl}), got ${digest}. The download is corrupt or was tampered with; nothing was installed`, { field: 'k6-version' });
    }
    log(`sha256 ${digest} matches the release's checksums file`);
    const out = path.join(work, 'x');
    mkdirSync(out);
    const tar = spawnSync('tar', [asset.endsWith('.zip') ? '-xf' : '-xzf', archive, '-C', out], { encoding: 'utf8', timeout: 120_000 });
    if (tar.status !== 0) throw new InputError(`k6: could not extract ${asset}: ${(tar.stderr || tar.error?.message || '').trim()}`, { field: 'k6-version' });
    const bin = findFile(out, exe);
    if (!bin) throw new InputError(`k6: ${asset} holds no ${exe} binary`, { field: 'k6-version' });
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    copyFileSync(bin, cached);
    chmodSync(cached, 0o755);
    writeFileSync(`${cacheDir}.complete`, '');
    log(`k6 ${version} installed in ${cached}`);
    return { path: cached, version, source: 'download' };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** `<sha256>  <file>` lines (sha256sum format); the entry for `asset`, lower-cased. */
export function checksumFor(sums: string, asset: string): string | undefined {
  for (const line of sums.split(/\r?\n/)) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+?)\s*$/.exec(line);
    if (m && path.basename(m[2]!) === asset) return m[1]!.toLowerCase();
  }
  return undefined;
}

function findFile(dir: string, name: string, depth = 0): string | undefined {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isFile() && e.name === name) return p;
    if (e.isDirectory() && depth < 3) {
      const found = findFile(p, name, depth + 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * GET with redirects (GitHub answers release downloads with a redirect). HTTPS only, except plain
 * HTTP to loopback for tests. With `file`, streams to disk and resolves to the sha256 hex (as a Buffer
 * of its text); without, resolves to the body.
 */
async function download(url: string, file: string | undefined, timeoutMs = 120_000, redirects = 5): Promise<Buffer> {
  const u = new URL(url);
  const loopback = u.hostname === '127.0.0.1' || u.hostname === 'localhost' || u.hostname === '[::1]';
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback)) throw new InputError(`k6: refusing to download over ${u.protocol} from ${u.host} (https only)`, { field: 'k6-version' });
  const get = u.protocol === 'https:' ? https.get : http.get;
  const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
    const req = get(u, { headers: { 'user-agent': 'api-delivery-perf' }, timeout: timeoutMs }, resolve);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000}s`)));
    req.on('error', reject);
  }).catch((e: Error & { code?: string }) => {
    throw new InputError(`k6: could not download ${url}: ${e.code ?? e.message}. No k6 can be installed here; put k6 on PATH, or use engine: builtin`, { field: 'k6-version' });
  });
  const status = res.statusCode ?? 0;
  if (status >= 300 && status < 400 && res.headers.location) {
    res.resume();
    if (redirects === 0) throw new InputError(`k6: too many redirects downloading ${url}`, { field: 'k6-version' });
    return download(new URL(res.headers.location, u).toString(), file, timeoutMs, redirects - 1);
  }
  if (status !== 200) {
    res.resume();
    throw new InputError(`k6: downloading ${url} answered HTTP ${status}${status === 404 ? ' (no such release or asset: check k6-version)' : ''}`, { field: 'k6-version' });
  }
  const hash = createHash('sha256');
  if (file) {
    res.on('data', (c: Buffer) => hash.update(c));
    await pipeline(res, createWriteStream(file));
    return Buffer.from(hash.digest('hex'), 'utf8');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of res) {
    size += (c as Buffer).length;
    if (size > 1 << 20) throw new InputError(`k6: ${url} is larger than a checksums file should be`, { field: 'k6-version' });
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks);
}
