import { describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { formatParity, runParity } from '../../src/breaking/parity.js';
import { SHARED } from './helpers.js';

const corpus = path.join(SHARED, 'corpus/oasdiff-pairs');
const have = existsSync(corpus);
if (!have) console.warn(`parity tests skipped: ${corpus} not found (the shared corpus sits beside the checkout in CI)`);

/** The floor measured when it was last raised; it may only go up. */
const FLOOR = 349;

(have ? describe : describe.skip)('parity with oasdiff on its own test corpus', () => {
  const report = have ? runParity(corpus) : undefined;

  it('gives a result for every one of the 269 pairs', () => {
    expect(report!.cases).toBe(269);
    expect(report!.errors).toEqual([]);
    expect(report!.casesWithResult).toBe(269);
  });

  it(`meets at least ${FLOOR} of the 355 expectations`, () => {
    expect(report!.expectations).toBe(355);
    if (report!.met < FLOOR) console.log(formatParity(report!, true));
    expect(report!.met).toBeGreaterThanOrEqual(FLOOR);
  });
});
