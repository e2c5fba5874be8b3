import { statSync } from 'node:fs';
import { InputError } from '../kit/errors.js';
import { readTextFile } from '../kit/inputs.js';
import { locateJsonLines } from '../breaking/spec/json-locate.js';

/** Largest pact file accepted (real pacts are kilobytes; a broker rejects far smaller). */
export const MAX_PACT_BYTES = 16 * 1024 * 1024;

export type PactSpecVersion = '1' | '2' | '3' | '4';

/** One interaction (or v3 message) as the gate shows it. */
export interface PactInteraction {
  /** `interactions` or `messages` (a v3 message pact). */
  list: 'interactions' | 'messages';
  index: number;
  description: string;
  /** Provider state names, in order (v2 `providerState` or v3/v4 `providerStates`). */
  states: string[];
  /** v4 interaction type; `Synchronous/HTTP` for older HTTP pacts, `Asynchronous/Messages` for v3 messages. */
  type: string;
  /** 1-based line of the interaction in the file. */
  line?: number;
}

export interface PactFile {
  /** Path as given (shown to users). */
  file: string;
  text: string;
  json: Record<string, unknown>;
  consumer: string;
  provider: string;
  specVersion: PactSpecVersion;
  interactions: PactInteraction[];
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Read and check one pact file: JSON, names consumer and provider, a known specification version. */
export function readPactFile(file: string, absPath: string = file): PactFile {
  let size: number;
  try {
    size = statSync(absPath).size;
  } catch {
    throw new InputError(`${file}: pact file not found`, { file });
  }
  if (size > MAX_PACT_BYTES) throw new InputError(`${file}: ${(size / 1048576).toFixed(1)} MB is larger than a pact file can be (16 MB)`, { file });
  return parsePact(readTextFile(absPath, 'pact'), file);
}

export function parsePact(text: string, file: string): PactFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not a pact file: not valid JSON (${(e as Error).message})`, { file });
  }
  if (!isObj(json)) throw new InputError(`${file}: not a pact file: expected a JSON object at the top level`, { file });
  const consumer = nameOf(json, 'consumer', file);
  const provider = nameOf(json, 'provider', file);
  const specVersion = specVersionOf(json, file);
  const hasMessages = Array.isArray(json.messages);
  const raw = hasMessages ? json.messages : json.interactions;
  const list = hasMessages ? 'messages' : 'interactions';
  if (!Array.isArray(raw)) {
    throw new InputError(`${file}: field 'interactions' is ${raw === undefined ? 'missing' : 'not a list'}: expected a list of interactions`, {
      file,
      field: 'interactions',
    });
  }
  const interactions: PactInteraction[] = raw.map((it, index) => {
    if (!isObj(it)) throw new InputError(`${file}: ${list}[${index}] is not an object`, { file, field: `${list}[${index}]` });
    if (typeof it.description !== 'string') {
      throw new InputError(`${file}: ${list}[${index}].description is missing: every interaction needs a description`, {
        file,
        field: `${list}[${index}].description`,
      });
    }
    return {
      list,
      index,
      description: it.description,
      states: statesOf(it),
      type: typeof it.type === 'string' ? it.type : hasMessages ? 'Asynchronous/Messages' : 'Synchronous/HTTP',
    };
  });
  const lines = locateJsonLines(
    text,
    interactions.map((i) => [i.list, String(i.index)]),
  );
  interactions.forEach((i, n) => (i.line = lines[n]));
  return { file, text, json, consumer, provider, specVersion, interactions };
}

function nameOf(json: Record<string, unknown>, field: 'consumer' | 'provider', file: string): string {
  const v = json[field];
  const name = isObj(v) ? v.name : undefined;
  if (typeof name !== 'string' || name.trim() === '') {
    throw new InputError(`${file}: field '${field}.name' is missing: a pact names its ${field}`, { file, field: `${field}.name` });
  }
  return name;
}

/** `metadata.pactSpecification.version` (pact-js, pact-jvm 3+) or `metadata['pact-specification'].version` (older writers). */
function specVersionOf(json: Record<string, unknown>, file: string): PactSpecVersion {
  const meta = isObj(json.metadata) ? json.metadata : {};
  const spec = isObj(meta.pactSpecification) ? meta.pactSpecification : isObj(meta['pact-specification']) ? meta['pact-specification'] : undefined;
  const version = spec?.version ?? meta.pactSpecificationVersion;
  if (version === undefined) return Array.isArray(json.messages) ? '3' : '2';
  const m = /^(\d+)(\.|$)/.exec(String(version));
  const major = m?.[1];
  if (major === '1' || major === '2' || major === '3' || major === '4') return major;
  throw new InputError(
    `${file}: field 'metadata.pactSpecification.version' is ${JSON.stringify(version)}: expected a Pact specification version 1.x to 4.x`,
    { file, field: 'metadata.pactSpecification.version' },
  );
}

function statesOf(it: Record<string, unknown>): string[] {
  if (Array.isArray(it.providerStates)) {
    return it.providerStates.map((s) => (isObj(s) && typeof s.name === 'string' ? s.name : String(s)));
  }
  if (typeof it.providerState === 'string' && it.providerState !== '') return [it.providerState];
  return [];
}
