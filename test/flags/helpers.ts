import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import type { Finding } from '../../src/kit/result.js';

const dirs: string[] = [];
export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A temporary folder holding the given files (path → content); returns its path. */
export function folder(files: Record<string, string>): string {
  const d = mkdtempSync(path.join(tmpdir(), 'flags-test-'));
  dirs.push(d);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    writeFileSync(path.join(d, f), text);
  }
  return d;
}

/** A git repository in the OS temp dir with `files` committed as one commit. */
export function gitRepo(files: Record<string, string>): string {
  const d = folder(files);
  const git = (...a: string[]) => execFileSync('git', a, { cwd: d, stdio: 'pipe' });
  git('init', '-q');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', 'add', '.');
  git('-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', 'commit', '-qm', 'base');
  return d;
}

/** The day every stale test judges against. */
export const TODAY = '2026-06-15';

export function spec(paths: string): string {
  return `openapi: 3.0.3\ninfo:\n  title: flags fixture\n  version: '1'\npaths:\n${paths}`;
}

/** The spec before the change: one operation, already behind a flag. */
export const BASE = spec(`  /pets:
    get:
      x-feature-flag: pets-list
      responses:
        '200': { description: ok }
  /pets/{petId}:
    get:
      responses:
        '200': { description: ok }
`);

/** The revision: new operations with every kind of x-feature-flag. */
export const REVISION = spec(`  /pets:
    get:
      x-feature-flag: pets-list
      responses:
        '200': { description: ok }
    post:
      responses:
        '201': { description: created }
  /pets/{id}:
    get:
      responses:
        '200': { description: ok }
    delete:
      x-feature-flag: pet-delete
      responses:
        '204': { description: gone }
  /pets/{id}/photos:
    x-feature-flag: pet-photos
    get:
      responses:
        '200': { description: ok }
    put:
      responses:
        '204': { description: stored }
  /owners:
    get:
      x-feature-flag: false
      responses:
        '200': { description: ok }
`);

export const FLAGS = `flags:
  - name: pets-list
    owner: '@acme/pets'
    created: 2026-01-10
    status: on
    on-since: 2026-02-01
  - name: pet-delete
    owner: '@acme/pets'
    created: 2026-06-01
    status: rolling-out
    remove-by: 2026-09-30
  - name: pet-photos
    owner: '@acme/media'
    created: 2026-06-10
    status: off
`;

/** 1-based line of the first line of `text` matching `re` after line `after`. */
export function lineOf(text: string, re: RegExp, after = 0): number {
  const lines = text.split('\n');
  for (let i = after; i < lines.length; i++) if (re.test(lines[i]!)) return i + 1;
  throw new Error(`no line matches ${re}`);
}

export function ids(findings: readonly Finding[]): string[] {
  return findings.map((f) => f.id).sort();
}

/** Through main(), as the bin runs it: exit code, stdout and stderr. */
export async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['flags', ...argv], (s) => (out += s), (s) => (err += s));
  return { code, out, err };
}
