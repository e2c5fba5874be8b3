import * as core from '@actions/core';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { formatAnnotations } from '../../kit/format/annotations.js';
import { formatMarkdown } from '../../kit/format/markdown.js';
import { formatSarif } from '../../kit/format/sarif.js';
import { isInputError } from '../../kit/errors.js';
import { countByLevel, EXIT, type GateResult } from '../../kit/result.js';

/** What every gate's action does with its result: annotations, summary, outputs, files. */
export async function publishResult(
  result: GateResult,
  opts: { title: string; resultFile?: string; sarifFile?: string; extraSummary?: string },
): Promise<{ resultFile: string; markdown: string }> {
  const annotations = formatAnnotations(result);
  for (const line of annotations.lines) process.stdout.write(line + '\n');
  const markdown = formatMarkdown(result, { title: opts.title, annotated: { shown: annotations.shown, total: annotations.total } });
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

/** Run an action body: bad input exits 2 with its message, a failed gate 1, an internal error 1 with the stack. */
export async function runAction(body: () => Promise<'pass' | 'fail'>): Promise<void> {
  try {
    const verdict = await body();
    if (verdict === 'fail') {
      core.setFailed('The gate failed: see the findings above and the job summary.');
      process.exitCode = EXIT.fail;
    }
  } catch (e) {
    if (isInputError(e)) {
      core.setFailed(e.message);
      process.exitCode = EXIT.usage;
      return;
    }
    core.setFailed(`internal error: ${(e as Error).stack ?? e}`);
    process.exitCode = EXIT.fail;
  }
}
