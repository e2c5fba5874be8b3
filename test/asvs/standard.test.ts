import { describe, expect, test } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { counterparts, findRequirement, parseVersionedId, requiredAt, requirementsOf } from '../../src/asvs/standard.js';
import { HAVE_SHARED, ROOT, SHARED_ASVS } from './helpers.js';

describe('embedded ASVS facts', () => {
  test('counts per level match the standard (cumulative levels)', () => {
    expect(requiredAt('5.0.0', 1)).toHaveLength(70);
    expect(requiredAt('5.0.0', 2)).toHaveLength(253);
    expect(requiredAt('5.0.0', 3)).toHaveLength(345);
    expect(requiredAt('4.0.3', 1)).toHaveLength(128);
    expect(requiredAt('4.0.3', 2)).toHaveLength(259);
    expect(requiredAt('4.0.3', 3)).toHaveLength(278);
  });

  test('a requirement knows its chapter, section and level', () => {
    expect(findRequirement('v5.0.0-6.2.1')).toMatchObject({ chapter: 6, chapterName: 'Authentication', section: '6.2', sectionName: 'Password Security', level: 1 });
    expect(findRequirement('v4.0.3-2.1.1')).toMatchObject({ chapterName: 'Authentication', level: 1 });
    expect(findRequirement('v4.0.3-1.4.2')?.level).toBe(0); // deleted placeholder
    expect(findRequirement('v5.0.0-99.1.1')).toBeUndefined();
    expect(findRequirement('v5.0.1-1.1.1')).toBeUndefined();
  });

  test('versioned ids parse; bare ones do not', () => {
    expect(parseVersionedId('v5.0.0-6.2.1')).toEqual({ version: '5.0.0', number: '6.2.1' });
    for (const bad of ['V6.2.1', '6.2.1', 'v5.0.0-6.2', 'v5-6.2.1', 'V5.0.0-6.2.1 x']) expect(parseVersionedId(bad)).toBeUndefined();
  });

  test('the 4.0.3 ↔ 5.0.0 mapping finds counterparts both ways', () => {
    expect(counterparts('v4.0.3-2.1.1', '5.0.0')).toEqual(['v5.0.0-6.2.1']);
    expect(counterparts('v5.0.0-6.2.1', '4.0.3')).toEqual(['v4.0.3-2.1.1']);
    expect(counterparts('v4.0.3-1.1.1', '5.0.0')).toEqual([]); // deleted, not in scope
  });

  test('the facts module holds no requirement text', () => {
    const text = readFileSync(path.join(ROOT, 'src/asvs/catalog-facts.ts'), 'utf8');
    expect(text).not.toMatch(/Verify that/i);
  });
});

(HAVE_SHARED ? describe : describe.skip)('facts agree with the official exports', () => {
  test('every 5.0.0 requirement of the export has the same id and level here, and nothing more', () => {
    const doc = JSON.parse(readFileSync(path.join(SHARED_ASVS, 'asvs-5.0.0-en.json'), 'utf8'));
    const ids: string[] = [];
    for (const c of doc.Requirements) for (const s of c.Items) for (const r of s.Items) {
      const id = `v5.0.0-${r.Shortcode.slice(1)}`;
      ids.push(id);
      expect(findRequirement(id)?.level).toBe(Number(r.L));
      expect(findRequirement(id)?.sectionName).toBe(s.Name);
    }
    expect(ids.sort()).toEqual([...requirementsOf('5.0.0').keys()].sort());
  });

  test('4.0.3 levels come from the Required flags', () => {
    const doc = JSON.parse(readFileSync(path.join(SHARED_ASVS, 'asvs-4.0.3-en.json'), 'utf8'));
    let n = 0;
    for (const c of doc.Requirements) for (const s of c.Items) for (const r of s.Items) {
      const min = r.L1.Required ? 1 : r.L2.Required ? 2 : r.L3.Required ? 3 : 0;
      expect(findRequirement(`v4.0.3-${r.Shortcode.slice(1)}`)?.level).toBe(min);
      n++;
    }
    expect(n).toBe(286);
  });

  test('no description of the export appears in the source', () => {
    const doc = JSON.parse(readFileSync(path.join(SHARED_ASVS, 'asvs-5.0.0-en.json'), 'utf8'));
    const src = readFileSync(path.join(ROOT, 'src/asvs/catalog-facts.ts'), 'utf8');
    for (const c of doc.Requirements) for (const s of c.Items) for (const r of s.Items) expect(src.includes(r.Description.slice(0, 40))).toBe(false);
  });
});
