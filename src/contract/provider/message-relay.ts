/**
 * Message interactions: Pact's verifier asks for each message through the verification proxy that
 * `@pact-foundation/pact` runs, which calls `messageProviders[description]`. This module (kept as
 * text, written next to the runner script) answers every description by relaying the verifier's
 * request to the provider's own message endpoint (`provider-messages-url`): POST
 * `{description, providerStates, request?}`, answered with the message as the body and its metadata
 * as base64 JSON in a `Pact-Message-Metadata` header, the protocol of Pact's message transport.
 *
 * Every call is recorded so that the gate learns which interactions were messages and how the
 * endpoint answered. Without an endpoint, or when it fails, the verifier gets a placeholder of its
 * own content type: the proxy would otherwise answer `{}`, which passes any message that expects an
 * empty body and would be published to the broker as verified.
 */
export const MESSAGE_RELAY_FILE = 'message-relay.mjs';

/** What the relay records per message the verifier asked for. */
export interface MessageCall {
  description: string;
  states: string[];
  outcome: 'relayed' | 'no-endpoint' | 'endpoint-error' | 'state-failed';
  /** For endpoint-error: what went wrong (`HTTP 404: …`, `ECONNREFUSED`). */
  detail?: string;
}

export const NOT_VERIFIED_CONTENT_TYPE = 'application/vnd.api-delivery.message-not-verified';

export const MESSAGE_RELAY_SCRIPT = String.raw`
const PLACEHOLDER_TYPE = ${JSON.stringify(NOT_VERIFIED_CONTENT_TYPE)};

export function messageRelay({ url, headers = {}, timeoutMs = 30000 }, calls) {
  const answer = async (m) => {
    const call = { description: String(m.description ?? ''), states: (m.providerStates ?? []).map((s) => String(s?.name ?? s)) };
    calls.push(call);
    // A provider state that could not be set up (runner-script.ts): the message is not asked for.
    const failed = globalThis.__apiDeliveryStateFailure;
    if (failed) {
      globalThis.__apiDeliveryStateFailure = undefined;
      call.outcome = 'state-failed';
      call.detail = "provider state '" + failed.state + "' could not be set up: " + failed.message;
      return placeholder(call.detail);
    }
    if (!url) {
      call.outcome = 'no-endpoint';
      return placeholder('no provider-messages-url was given');
    }
    try {
      const reply = await ask(url, headers, timeoutMs, m);
      call.outcome = 'relayed';
      return reply;
    } catch (e) {
      call.outcome = 'endpoint-error';
      call.detail = String(e?.message ?? e);
      return placeholder(call.detail);
    }
  };
  // Descriptions are only known when the verifier asks, so every string key answers. JSON.stringify
  // (pact logs its options) and promise checks must not mistake the map for something else.
  return new Proxy({}, { get: (_, key) => (typeof key !== 'string' || key === 'toJSON' || key === 'then' ? undefined : answer) });
}

function placeholder(reason) {
  return { __pactMessageMetadata: { contentType: PLACEHOLDER_TYPE }, message: Buffer.from('message not verified: ' + reason) };
}

async function ask(url, headers, timeoutMs, m) {
  const body = { description: m.description, providerStates: m.providerStates ?? [] };
  if (m.request) body.request = m.request;
  let res;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', accept: '*/*' },
      body: JSON.stringify(body),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (e) {
    const reason = e?.name === 'TimeoutError' ? 'no answer within ' + timeoutMs / 1000 + ' s' : (e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(e));
    throw new Error(url + ' could not be reached (' + reason + ')');
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  if (res.status < 200 || res.status > 299) {
    const text = bytes.toString('utf8').trim().slice(0, 200);
    throw new Error(url + ' answered HTTP ' + res.status + (text ? ': ' + text : ''));
  }
  const metadata = decodeMetadata(res.headers.get('pact-message-metadata'), url);
  const declared = metadata.contentType ?? metadata['content-type'] ?? metadata['Content-Type'];
  const httpType = res.headers.get('content-type');
  // The proxy sets the content type only from metadata; without one it sends a JSON value.
  if (declared) return { __pactMessageMetadata: metadata, message: bytes };
  if (!httpType || /[/+]json\b/i.test(httpType)) {
    try {
      return { __pactMessageMetadata: metadata, message: JSON.parse(bytes.toString('utf8')) };
    } catch {
      if (httpType) throw new Error(url + ' answered Content-Type ' + httpType + ' with a body that is not JSON');
    }
  }
  return { __pactMessageMetadata: { ...metadata, contentType: httpType || 'application/octet-stream' }, message: bytes };
}

function decodeMetadata(header, url) {
  if (!header) return {};
  try {
    const value = JSON.parse(Buffer.from(header, 'base64').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {}
  throw new Error(url + ' answered a Pact-Message-Metadata header that is not a base64-encoded JSON object');
}
`;
