/** The ASVS standard as facts: versions, versioned ids, levels, chapters and sections, the 4.0.3 ↔ 5.0.0 mapping. */
import { ASVS_FACTS, MAPPING_4_0_3_TO_5_0_0, MAPPING_5_0_0_TO_4_0_3 } from './catalog-facts.js';

export type AsvsVersion = '4.0.3' | '5.0.0';
export const VERSIONS: readonly AsvsVersion[] = ['4.0.3', '5.0.0'];
export const LATEST: AsvsVersion = '5.0.0';
export type AsvsLevel = 1 | 2 | 3;

export function isVersion(v: string): v is AsvsVersion {
  return (VERSIONS as readonly string[]).includes(v);
}

/** One requirement as the standard lists it (no text). */
export interface Requirement {
  /** Canonical versioned id, `v5.0.0-6.2.1`. */
  id: string;
  version: AsvsVersion;
  /** `6.2.1` */
  number: string;
  chapter: number;
  chapterName: string;
  section: string;
  sectionName: string;
  /** Minimum level; 0 for a deleted 4.0.3 placeholder. */
  level: 0 | AsvsLevel;
}

export interface ParsedId {
  version: string;
  number: string;
}

/** `v5.0.0-6.2.1` → { version, number }; anything else (a bare `V6.2.1`, `6.2.1`) → undefined. */
export function parseVersionedId(text: string): ParsedId | undefined {
  const m = /^v(\d+\.\d+\.\d+)-(\d+\.\d+\.\d+)$/.exec(text.trim());
  return m ? { version: m[1]!, number: m[2]! } : undefined;
}

export function versionedId(version: string, number: string): string {
  return `v${version}-${number}`;
}

const cache = new Map<AsvsVersion, Map<string, Requirement>>();

/** Every requirement of a version (deleted placeholders included), in the standard's order. */
export function requirementsOf(version: AsvsVersion): Map<string, Requirement> {
  let map = cache.get(version);
  if (map) return map;
  map = new Map();
  ASVS_FACTS[version].forEach(([chapterName, sections], ci) => {
    sections.forEach(([sectionName, levels], si) => {
      [...levels].forEach((lv, ri) => {
        const number = `${ci + 1}.${si + 1}.${ri + 1}`;
        const id = versionedId(version, number);
        map!.set(id, {
          id,
          version,
          number,
          chapter: ci + 1,
          chapterName,
          section: `${ci + 1}.${si + 1}`,
          sectionName,
          level: Number(lv) as 0 | AsvsLevel,
        });
      });
    });
  });
  cache.set(version, map);
  return map;
}

export function findRequirement(id: string): Requirement | undefined {
  const p = parseVersionedId(id);
  if (!p || !isVersion(p.version)) return undefined;
  return requirementsOf(p.version).get(versionedId(p.version, p.number));
}

/** The requirements a level asks for (levels are cumulative: level 2 includes level 1). */
export function requiredAt(version: AsvsVersion, level: AsvsLevel): Requirement[] {
  return [...requirementsOf(version).values()].filter((r) => r.level >= 1 && r.level <= level);
}

export function chaptersOf(version: AsvsVersion): { chapter: number; name: string }[] {
  return ASVS_FACTS[version].map(([name], i) => ({ chapter: i + 1, name }));
}

/** The upstream mapping tag for an id of the other version, e.g. `MODIFIED, MOVED TO v5.0.0-6.1.3`. */
export function mappingTag(id: string): string | undefined {
  const p = parseVersionedId(id);
  if (!p) return undefined;
  const table = p.version === '4.0.3' ? MAPPING_4_0_3_TO_5_0_0 : p.version === '5.0.0' ? MAPPING_5_0_0_TO_4_0_3 : undefined;
  if (!table || !Object.prototype.hasOwnProperty.call(table, p.number)) return undefined;
  return table[p.number];
}

/**
 * Ids of `target` that an id of the other version moved, split or merged into (or is covered by).
 * The tags are free text, so any versioned id of the target version after a relation word counts.
 */
export function counterparts(id: string, target: AsvsVersion): string[] {
  const tag = mappingTag(id);
  if (!tag) return [];
  const found = tag.match(/v\d+\.\d+\.\d+-\d+\.\d+\.\d+/g) ?? [];
  return [...new Set(found.filter((x) => parseVersionedId(x)?.version === target))];
}
