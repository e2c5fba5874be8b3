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

/**
 * A service the gate talks to (GitHub, a Pact Broker, a webhook) refused or did not answer after the
 * allowed retries. Like bad input it exits 2: the job cannot run as configured (URL, token, access);
 * it is neither a verdict on the API nor a bug of ours.
 */
export class ServiceError extends InputError {
  constructor(message: string, opts: { file?: string; field?: string } = {}) {
    super(message, opts);
    this.name = 'ServiceError';
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
