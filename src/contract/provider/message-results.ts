import type { Finding } from '../../kit/result.js';
import type { InteractionRow } from '../model.js';
import type { PactFile } from '../pact-file.js';
import type { MessageCall } from './message-relay.js';

/** How one verified interaction relates to messages. */
export type MessageVerdict =
  | { kind: 'http' }
  | { kind: 'message'; call?: MessageCall }
  | { kind: 'not-verified' }
  | { kind: 'endpoint-error'; detail: string };

/**
 * Which interactions are messages: the local pact files say so by their type (v3 `messages`, v4
 * `…/Messages`); pacts from a broker or URL are known by the relay's calls. Calls are matched by
 * description and provider states, each call used once.
 */
export class MessageInteractions {
  private readonly unused: MessageCall[];
  constructor(
    private readonly pacts: readonly PactFile[] | undefined,
    calls: readonly MessageCall[],
    private readonly endpoint: string | undefined,
  ) {
    this.unused = [...calls];
  }

  verdictFor(consumer: string, description: string, states: string[]): MessageVerdict {
    const local = localType(this.pacts, consumer, description);
    const at = this.unused.findIndex((c) => c.description === description && c.states.join('\n') === states.join('\n'));
    const call = at >= 0 ? this.unused.splice(at, 1)[0] : undefined;
    const isMessage = local ? /Messages$/.test(local) : call !== undefined;
    if (!isMessage) return { kind: 'http' };
    if (!this.endpoint) return { kind: 'not-verified' };
    if (call?.outcome === 'endpoint-error') return { kind: 'endpoint-error', detail: call.detail ?? 'the message endpoint failed' };
    return { kind: 'message', call };
  }
}

function localType(pacts: readonly PactFile[] | undefined, consumer: string, description: string): string | undefined {
  for (const p of pacts ?? []) {
    if (p.consumer !== consumer) continue;
    const it = p.interactions.find((i) => i.description === description);
    if (it) return it.type;
  }
  return undefined;
}

/**
 * One finding for all message interactions nobody could ask the provider for: an error (a warning
 * when every one of them is in a pending pact), since the consumer relies on them and a pass would
 * let them reach production unchecked.
 */
export function notVerifiedFinding(unverified: readonly { row: InteractionRow; pending: boolean }[]): Finding | undefined {
  const n = unverified.length;
  if (n === 0) return undefined;
  const named = unverified.slice(0, 5).map(({ row }) => `${row.consumer}: '${row.description}'`);
  const first = unverified.find(({ row }) => row.file)?.row;
  return {
    id: 'messages-not-verified',
    level: unverified.every((u) => u.pending) ? 'warning' : 'error',
    message:
      `${n} message interaction${n === 1 ? ' was' : 's were'} not verified (${named.join(', ')}${n > 5 ? `, and ${n - 5} more` : ''}): ` +
      "Pact asks the provider for each message through an HTTP endpoint of the provider's test setup; " +
      'set provider-messages-url (CLI: --provider-messages-url) to that endpoint',
    location: first?.file ? { file: first.file, line: first.line } : undefined,
    data: { interactions: unverified.map(({ row }) => ({ consumer: row.consumer, interaction: row.description, state: row.state })) },
  };
}
