import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isInputError } from '../kit/errors.js';
import type { Format } from '../kit/format/index.js';
import { checkOutputPath, parseFormat, writeTextFile } from '../kit/inputs.js';
import { EXIT } from '../kit/result.js';

/** What every subcommand shares: the common options, help, the report's format and destination, exit codes. */

export type Out = (s: string) => void;

/** The options every command takes besides its own. */
export const COMMON_OPTIONS = {
  'fail-on': { type: 'string' },
  format: { type: 'string' },
  output: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Strict parseArgs over a command's own options and the common ones; what it throws is a usage error. */
export function parseCommand<const O extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: O, allowPositionals = true) {
  return parseArgs({ args: argv, allowPositionals, strict: true, options: { ...options, ...COMMON_OPTIONS } });
}

/** For a command that starts with a subcommand: nothing, --help, -h or help in its place asks for the help. */
export function isHelpWord(arg: string | undefined): arg is undefined | '' | '--help' | '-h' | 'help' {
  return !arg || arg === '--help' || arg === '-h' || arg === 'help';
}

export function printHelp(out: Out, help: string): number {
  out(help + '\n');
  return EXIT.pass;
}

/** --format read and --output checked before any work is done. */
export function reportFormat(values: { format?: string; output?: string }): Format {
  const format = parseFormat(values.format);
  checkOutputPath(values.output);
  return format;
}

/** Write the report to --output, else to stdout; the exit code follows the verdict. */
export function finish(result: { verdict: 'pass' | 'fail' }, text: string, output: string | undefined, out: Out): number {
  if (output) writeTextFile(output, text);
  else out(text);
  return result.verdict === 'pass' ? EXIT.pass : EXIT.fail;
}

/** Bad input or usage (exit 2) as opposed to a bug of ours (exit 3). */
export function isUsageError(e: unknown): e is Error {
  return isInputError(e) || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true;
}
