/**
 * Bad input or usage: the CLI exits 2 and the action fails with this message.
 * The message names the file and the field and says what was expected.
 */
export class InputError extends Error {
  readonly file?: string;
  readonly field?: string;
  constructor(message: string, opts: { file?: string; field?: string } = {}) {
    super(message);
    this.name = 'InputError';
    this.file = opts.file;
    this.field = opts.field;
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
