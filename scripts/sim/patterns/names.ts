/**
 * The workload's patterns (from the seed document) and their default weights in the mix. Heartbeat
 * writes are driven by each worker's own refresh timer; its weight is the consumers' reads.
 */
export const PATTERN_NAMES = ['handoff', 'heartbeat', 'scratch', 'lock', 'state', 'dedup', 'broadcast'] as const
export type PatternName = (typeof PATTERN_NAMES)[number]

/** Dead drops and scratchpads dominate agent traffic; broadcasts are read-heavy, locks are sparse. */
export const DEFAULT_WEIGHTS: Readonly<Record<PatternName, number>> = Object.freeze({
  handoff: 20,
  heartbeat: 10,
  scratch: 20,
  lock: 10,
  state: 15,
  dedup: 10,
  broadcast: 15,
})
