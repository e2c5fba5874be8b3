import type { GateResult } from '../kit/result.js';

/** One interaction's outcome, shown as a row of the job summary. */
export interface InteractionRow {
  consumer: string;
  provider: string;
  description: string;
  /** Provider states joined with ' and ' ('' when none). */
  state: string;
  /**
   * `pending` is a failure of a pending pact: reported, but it does not fail the build.
   * `not-verified`: a message interaction with no message endpoint to ask the provider.
   */
  result: 'pass' | 'fail' | 'pending' | 'not-verified';
  /** The pact file (and line of the interaction) where it is known. */
  file?: string;
  line?: number;
  /** Short reason for a failure. */
  detail?: string;
}

/** One row of the can-i-deploy matrix. */
export interface MatrixRow {
  consumer: string;
  consumerVersion: string;
  provider: string;
  providerVersion: string;
  /** true verified, false failed, null not verified yet. */
  success: boolean | null;
  verificationUrl?: string;
}

export type ContractMode = 'consumer' | 'provider' | 'compare' | 'can-i-deploy' | 'record-deployment';

/** The contract gate's GateResult: the common fields plus what its summary shows. */
export interface ContractResult extends GateResult {
  gate: 'contract';
  mode: ContractMode;
  interactions: InteractionRow[];
  /** can-i-deploy only. */
  deployable?: boolean | null;
  matrix?: MatrixRow[];
  reason?: string;
  /** Notices the broker sent (publish, can-i-deploy), in order. */
  notices?: { type: string; text: string }[];
}
