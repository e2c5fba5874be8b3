/** The checklist as it was at a base revision, read with `git show` (never checked out). */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { InputError } from '../kit/errors.js';
import { parseChecklist, type Checklist } from './checklist.js';

const MAX_BYTES = 16 * 1024 * 1024;

/**
 * Read `checklist` (an absolute path) at `ref`. Undefined when the file did not exist there yet;
 * an unknown revision or a git failure is an input error.
 */
export function readBaseChecklist(ref: string, checklist: string, shownAs: string): Checklist | undefined {
  const rev = ref.trim();
  if (!rev || rev.startsWith('-') || /[\s:]/.test(rev)) {
    throw new InputError(`base: '${ref}' is not a git revision (e.g. origin/main or a commit SHA)`, { field: 'base' });
  }
  const dir = path.dirname(checklist);
  let out: Buffer;
  try {
    out = execFileSync('git', ['show', '--end-of-options', `${rev}:./${path.basename(checklist)}`], {
      cwd: dir,
      maxBuffer: MAX_BYTES,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    const err = e as { stderr?: Buffer; code?: string };
    const why = err.stderr?.toString().trim().split('\n')[0] ?? (e as Error).message;
    if (/does not exist in|exists on disk, but not in/.test(why)) return undefined;
    throw new InputError(`base: cannot read ${shownAs} at '${rev}' with git: ${why} (check out with fetch-depth: 0)`, { field: 'base' });
  }
  return parseChecklist(out.toString('utf8'), `${rev}:${shownAs}`);
}
