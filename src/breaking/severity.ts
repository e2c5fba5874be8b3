import { InputError } from '../kit/errors.js';
import type { Level } from '../kit/result.js';
import { isRule } from './rules/registry.js';

const WORDS: Record<string, Level | null> = {
  err: 'error', error: 'error', warn: 'warning', warning: 'warning', info: 'info', none: null,
};

/**
 * oasdiff's severity-levels file: one `rule-id level` per line, level err|warn|info|none
 * (`none` drops the rule); `#` starts a comment.
 */
export function parseSeverityLevels(text: string, file: string): Map<string, Level | null> {
  const out = new Map<string, Level | null>();
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const parts = line.split(/\s+/);
    const where = `${file}:${i + 1}`;
    if (parts.length !== 2) throw new InputError(`${where}: expected 'rule-id level', got '${line}'`, { file, field: `line ${i + 1}` });
    const [id, word] = parts as [string, string];
    if (!isRule(id)) throw new InputError(`${where}: unknown rule id '${id}'`, { file, field: `line ${i + 1}` });
    const level = WORDS[word.toLowerCase()];
    if (level === undefined) throw new InputError(`${where}: level '${word}' is not one of err, warn, info, none`, { file, field: `line ${i + 1}` });
    out.set(id, level);
  });
  return out;
}
