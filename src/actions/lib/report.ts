import * as core from '@actions/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ANNOTATIONS_PER_TYPE, formatAnnotations, type Annotations } from '../../kit/format/annotations.js';
import { formatMarkdown } from '../../kit/format/markdown.js';
import { formatSarif } from '../../kit/format/sarif.js';
import { isInputError } from '../../kit/errors.js';
import { countByLevel, EXIT, type Finding, type GateResult } from '../../kit/result.js';

/** What every gate's action does with its result: annotations, summary, outputs, files. */
export async function publishResult(
  result: GateResult,
  opts: {
    title: string;
    resultFile?: string;
    sarifFile?: string;
    extraSummary?: string;
    /** Where an annotation goes when that differs from the finding's location (paths from the repo root). */
    annotationFinding?: (f: Finding) => Finding;
    /** false: no annotations (another step of the workflow already annotates the same result). */
    annotate?: boolean;
  },
): Promise<{ resultFile: string; markdown: string }> {
  let markdown: string;
  if (opts.annotate === false) markdown = formatMarkdown(result, { title: opts.title });
  else {
    const annotated = opts.annotationFinding ? { ...result, findings: result.findings.map(opts.annotationFinding) } : result;
    const annotations = stepAnnotations(annotated);
    for (const line of annotations.lines) process.stdout.write(line + '\n');
    markdown = formatMarkdown(result, { title: opts.title, annotated: { shown: annotations.shown, total: annotations.total } });
  }
  if (process.env.GITHUB_STEP_SUMMARY) {
    await core.summary.addRaw(markdown + (opts.extraSummary ? `\n${opts.extraSummary}\n` : '')).write();
  }
  const resultFile = path.resolve(opts.resultFile || path.join(process.env.RUNNER_TEMP || '.', `${result.gate}-result.json`));
  mkdirSync(path.dirname(resultFile), { recursive: true });
  writeFileSync(resultFile, JSON.stringify(result, null, 2) + '\n');
  if (opts.sarifFile) {
    mkdirSync(path.dirname(path.resolve(opts.sarifFile)), { recursive: true });
    writeFileSync(opts.sarifFile, formatSarif(result));
  }
  const counts = countByLevel(result.findings);
  core.setOutput('verdict', result.verdict);
  core.setOutput('error-count', String(counts.error));
  core.setOutput('warning-count', String(counts.warning));
  core.setOutput('info-count', String(counts.info));
  core.setOutput('result-file', resultFile);
  return { resultFile, markdown };
}

/**
 * The finding annotations for this step. The runner keeps 10 error annotations per step, and a
 * failing gate adds one more of its own (`core.setFailed` in runAction prints `::error::`), so
 * a failing result leaves that message a slot: at most 9 finding errors, the rest counted in the
 * summary like any other overflow.
 */
export function stepAnnotations(result: GateResult): Annotations {
  const a = formatAnnotations(result);
  if (result.verdict !== 'fail') return a;
  const isError = (l: string) => l.startsWith('::error ');
  if (a.lines.filter(isError).length < ANNOTATIONS_PER_TYPE) return a;
  const last = a.lines.map(isError).lastIndexOf(true);
  const lines = a.lines.filter((_, i) => i !== last);
  return { ...a, lines, shown: lines.length, omitted: { ...a.omitted, error: a.omitted.error + 1 } };
}

/**
 * Run an action body: bad input exits 2 with its message, a failed gate 1, an internal error 3 with the
 * stack. `annotate()` false (asked once the body ran): a failed gate exits 1 without an error annotation.
 */
export async function runAction(body: () => Promise<'pass' | 'fail'>, annotate: () => boolean = () => true): Promise<void> {
  try {
    const verdict = await body();
    if (verdict === 'fail') {
      const message = 'The gate failed: see the findings above and the job summary.';
      if (annotate()) core.setFailed(message);
      else core.info(message);
      process.exitCode = EXIT.fail;
    }
  } catch (e) {
    if (isInputError(e)) {
      core.setFailed(e.message);
      process.exitCode = EXIT.usage;
      return;
    }
    core.setFailed(`internal error: ${(e as Error).stack ?? e}`);
    process.exitCode = EXIT.internal;
  }
}
