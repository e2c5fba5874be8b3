import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_ASVS = path.resolve(ROOT, '../shared/formats/asvs');
export const HAVE_SHARED = existsSync(path.join(SHARED_ASVS, 'asvs-5.0.0-en.json'));
if (!HAVE_SHARED) console.log(`skipping the tests that need ${SHARED_ASVS} (the official ASVS exports): not present in this checkout`);

const dirs: string[] = [];
export function cleanup(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** A temporary repository root with the given files (path → content). */
export function repo(files: Record<string, string> = {}): string {
  const d = mkdtempSync(path.join(tmpdir(), 'asvs-test-'));
  dirs.push(d);
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
    writeFileSync(path.join(d, f), text);
  }
  return d;
}

/** A markdown checklist around table rows `[id, level, status, evidence, notes]`. */
export function markdown(rows: string[][], head = 'ASVS version: 5.0.0\nTarget level: 1\n'): string {
  return `# Checklist\n\n${head}\n| ID | Level | Status | Evidence | Notes |\n|---|---|---|---|---|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`;
}
