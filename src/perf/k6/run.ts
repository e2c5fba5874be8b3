/**
 * Run a k6 script so that it leaves a summary JSON the gate can read.
 *
 * `--summary-export FILE` is written by every k6 release from 0.x to 2.2.0 (legacy shape by default,
 * the machine-readable 1.0.0 shape when K6_NEW_MACHINE_READABLE_SUMMARY=true, k6 ≥ 1.5), and k6 writes
 * it even when the script defines handleSummary(). With `--summary-mode=disabled` (k6 ≥ 1.3) there is
 * no summary at all, so the gate refuses that flag in extra arguments. `--out json=FILE` adds the raw
 * sample stream (all versions), from which any percentile and tag can be computed.
 */
import { spawn } from 'node:child_process';
import { InputError } from '../../kit/errors.js';

export interface K6RunOptions {
  k6: string;
  script: string;
  summaryFile: string;
  ndjsonFile?: string;
  extraArgs?: string[];
  env: Record<string, string | undefined>;
  cwd: string;
  /** Each line k6 prints (progress, logs). */
  onLine?: (line: string) => void;
}

export function k6Args(o: Pick<K6RunOptions, 'script' | 'summaryFile' | 'ndjsonFile' | 'extraArgs'>): string[] {
  const extra = o.extraArgs ?? [];
  for (const a of extra) {
    if (/^--summary-mode(=|$)/.test(a) && extra.join(' ').includes('disabled')) throw new InputError('k6-args: --summary-mode=disabled leaves no summary to judge', { field: 'k6-args' });
    if (a === '--no-summary') throw new InputError('k6-args: --no-summary leaves no summary to judge (and k6 2.x removed the flag)', { field: 'k6-args' });
    if (/^--summary-export(=|$)/.test(a)) throw new InputError('k6-args: --summary-export is set by the gate', { field: 'k6-args' });
  }
  const args = ['run', '--summary-export', o.summaryFile];
  if (o.ndjsonFile) args.push('--out', `json=${o.ndjsonFile}`);
  return [...args, ...extra, o.script];
}

/** Spawn k6; resolves to its exit code (a signal counts as 105, as k6 reports an external abort). */
export function runK6(o: K6RunOptions): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(o.k6, k6Args(o), {
      cwd: o.cwd,
      env: { K6_NO_USAGE_REPORT: 'true', ...o.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines = (stream: NodeJS.ReadableStream) => {
      let rest = '';
      stream.setEncoding('utf8');
      stream.on('data', (d: string) => {
        const parts = (rest + d).split(/\r?\n|\r/);
        rest = parts.pop() ?? '';
        for (const p of parts) if (p.trim()) o.onLine?.(p);
      });
      stream.on('end', () => rest.trim() && o.onLine?.(rest));
    };
    lines(child.stdout!);
    lines(child.stderr!);
    child.on('error', (e) => reject(new InputError(`k6: could not start ${o.k6}: ${e.message}`, { field: 'k6-version' })));
    child.on('close', (code, signal) => resolve(code ?? (signal ? 105 : 255)));
  });
}
