import { afterEach, describe, expect, it } from '@jest/globals';
import { COMMANDS, main } from '../../src/cli/main.js';
import { InputError } from '../../src/kit/errors.js';

describe('main: one meaning per exit code', () => {
  afterEach(() => {
    delete COMMANDS.test;
  });
  const run = async (impl: () => number | Promise<number>) => {
    COMMANDS.test = { summary: 'test', help: 'test', run: impl };
    let err = '';
    const code = await main(['test'], () => {}, (s) => (err += s));
    return { code, err };
  };

  it('passes through the verdict of an async command', async () => {
    expect((await run(async () => 1)).code).toBe(1);
    expect((await run(async () => 0)).code).toBe(0);
  });

  it('bad input is 2, with the message and no stack', async () => {
    const r = await run(() => {
      throw new InputError("spec.yaml: field 'openapi' is missing");
    });
    expect(r).toEqual({ code: 2, err: "api-delivery test: spec.yaml: field 'openapi' is missing\n" });
  });

  it('a bug of ours is 3, never a verdict, with the stack to report', async () => {
    const r = await run(async () => {
      throw new TypeError('cannot read properties of undefined');
    });
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^api-delivery test: internal error: TypeError: cannot read properties of undefined\n\s+at /);
  });
});
