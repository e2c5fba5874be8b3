import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkBreaking, type BreakingOptions, type BreakingResult } from '../../src/breaking/engine.js';

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
