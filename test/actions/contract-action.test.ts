/**
 * The committed contract bundle runs the way the GitHub runner runs it: `node dist/contract/index.js`
 * with INPUT_* (defaults from action.yml), GITHUB_OUTPUT and GITHUB_STEP_SUMMARY in temp files.
 * Real parts only: the example pact and specs, the example server as the provider (with and
 * without planted bugs), real Pact from this project's devDependencies, and a recording Pact
 * Broker on 127.0.0.1.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FakeBroker } from '../contract/fake-broker.js';
import { freePort } from '../contract/helpers.js';
import { annotations, root, runAction, tempDir } from './runner.js';

const BUNDLE = path.join(root, 'dist/contract/index.js');
const PACT = 'examples/petstore/consumer/pacts/petstore-web-petstore-api.json';

const runStep = (inputs: Record<string, string>, env: Record<string, string> = {}) =>
  runAction({ bundle: BUNDLE, actionYml: 'actions/contract/action.yml', inputs, env });

const errorAnnotations = (stdout: string) => annotations(stdout, { bare: false }).error;

test('the bundle is built', () => {
  expect(existsSync(BUNDLE)).toBe(true);
});

describe('mode: compare', () => {
  test('the example pact against openapi.v1.yaml fails: annotations on the pact lines, one summary row per interaction', async () => {
    const run = await runStep({ mode: 'compare', 'pact-files': PACT, openapi: 'examples/petstore/openapi.v1.yaml' });
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'error-count': '3', 'warning-count': '1', 'interaction-count': '4', 'failed-interaction-count': '3', deployable: '' });
    const errors = errorAnnotations(run.stdout);
    expect(errors).toHaveLength(3);
    for (const e of errors) expect(e).toMatch(/^::error file=examples\/petstore\/consumer\/pacts\/petstore-web-petstore-api\.json,line=\d+,title=response\.body\.incompatible/);
    expect(run.summary).toMatch(/^## ❌ Contract tests: pacts vs OpenAPI: failed/);
    expect(run.summary).toContain('### Interactions against the OpenAPI spec');
    expect(run.summary).toContain('| Consumer | Description | State | Result |');
    expect(run.summary).toMatch(/\| petstore-web \| a request for pet pet-1 \| a pet exists \| ❌ fail<br>response\.body\.incompatible \|/);
    expect(run.summary).toMatch(/\| petstore-web \| a request for a pet that does not exist \| no pet exists \| ✅ pass \|/);
    const result = JSON.parse(readFileSync(run.outputs['result-file']!, 'utf8'));
    expect(result).toMatchObject({ gate: 'contract', mode: 'compare', verdict: 'fail' });
    expect(result.interactions).toHaveLength(4);
  });

  test('against openapi.v2.yaml it passes', async () => {
    const run = await runStep({ mode: 'compare', 'pact-files': PACT, openapi: 'examples/petstore/openapi.v2.yaml' });
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'error-count': '0', 'failed-interaction-count': '0' });
  });
});

describe('mode: provider (the example server, real Pact)', () => {
  const provider = async (bugs: string) => {
    const port = await freePort();
    return runStep({
      mode: 'provider',
      'pact-files': PACT,
      'provider-url': `http://127.0.0.1:${port}`,
      'provider-command': `node examples/petstore/server.mjs --port ${port}${bugs}`,
      'ready-url': `http://127.0.0.1:${port}/healthz`,
      'state-handlers': 'examples/petstore/provider/states.mjs',
      'provider-headers': 'X-Test-Run: secret-run-id',
    });
  };

  test('the correct provider passes', async () => {
    const run = await provider('');
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'interaction-count': '4', 'failed-interaction-count': '0' });
    expect(run.summary).toContain('### Interactions verified');
    expect(run.stdout).toContain('::group::Pact verifier output');
    expect(run.stdout).toContain('::add-mask::secret-run-id');
  });

  test('a deliberately broken provider (wrong-type) fails with the mismatch in the job summary', async () => {
    const run = await provider(' --bug wrong-type');
    expect(run.code).toBe(1);
    expect(run.outputs).toMatchObject({ verdict: 'fail', 'failed-interaction-count': '3' });
    expect(run.summary).toMatch(/^## ❌ Contract tests: provider verification: failed/);
    expect(run.summary).toMatch(/\| petstore-web \| a request for pet pet-1 \| a pet exists \| ❌ fail<br>\$\.name: Expected 42 \(Integer\) to be the same type as 'Rex' \(String\) \|/);
    expect(errorAnnotations(run.stdout).some((l) => l.startsWith(`::error file=${PACT},line=`))).toBe(true);
  });

  test('a provider that never becomes ready: exit 2 with the log tail', async () => {
    const port = await freePort();
    const run = await runStep({ mode: 'provider', 'pact-files': PACT, 'provider-url': `http://127.0.0.1:${port}`, 'provider-command': 'echo warming up; sleep 20', 'ready-timeout': '1' });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error::ready-url: the provider did not become ready/m);
    expect(run.stdout).toContain('warming up');
  });
});

describe('with a broker on 127.0.0.1', () => {
  const broker = new FakeBroker();
  beforeAll(async () => {
    await broker.start();
    broker.addEnvironment('production');
  });
  afterAll(() => broker.stop());

  test('mode: consumer runs the consumer tests, publishes under the PR head commit and branch, and masks the token', async () => {
    const pacts = tempDir();
    const event = path.join(tempDir(), 'event.json');
    writeFileSync(event, JSON.stringify({ pull_request: { number: 7, head: { sha: 'abc123head' } } }));
    const run = await runStep(
      {
        mode: 'consumer',
        'consumer-command': 'node --test examples/petstore/consumer/pact.test.mjs',
        'pact-files': pacts,
        'broker-url': broker.url,
        'broker-token': broker.token!,
      },
      { PACT_OUTPUT_DIR: pacts, GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event, GITHUB_SHA: 'mergesha', GITHUB_HEAD_REF: 'feature/dogs', GITHUB_REF: 'refs/pull/7/merge' },
    );
    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ verdict: 'pass', 'interaction-count': '4', 'info-count': '1' });
    const sent = broker.requests.find((r) => r.path === '/contracts/publish')!;
    expect(sent.body).toMatchObject({ pacticipantName: 'petstore-web', pacticipantVersionNumber: 'abc123head', branch: 'feature/dogs' });
    expect(sent.auth).toBe(`Bearer ${broker.token}`);
    expect(run.stdout.split('\n')[0]).toBe(`::add-mask::${broker.token}`);
    expect(run.stdout.split('\n').filter((l) => l.includes(broker.token!))).toEqual([`::add-mask::${broker.token}`]);
    expect(run.summary).toContain('### Interactions in the pacts');
    expect(run.summary).toMatch(/### Broker notices\n\n- ℹ️ Pact published for petstore-web version abc123head/);
  });

  test('mode: can-i-deploy shows the matrix and sets deployable', async () => {
    broker.deployments.push({ pacticipant: 'petstore-api', version: 'p1', environment: 'production' });
    broker.verifications.push({ provider: 'petstore-api', providerVersion: 'p1', consumer: 'petstore-web', sha: broker.publications[0]!.sha, success: false, body: {} });
    const ask = { mode: 'can-i-deploy', 'broker-url': broker.url, 'broker-token': broker.token!, pacticipant: 'petstore-web', version: 'abc123head', 'to-environment': 'production' };
    const no = await runStep(ask);
    expect(no.code).toBe(1);
    expect(no.outputs).toMatchObject({ verdict: 'fail', deployable: 'false' });
    expect(no.summary).toContain('**Deployable:** ❌ no');
    expect(no.summary).toContain('| Consumer | Consumer version | Provider | Provider version | Verified |');
    expect(no.summary).toContain('| petstore-web | `abc123head` | petstore-api | `p1` | ❌ failed |');
    broker.verifications.push({ provider: 'petstore-api', providerVersion: 'p1', consumer: 'petstore-web', sha: broker.publications[0]!.sha, success: true, body: {} });
    const yes = await runStep(ask);
    expect(yes.code).toBe(0);
    expect(yes.outputs).toMatchObject({ verdict: 'pass', deployable: 'true' });
    expect(yes.summary).toContain('| petstore-web | `abc123head` | petstore-api | `p1` | ✅ yes |');
  });

  test('mode: record-deployment', async () => {
    const run = await runStep({ mode: 'record-deployment', 'broker-url': broker.url, 'broker-token': broker.token!, pacticipant: 'petstore-web', version: 'abc123head', 'to-environment': 'production' });
    expect(run.code).toBe(0);
    expect(broker.deployments).toContainEqual(expect.objectContaining({ pacticipant: 'petstore-web', version: 'abc123head', environment: 'production' }));
  });

  test('a refused token: exit 2 with a clear message, no verdict', async () => {
    const run = await runStep({ mode: 'can-i-deploy', 'broker-url': broker.url, 'broker-token': 'not-the-token', pacticipant: 'petstore-web', version: 'abc123head', 'to-environment': 'production' });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/^::error::Pact Broker at http:\/\/127\.0\.0\.1:\d+: GET \/can-i-deploy\?.* answered HTTP 401: not authenticated/m);
    expect(run.outputs.verdict).toBeUndefined();
  });

  test('a broker error (500): exit 2, never a pass', async () => {
    broker.fail = 500;
    try {
      const run = await runStep({ mode: 'can-i-deploy', 'broker-url': broker.url, 'broker-token': broker.token!, 'broker-timeout': '1', pacticipant: 'a', version: 'b', 'to-environment': 'production' });
      expect(run.code).toBe(2);
      expect(run.stdout).toMatch(/answered HTTP 500/);
    } finally {
      broker.fail = undefined;
    }
  });
});

describe('bad input exits 2 naming the input', () => {
  test.each([
    [{ mode: 'contract' }, /^::error::mode: 'contract' is not one of consumer, provider, compare, can-i-deploy, record-deployment/m],
    [{ mode: 'compare', 'pact-files': 'package.json', openapi: 'examples/petstore/openapi.v2.yaml' }, /^::error::package\.json: field 'consumer\.name' is missing/m],
    [{ mode: 'compare', 'pact-files': PACT, openapi: 'package.json' }, /^::error::package\.json: not an OpenAPI document/m],
    [{ mode: 'provider', 'pact-files': PACT, 'provider-url': 'localhost:8080' }, /^::error::provider-url: 'localhost:8080' is not an http\(s\) URL/m],
    [{ mode: 'compare', 'pact-files': PACT, openapi: 'examples/petstore/openapi.v2.yaml', 'fail-on': 'always' }, /^::error::fail-on: 'always' is not one of/m],
  ])('%j', async (inputs, message) => {
    const run = await runStep(inputs as Record<string, string>);
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(message);
  });
});

describe('actions/contract/action.yml matches the adapter', () => {
  const action = parseYaml(readFileSync(path.join(root, 'actions/contract/action.yml'), 'utf8')) as { inputs: Record<string, unknown>; outputs: Record<string, unknown> };
  const code = ['src/actions/contract-action.ts', 'src/actions/lib/report.ts'].map((f) => readFileSync(path.join(root, f), 'utf8')).join('\n');
  const read = [...code.matchAll(/\bget(?:Boolean|Multiline)?Input\(\s*'([^']+)'/g)].map((m) => m[1]!);
  const written = [...code.matchAll(/\bsetOutput\(\s*'([^']+)'/g)].map((m) => m[1]!);
  test.each(Object.keys(action.inputs))('input %s is read', (name) => expect(read).toContain(name));
  test.each(Object.keys(action.outputs))('output %s is written', (name) => expect(written).toContain(name));
  test('nothing undeclared is read or written', () => {
    expect([...new Set(read)].filter((n) => !(n in action.inputs))).toEqual([]);
    expect([...new Set(written)].filter((n) => !(n in action.outputs))).toEqual([]);
  });
});
