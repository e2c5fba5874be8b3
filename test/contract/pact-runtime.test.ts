/**
 * Where Pact comes from at run time. The caller's project (here: this repository's devDependency)
 * is used when it has Pact; a project without it gets the pinned version installed once into a
 * cache directory, and a verification really runs with that install. npm runs offline here
 * (npm_config_offline), from the npm cache that installed this repository; where that cache lacks
 * the package the install test is skipped with a message.
 */
import { afterAll, describe, expect, test } from '@jest/globals';
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { cachedVersion, defaultPactCacheDir, obtainPact, PINNED_PACT_VERSION, resolvePactFrom } from '../../src/contract/provider/pact-runtime.js';
import { runProvider } from '../../src/contract/run.js';
import { InputError } from '../../src/kit/errors.js';
import { cleanTemp, EXAMPLE_PACT, ROOT, tempDir, startPetstore } from './helpers.js';

afterAll(cleanTemp);

test("the caller's project: its own @pact-foundation/pact, resolved from the working directory", () => {
  const logs: string[] = [];
  const r = obtainPact({ cwd: path.join(ROOT, 'examples/petstore'), cacheDir: tempDir(), log: (l) => logs.push(l) });
  expect(r.source).toBe('project');
  expect(r.entry).toBe(path.join(ROOT, 'node_modules/@pact-foundation/pact/src/index.js'));
  expect(r.version).toBe(PINNED_PACT_VERSION);
  expect(logs[0]).toMatch(/using the project's @pact-foundation\/pact@17\.1\.4/);
});

test('the default cache directory follows the tool cache layout on a runner, ~/.cache elsewhere', () => {
  expect(defaultPactCacheDir({ RUNNER_TOOL_CACHE: '/opt/hostedtoolcache' })).toBe(`/opt/hostedtoolcache/api-delivery-pact/${PINNED_PACT_VERSION}/${process.arch}`);
  expect(defaultPactCacheDir({ XDG_CACHE_HOME: '/c' })).toBe(`/c/api-delivery/api-delivery-pact/${PINNED_PACT_VERSION}/${process.arch}`);
});

test('a project without Pact and installing turned off: a clear error', () => {
  const project = tempDir({ 'package.json': '{"name":"p"}' });
  expect(() => obtainPact({ cwd: project, cacheDir: tempDir(), install: false })).toThrow(InputError);
  expect(() => obtainPact({ cwd: project, cacheDir: tempDir(), install: false })).toThrow(/@pact-foundation\/pact was not found in .* \(add it to the project's devDependencies\)/);
});

describe('a project without Pact: the pinned install', () => {
  const project = tempDir({ 'package.json': '{"name":"provider-without-pact","private":true}' });
  const cache = path.join(tempDir(), 'api-delivery-pact');
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, npm_config_offline: 'true', npm_config_loglevel: 'error' };
  let installed: ReturnType<typeof obtainPact> | undefined;
  let skipped = '';

  test('is installed once into the cache, then reused', () => {
    expect(resolvePactFrom(project)).toBeUndefined();
    try {
      installed = obtainPact({ cwd: project, cacheDir: cache, env });
    } catch (e) {
      if (/ENOTCACHED|offline/i.test((e as Error).message)) {
        skipped = 'the npm cache here does not hold @pact-foundation/pact';
        console.log(`skipped the pinned-install test: ${skipped}`);
        return;
      }
      throw e;
    }
    expect(installed).toMatchObject({ source: 'installed', version: PINNED_PACT_VERSION });
    expect(installed.entry.startsWith(cache)).toBe(true);
    expect(cachedVersion(cache)).toBe(PINNED_PACT_VERSION);
    const again = obtainPact({ cwd: project, cacheDir: cache, env: { ...env, PATH: '/nonexistent' } }); // no npm needed now
    expect(again).toMatchObject({ source: 'cache', entry: installed.entry });
  }, 180000);

  test('and a real verification runs with it', async () => {
    if (skipped || !installed) return;
    copyFileSync(path.join(ROOT, EXAMPLE_PACT), path.join(project, 'pact.json'));
    copyFileSync(path.join(ROOT, 'examples/petstore/provider/states.mjs'), path.join(project, 'states.mjs'));
    const server = await startPetstore({ port: 0, bugs: ['wrong-type'] });
    try {
      const logs: string[] = [];
      const r = await runProvider({ cwd: project, env, pactFiles: 'pact.json', providerUrl: server.url, stateHandlers: 'states.mjs', pactCacheDir: cache, log: (l) => logs.push(l) });
      expect(logs[0]).toMatch(/using the cached @pact-foundation\/pact@17\.1\.4/);
      expect(r.verdict).toBe('fail');
      expect(r.findings.map((f) => f.message).join('\n')).toMatch(/\$\.name: Expected 42 \(Integer\)/);
      expect(existsSync(path.join(project, 'node_modules'))).toBe(false);
    } finally {
      await server.close();
    }
  }, 60000);
});
