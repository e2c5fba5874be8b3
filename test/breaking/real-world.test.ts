import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkBreaking } from '../../src/breaking/engine.js';
import { SHARED } from './helpers.js';

const rw = path.join(SHARED, 'corpus/real-world');
const have = existsSync(rw);
if (!have) console.warn(`real-world spec tests skipped: ${rw} not found (the shared corpus sits beside the checkout in CI)`);

const DO = 'specification/DigitalOcean-public.v2.yaml';
/** Consecutive versions of each API, with the operations the corpus README says were removed/added. */
const PAIRS: { name: string; base: string; rev: string; removed: number; added: number }[] = [
  { name: 'stripe 2021-06 → 2021-11', base: 'stripe/2021-06-10.json', rev: 'stripe/2021-11-12.json', removed: 0, added: 12 },
  { name: 'stripe 2021-11 → 2022-04', base: 'stripe/2021-11-12.json', rev: 'stripe/2022-04-12.json', removed: 0, added: 31 },
  { name: 'stripe 2023-03 → 2023-09 (YAML, folded $refs)', base: 'stripe/2023-03-10.yaml', rev: 'stripe/2023-09-12.yaml', removed: 0, added: 22 },
  { name: 'github 2021-02 → 2021-06 (example $refs to URLs)', base: 'github/2021-02-02.json', rev: 'github/2021-06-07.json', removed: 2, added: 39 },
  { name: 'github 2021-06 → 2021-10', base: 'github/2021-06-07.json', rev: 'github/2021-10-10.json', removed: 5, added: 29 },
  { name: 'box 2025-06 → 2025-12', base: 'box/2025-06-16.json', rev: 'box/2025-12-02.json', removed: 0, added: 0 },
  { name: 'box 2025-12 → 2026-06', base: 'box/2025-12-02.json', rev: 'box/2026-06-29.json', removed: 0, added: 15 },
  { name: 'twilio 2025-04 → 2025-07', base: 'twilio/2025-04-07.json', rev: 'twilio/2025-07-24.json', removed: 0, added: 0 },
  { name: 'twilio 2025-07 → 2025-10', base: 'twilio/2025-07-24.json', rev: 'twilio/2025-10-14.json', removed: 0, added: 0 },
  { name: 'digitalocean (2,500 files by relative $ref)', base: `digitalocean/2025-11-07/${DO}`, rev: `digitalocean/2026-05-01/${DO}`, removed: 0, added: 94 },
];

const REMOVALS = /^(api-path-removed|api-removed)-/;

(have ? describe : describe.skip)('real-world spec pairs all give a result', () => {
  for (const p of PAIRS) {
    it(p.name, () => {
      const r = checkBreaking(path.join(rw, p.base), path.join(rw, p.rev), { failOn: 'never' });
      expect(r.gate).toBe('breaking');
      const removed = new Set(r.findings.filter((f) => REMOVALS.test(f.id)).map((f) => f.operation));
      const added = new Set(r.findings.filter((f) => f.id === 'endpoint-added').map((f) => f.operation));
      expect(removed.size).toBe(p.removed);
      expect(added.size).toBe(p.added);
      // Every finding names where it is: an operation or a file line.
      for (const f of r.findings) expect(f.operation !== undefined || f.location?.line !== undefined).toBe(true);
    });
  }

  it("github's renamed compare endpoint ({base}...{head} → {basehead}) is a removal and an addition", () => {
    const r = checkBreaking(path.join(rw, 'github/2021-02-02.json'), path.join(rw, 'github/2021-06-07.json'), { failOn: 'never' });
    const removed = r.findings.filter((f) => REMOVALS.test(f.id)).map((f) => f.operation);
    expect(removed).toContain('GET /repos/{owner}/{repo}/compare/{base}...{head}');
  });
});
