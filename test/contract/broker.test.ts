/**
 * Publishing, can-i-deploy and record-deployment against a recording broker on 127.0.0.1: the
 * tests assert what was sent, and that every broker failure is a clear error, never a pass.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import { BrokerError } from '../../src/contract/broker/client.js';
import { runCanIDeploy, runConsumer, runRecordDeployment, type ContractInputs } from '../../src/contract/run.js';
import { InputError } from '../../src/kit/errors.js';
import { FakeBroker } from './fake-broker.js';
import { cleanTemp, EXAMPLE_PACT, pactText, ROOT, tempDir } from './helpers.js';

const broker = new FakeBroker();
let base: ContractInputs;
beforeAll(async () => {
  await broker.start();
});
afterAll(async () => {
  await broker.stop();
  cleanTemp();
});
beforeEach(() => {
  Object.assign(broker, { requests: [], versions: [], publications: [], verifications: [], environments: [], deployments: [], fail: undefined, onCanIDeploy: undefined, canIDeployCount: 0 });
  broker.addEnvironment('production');
  base = { cwd: ROOT, brokerUrl: broker.url, brokerToken: broker.token, brokerTimeout: '2', retryInterval: '0.01' };
});

const PR = { eventName: 'pull_request', sha: 'f00dmerge', headSha: '1a2b3c4d', headRef: 'feature/cats', ref: 'refs/pull/7/merge' };
const PUSH = { eventName: 'push', sha: '9f8e7d6c', ref: 'refs/heads/main' };

async function rejection(p: Promise<unknown>): Promise<InputError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an error');
}

describe('publishing pacts (consumer mode)', () => {
  test('on a pull request: version is the head commit, branch the head branch, never refs/pull/N/merge', async () => {
    const r = await runConsumer({ ...base, pactFiles: EXAMPLE_PACT, ci: { ...PR, serverUrl: 'https://github.com', repository: 'o/r', runId: '42' } });
    expect(r.verdict).toBe('pass');
    expect(broker.calls()).toEqual(['POST /contracts/publish']);
    const sent = broker.requests.find((x) => x.path === '/contracts/publish')!;
    expect(sent.auth).toBe(`Bearer ${broker.token}`);
    expect(sent.body).toMatchObject({
      pacticipantName: 'petstore-web',
      pacticipantVersionNumber: '1a2b3c4d',
      branch: 'feature/cats',
      buildUrl: 'https://github.com/o/r/actions/runs/42',
      contracts: [{ consumerName: 'petstore-web', providerName: 'petstore-api', specification: 'pact', contentType: 'application/json' }],
    });
    expect(JSON.stringify(sent.body)).not.toMatch(/refs\/pull|f00dmerge/);
    // The content is the pact file, byte for byte.
    const { readFileSync } = await import('node:fs');
    expect(Buffer.from(sent.body.contracts[0].content, 'base64').toString('utf8')).toBe(readFileSync(`${ROOT}/${EXAMPLE_PACT}`, 'utf8'));
    expect(r.notices).toEqual([expect.objectContaining({ type: 'success' })]);
    expect(r.interactions).toHaveLength(4);
  });

  test('on a push: the pushed commit and branch; tags when asked', async () => {
    await runConsumer({ ...base, pactFiles: EXAMPLE_PACT, ci: PUSH, tags: 'rc\nblue' });
    expect(broker.requests.find((x) => x.path === '/contracts/publish')!.body).toMatchObject({ pacticipantVersionNumber: '9f8e7d6c', branch: 'main', tags: ['rc', 'blue'] });
  });

  test('publishing again is idempotent: one publication, the broker says nothing changed', async () => {
    await runConsumer({ ...base, pactFiles: EXAMPLE_PACT, ci: PUSH });
    const again = await runConsumer({ ...base, pactFiles: EXAMPLE_PACT, ci: PUSH });
    expect(again.verdict).toBe('pass');
    expect(broker.publications).toHaveLength(1);
    expect(again.notices?.[0]?.text).toMatch(/has not changed/);
  });

  test('changed pact content for an already published version is refused with the reason', async () => {
    await runConsumer({ ...base, pactFiles: EXAMPLE_PACT, ci: PUSH });
    const d = tempDir({ 'pact.json': pactText([{ description: 'other', request: { method: 'GET', path: '/' }, response: { status: 200 } }], { consumer: { name: 'petstore-web' }, provider: { name: 'petstore-api' } }) });
    const e = await rejection(runConsumer({ ...base, cwd: d, pactFiles: 'pact.json', ci: PUSH }));
    expect(e).toBeInstanceOf(BrokerError);
    expect(e.message).toMatch(/HTTP 409: Cannot change the content.*publish changed pacts under a new version/);
  });

  test('no version to publish under is an input error', async () => {
    expect((await rejection(runConsumer({ ...base, pactFiles: EXAMPLE_PACT, ci: {} }))).message).toMatch(/^version: required to publish/);
  });

  test('without a broker the pacts are only checked (nothing sent)', async () => {
    const r = await runConsumer({ cwd: ROOT, pactFiles: EXAMPLE_PACT });
    expect(r.verdict).toBe('pass');
    expect(broker.requests).toEqual([]);
  });
});

describe('broker failures are clear errors, never a pass', () => {
  afterEach(() => {
    broker.fail = undefined;
  });
  test('401: names the token', async () => {
    const e = await rejection(runConsumer({ ...base, brokerToken: 'wrong', pactFiles: EXAMPLE_PACT, ci: PUSH }));
    expect(e.message).toBe(`Pact Broker at ${broker.url}: GET / answered HTTP 401: not authenticated: check broker-token (or broker-username/broker-password)`);
    expect(e.message).not.toContain('wrong');
  });
  test('500: retried a bounded number of times, then an error with the broker\'s message', async () => {
    broker.fail = 500;
    const e = await rejection(runCanIDeploy({ ...base, pacticipant: 'petstore-web', version: 'x', toEnvironment: 'production' }));
    expect(e.message).toMatch(/answered HTTP 500: planted failure 500 \(after 3 attempts\)$/);
    expect(broker.requests).toHaveLength(3);
  });
  test('no answer: a timeout error', async () => {
    broker.fail = 'hang';
    const e = await rejection(runCanIDeploy({ ...base, brokerTimeout: '0.2', pacticipant: 'petstore-web', version: 'x', toEnvironment: 'production' }));
    expect(e.message).toMatch(/GET \/can-i-deploy\?pacticipant=petstore-web&version=x&environment=production failed: no answer within 0\.2 s \(after 3 attempts\)/);
  });
  test('a broker URL that is not a URL', async () => {
    expect((await rejection(runCanIDeploy({ ...base, brokerUrl: 'broker.example', pacticipant: 'a', version: 'b', toEnvironment: 'c' }))).message).toMatch(
      /^broker-url: 'broker\.example' is not a URL/,
    );
  });
});

describe('can-i-deploy', () => {
  async function publishAndVerify(success: boolean | undefined) {
    await runConsumer({ ...base, pactFiles: EXAMPLE_PACT, ci: PUSH });
    broker.deployments.push({ pacticipant: 'petstore-api', version: 'p1', environment: 'production' });
    if (success !== undefined) broker.verifications.push({ provider: 'petstore-api', providerVersion: 'p1', consumer: 'petstore-web', sha: broker.publications[0]!.sha, success, body: {} });
    broker.requests = [];
  }
  const ask = (extra: ContractInputs = {}) => runCanIDeploy({ ...base, pacticipant: 'petstore-web', version: '9f8e7d6c', toEnvironment: 'production', ...extra });

  test('verified by the deployed provider: deployable, with the matrix', async () => {
    await publishAndVerify(true);
    const r = await ask();
    expect(r).toMatchObject({ verdict: 'pass', deployable: true, findings: [] });
    expect(r.matrix).toEqual([{ consumer: 'petstore-web', consumerVersion: '9f8e7d6c', provider: 'petstore-api', providerVersion: 'p1', success: true, verificationUrl: expect.any(String) }]);
    const q = broker.requests[0]!;
    expect(q.path).toBe('/can-i-deploy');
    expect(Object.fromEntries(q.query)).toEqual({ pacticipant: 'petstore-web', version: '9f8e7d6c', environment: 'production' });
  });

  test('a failed verification: not deployable, a finding naming both versions', async () => {
    await publishAndVerify(false);
    const r = await ask();
    expect(r).toMatchObject({ verdict: 'fail', deployable: false });
    expect(r.findings).toEqual([expect.objectContaining({ id: 'verification-failed', message: 'petstore-api p1 failed to verify the pact of petstore-web 9f8e7d6c' })]);
  });

  test('unknown at first: asks again until the verification arrives (bounded)', async () => {
    await publishAndVerify(undefined);
    broker.onCanIDeploy = (n) => {
      if (n === 2) broker.verifications.push({ provider: 'petstore-api', providerVersion: 'p1', consumer: 'petstore-web', sha: broker.publications[0]!.sha, success: true, body: {} });
    };
    const r = await ask({ retryWhileUnknown: '5' });
    expect(r).toMatchObject({ verdict: 'pass', deployable: true });
    expect(broker.requests.filter((x) => x.path === '/can-i-deploy')).toHaveLength(3);
    expect(r.metrics?.['broker questions']).toBe(3);
  });

  test('still unknown after the retries: not deployable (fail), never a pass', async () => {
    await publishAndVerify(undefined);
    const r = await ask({ retryWhileUnknown: '2' });
    expect(r).toMatchObject({ verdict: 'fail', deployable: null });
    expect(broker.requests.filter((x) => x.path === '/can-i-deploy')).toHaveLength(3);
    expect(r.findings.map((f) => f.id)).toEqual(['verification-missing', 'deployability-unknown']);
  });

  test('ignore[] is sent for each ignored pacticipant', async () => {
    await publishAndVerify(false);
    const r = await ask({ ignore: 'petstore-api' });
    expect(broker.requests[0]!.query.getAll('ignore[]')).toEqual(['petstore-api']);
    expect(r).toMatchObject({ verdict: 'pass', deployable: true });
  });

  test('an unknown version or environment is an input error', async () => {
    expect((await rejection(ask())).message).toMatch(/can-i-deploy: the broker does not know petstore-web version 9f8e7d6c/);
    await publishAndVerify(true);
    expect((await rejection(ask({ toEnvironment: 'moon' }))).message).toMatch(/or environment 'moon'/);
  });

  test('required inputs', async () => {
    expect((await rejection(runCanIDeploy({ ...base, version: 'v' }))).message).toMatch(/^pacticipant: required/);
    expect((await rejection(runCanIDeploy({ ...base, pacticipant: 'a', version: 'v' }))).message).toMatch(/^to-environment: required/);
    expect((await rejection(runCanIDeploy({ ...base, pacticipant: 'a', version: 'v', toEnvironment: 'p', retryWhileUnknown: 'lots' }))).message).toMatch(
      /^retry-while-unknown: 'lots' is not a whole number/,
    );
  });
});

describe('record-deployment', () => {
  test('follows the version\'s pb:record-deployment link named after the environment', async () => {
    await runConsumer({ ...base, pactFiles: EXAMPLE_PACT, ci: PUSH });
    broker.requests = [];
    const r = await runRecordDeployment({ ...base, pacticipant: 'petstore-web', version: '9f8e7d6c', toEnvironment: 'production', applicationInstance: 'eu-1' });
    expect(r.verdict).toBe('pass');
    const env = broker.environments[0]!;
    expect(broker.calls()).toEqual(['GET /pacticipants/petstore-web/versions/9f8e7d6c', `POST /pacticipants/petstore-web/versions/9f8e7d6c/deployed-versions/environment/${env.uuid}`]);
    expect(broker.requests[1]!.body).toEqual({ applicationInstance: 'eu-1', target: 'eu-1' });
    expect(broker.deployments).toEqual([{ pacticipant: 'petstore-web', version: '9f8e7d6c', environment: 'production', applicationInstance: 'eu-1' }]);
  });

  test('an environment the broker does not have: an error listing the known ones', async () => {
    await runConsumer({ ...base, pactFiles: EXAMPLE_PACT, ci: PUSH });
    const e = await rejection(runRecordDeployment({ ...base, pacticipant: 'petstore-web', version: '9f8e7d6c', toEnvironment: 'staging' }));
    expect(e.message).toBe("environment: 'staging' is not an environment of this broker (known: production)");
  });

  test('an unpublished version', async () => {
    const e = await rejection(runRecordDeployment({ ...base, pacticipant: 'petstore-web', version: 'nope', toEnvironment: 'production' }));
    expect(e.message).toMatch(/does not know petstore-web version nope \(publish it first\)/);
  });
});
