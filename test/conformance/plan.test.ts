import { afterAll, describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { linkPlan, verifyPlan } from '../../src/conformance/plan.js';
import { cleanup, ROOT } from './helpers.js';

afterAll(cleanup);

const GOOD = `# API test plan: Shop API 1.0

## Scope
- Everything in shop.yaml

## Environments
| Environment | Base URL |
|---|---|
| staging | https://staging.shop.example |

## Entry criteria
- [x] Deployed

## Exit criteria
- [ ] Sign-off by product — Deferred: product owner signs off after the demo

## Test items
- [x] Statuses documented (conformance:status-documented)
- [x] No 5xx (conformance:no-server-error)
- [ ] Load — N/A: covered by the perf gate in the same workflow
`;

const ids = (text: string) => verifyPlan(text, 'plan.md').findings.map((f) => `${f.id}@${f.location?.line}`);

describe('test plan verification', () => {
  test('a filled-in plan passes and its items are read with their lines and check ids', () => {
    const plan = verifyPlan(GOOD, 'plan.md');
    expect(plan.findings).toEqual([]);
    expect(plan.environments).toEqual(['staging.shop.example']);
    expect(plan.items.map((i) => [i.line, i.checked, i.checks])).toEqual([
      [12, true, []],
      [15, false, []],
      [18, true, ['status-documented']],
      [19, true, ['no-server-error']],
      [20, false, []],
    ]);
  });

  test('the template as shipped fails: placeholders and unjustified items, each on its line', () => {
    const text = readFileSync(path.join(ROOT, 'templates/Test-plan.md'), 'utf8');
    const found = ids(text);
    expect(found).toContain('test-plan-placeholder@1');
    expect(found.filter((f) => f.startsWith('test-plan-item-unjustified')).length).toBe(14);
    // Guidance in HTML comments is not checked.
    expect(found.some((f) => f.startsWith('test-plan-placeholder@5'))).toBe(false);
  });

  test('the example plan for the Petstore passes', () => {
    const text = readFileSync(path.join(ROOT, 'examples/conformance/Test-plan.md'), 'utf8');
    expect(verifyPlan(text, 'Test-plan.md').findings).toEqual([]);
  });

  test('missing and empty sections, lists without environments, short justifications, unknown checks', () => {
    expect(ids(GOOD.replace('## Scope\n- Everything in shop.yaml\n', ''))).toEqual(['test-plan-section-missing@1']);
    expect(ids(GOOD.replace('- Everything in shop.yaml\n', ''))).toEqual(['test-plan-section-empty@3']);
    expect(ids(GOOD.replace('| staging | https://staging.shop.example |\n', ''))).toEqual(['test-plan-environment-missing@6']);
    expect(ids(GOOD.replace('N/A: covered by the perf gate in the same workflow', 'N/A: later'))).toEqual(['test-plan-item-unjustified@20']);
    expect(ids(GOOD.replace('conformance:no-server-error', 'conformance:no-5xx'))).toEqual(['test-plan-unknown-check@19']);
    expect(ids(GOOD.replace('- Everything in shop.yaml', '- TODO'))).toEqual(['test-plan-placeholder@4']);
    const prose = GOOD.replace(/- \[.\] .*\n/g, (m) => (m.includes('Load') || m.includes('Statuses') || m.includes('No 5xx') ? '' : m)) + 'We test what we can.\n';
    expect(ids(prose)).toEqual(['test-plan-no-items@17']);
  });

  test('linking: a checked item whose check did not run is a finding; the base URL should be a listed environment', () => {
    const plan = verifyPlan(GOOD, 'plan.md');
    const ran = { 'status-documented': { passed: 10, failed: 1 } };
    const { links, findings } = linkPlan(plan, ran, 'http://127.0.0.1:8080');
    expect(links.map((l) => [l.item.line, l.results])).toEqual([
      [18, [{ check: 'status-documented', passed: 10, failed: 1, ran: true }]],
      [19, [{ check: 'no-server-error', passed: 0, failed: 0, ran: false }]],
    ]);
    expect(findings.map((f) => `${f.id}@${f.location?.line ?? ''}:${f.level}`)).toEqual(['test-plan-check-not-run@19:error', 'test-plan-environment-unlisted@:warning']);
    expect(linkPlan(plan, { 'status-documented': { passed: 1, failed: 0 }, 'no-server-error': { passed: 1, failed: 0 } }, 'https://staging.shop.example/v1').findings).toEqual([]);
  });
});
