/** Stable probe ids a checklist row can cite as evidence. */
export const PROBE_IDS = ['probe:rate-limit', 'probe:auth', 'probe:headers', 'probe:error-leak'] as const;
export type ProbeId = (typeof PROBE_IDS)[number];

export function isProbeId(s: string): s is ProbeId {
  return (PROBE_IDS as readonly string[]).includes(s);
}
