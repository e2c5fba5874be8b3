/**
 * GitHub workflow-command annotations (`::error file=…,line=…::message`).
 * The runner keeps only 10 annotations of each type per step, so we emit the worst first
 * and report how many of each type were left out.
 */
import { sortFindings, type Finding, type GateResult, type Level } from '../result.js';
import { isPosition, isUrl } from './common.js';

export type AnnotationType = 'error' | 'warning' | 'notice';

export interface Annotations {
  /** Workflow-command lines, without trailing newlines. */
  lines: string[];
  shown: number;
  total: number;
  omitted: Record<AnnotationType, number>;
}

export const ANNOTATIONS_PER_TYPE = 10;

const TYPE: Record<Level, AnnotationType> = { error: 'error', warning: 'warning', info: 'notice' };

/** Message (data) escaping; `%` first so the others are not escaped twice. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Property-value escaping: as for data, plus `:` and `,`. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function annotationTitle(f: Finding): string {
  return f.operation ? `${f.id} (${f.operation})` : f.id;
}

export function annotationLine(f: Finding): string {
  const props: string[] = [];
  const loc = f.location;
  let message = f.message;
  if (loc?.file && isUrl(loc.file)) {
    // A URL (a spec or pact read over HTTP) is no file of the checkout: the runner could not place it.
    message += ` (at ${isPosition(loc.line) ? `line ${loc.line} of ` : ''}${loc.file})`;
  } else if (loc?.file) {
    props.push(`file=${escapeProperty(loc.file)}`);
    if (isPosition(loc.line)) {
      props.push(`line=${loc.line}`);
      if (isPosition(loc.column)) props.push(`col=${loc.column}`);
    }
  }
  props.push(`title=${escapeProperty(annotationTitle(f))}`);
  return `::${TYPE[f.level]} ${props.join(',')}::${escapeData(message)}`;
}

export function formatAnnotations(result: GateResult, opts: { perType?: number } = {}): Annotations {
  const perType = Math.max(0, opts.perType ?? ANNOTATIONS_PER_TYPE);
  const used: Record<AnnotationType, number> = { error: 0, warning: 0, notice: 0 };
  const omitted: Record<AnnotationType, number> = { error: 0, warning: 0, notice: 0 };
  const lines: string[] = [];
  for (const f of sortFindings(result.findings)) {
    const type = TYPE[f.level];
    if (used[type] < perType) {
      used[type]++;
      lines.push(annotationLine(f));
    } else {
      omitted[type]++;
    }
  }
  return { lines, shown: lines.length, total: result.findings.length, omitted };
}
