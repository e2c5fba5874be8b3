import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { InputError } from '../../kit/errors.js';

/**
 * Pact's verifier is a native library (libpact_ffi), which a bundle cannot carry. The gate uses the
 * caller's own `@pact-foundation/pact` when the project has one (resolved from the working
 * directory, as the project's own tests would), else a pinned version it installs once into a
 * cache directory: the tool cache on a runner, ~/.cache elsewhere.
 */
export const PINNED_PACT_VERSION = '17.1.4';
export const PACT_PACKAGE = '@pact-foundation/pact';

export interface PactRuntime {
  /** Absolute path of the package's entry file (what `require` loads). */
  entry: string;
  version: string;
  source: 'project' | 'cache' | 'installed';
}

/** Where a pinned install lives: `<tool cache>/api-delivery-pact/<version>/<arch>`, like @actions/tool-cache. */
export function defaultPactCacheDir(env: Record<string, string | undefined>, version = PINNED_PACT_VERSION): string {
  const root = env.RUNNER_TOOL_CACHE || path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'api-delivery');
  return path.join(root, 'api-delivery-pact', version, process.arch);
}

const RESOLVE_SCRIPT = `
const { createRequire } = require('node:module');
const path = require('node:path');
const fs = require('node:fs');
try {
  const entry = createRequire(path.join(process.argv[1], 'package.json')).resolve(process.argv[2]);
  let dir = path.dirname(entry), version = '';
  for (let i = 0; i < 5 && !version; i++, dir = path.dirname(dir)) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) { const p = JSON.parse(fs.readFileSync(pj, 'utf8')); if (p.name === process.argv[2]) version = p.version; }
  }
  process.stdout.write(JSON.stringify({ entry, version }));
} catch { process.exit(3); }`;

/** Resolve the package from `dir` the way Node would for a file in it; undefined when it is not there. */
export function resolvePactFrom(dir: string): { entry: string; version: string } | undefined {
  if (!existsSync(dir)) return undefined;
  const r = spawnSync(process.execPath, ['-e', RESOLVE_SCRIPT, dir, PACT_PACKAGE], { encoding: 'utf8', timeout: 30000 });
  if (r.status !== 0) return undefined;
  try {
    return JSON.parse(r.stdout) as { entry: string; version: string };
  } catch {
    return undefined;
  }
}

export interface ObtainOptions {
  /** The caller's project directory. */
  cwd: string;
  cacheDir: string;
  version?: string;
  /** Install when neither the project nor the cache has Pact (default true). */
  install?: boolean;
  env?: Record<string, string | undefined>;
  log?: (line: string) => void;
}

export function obtainPact(opts: ObtainOptions): PactRuntime {
  const log = opts.log ?? (() => undefined);
  const fromProject = resolvePactFrom(opts.cwd);
  if (fromProject) {
    log(`Pact: using the project's ${PACT_PACKAGE}@${fromProject.version} (${fromProject.entry})`);
    return { ...fromProject, source: 'project' };
  }
  const version = opts.version ?? PINNED_PACT_VERSION;
  const marker = path.join(opts.cacheDir, '.complete');
  if (existsSync(marker)) {
    const cached = resolvePactFrom(opts.cacheDir);
    if (cached) {
      log(`Pact: using the cached ${PACT_PACKAGE}@${cached.version} (${opts.cacheDir})`);
      return { ...cached, source: 'cache' };
    }
  }
  if (opts.install === false) {
    throw new InputError(
      `${PACT_PACKAGE} was not found in ${opts.cwd} (add it to the project's devDependencies) and installing it is turned off (pact-install: false)`,
      { field: 'pact-install' },
    );
  }
  log(`Pact: the project has no ${PACT_PACKAGE}; installing ${PACT_PACKAGE}@${version} into ${opts.cacheDir}`);
  mkdirSync(opts.cacheDir, { recursive: true });
  if (!existsSync(path.join(opts.cacheDir, 'package.json'))) {
    writeFileSync(path.join(opts.cacheDir, 'package.json'), JSON.stringify({ name: 'api-delivery-pact-runtime', private: true }) + '\n');
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const args = ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', opts.cacheDir, `${PACT_PACKAGE}@${version}`];
  const r = spawnSync(npm, args, { encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: 10 * 60 * 1000 });
  if (r.status !== 0) {
    const tail = `${r.stderr ?? ''}${r.error ? String(r.error.message) : ''}`.trim().split('\n').slice(-8).join('\n');
    throw new InputError(`could not install ${PACT_PACKAGE}@${version} with npm (exit ${r.status ?? 'none'}):\n${tail}`, { field: 'pact-version' });
  }
  const installed = resolvePactFrom(opts.cacheDir);
  if (!installed) throw new InputError(`${PACT_PACKAGE}@${version} was installed into ${opts.cacheDir} but cannot be loaded from there`, { field: 'pact-version' });
  writeFileSync(marker, `${installed.version}\n`);
  log(`Pact: installed ${PACT_PACKAGE}@${installed.version}`);
  return { ...installed, source: 'installed' };
}

/** The package version recorded when the cache was filled (for logs and tests). */
export function cachedVersion(cacheDir: string): string | undefined {
  const marker = path.join(cacheDir, '.complete');
  return existsSync(marker) ? readFileSync(marker, 'utf8').trim() : undefined;
}
