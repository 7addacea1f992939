/**
 * What a push to one replica came to, as one word, and which of those words mean the replica holds
 * the pushed version or a newer one. The write path, retry queue and rebalancer count on these; the
 * metrics export them as labels.
 */
export const PUSH_OUTCOMES = ['ok', 'stale', 'expired', 'full', 'refused', 'invalid', 'failed'] as const
export type PushOutcome = (typeof PUSH_OUTCOMES)[number]
export const PUSH_KINDS = ['write', 'handoff'] as const
export type PushKind = (typeof PUSH_KINDS)[number]

/** Outcomes after which the replica holds this version or a newer one. */
export function holds(o: PushOutcome): boolean {
  return o === 'ok' || o === 'stale'
}
