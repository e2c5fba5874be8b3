import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkBreaking, type BreakingOptions, type BreakingResult } from '../../src/breaking/engine.js';
import type { Finding } from '../../src/kit/result.js';

export const SHARED = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../../shared');

/** Write two spec texts to a temp dir and compare them with the engine. */
export function diffTexts(baseText: string, revText: string, opts: BreakingOptions = {}): BreakingResult {
  const dir = mkdtempSync(path.join(tmpdir(), 'breaking-'));
  const b = path.join(dir, 'base.yaml');
  const r = path.join(dir, 'revision.yaml');
  writeFileSync(b, baseText);
  writeFileSync(r, revText);
  return checkBreaking(b, r, { cwd: dir, failOn: 'error', ...opts });
}

/** Ids of the findings, sorted. */
export function ids(result: BreakingResult): string[] {
  return result.findings.map((f) => f.id).sort();
}

/** A minimal OpenAPI 3.0 document around one operation's YAML (indented under the method). */
export function specWith(pathsYaml: string, extra = '', version = '3.0.3'): string {
  return `openapi: ${version}\ninfo:\n  title: t\n  version: '1'\npaths:\n${pathsYaml}\n${extra}`;
}

/** The findings of a diff whose ids match `ids` (a family's rules). */
export function findingsMatching(baseText: string, revText: string, ids: RegExp): Finding[] {
  return diffTexts(baseText, revText).findings.filter((f) => ids.test(f.id));
}

/** [id, level] pairs, sorted. */
export function idLevels(findings: readonly Finding[]): [string, string][] {
  return findings.map((f) => [f.id, f.level] as [string, string]).sort();
}

/** 1-based line of the n-th line of `text` containing `needle`. */
export function lineOf(text: string, needle: string, nth = 1): number {
  const lines = text.split('\n');
  let seen = 0;
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === nth) return i + 1;
  throw new Error(`${needle} not found`);
}
