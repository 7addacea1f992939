/**
 * Invariant violations: each counted by kind and kept with its evidence (key, node, versions, times)
 * for the report. The list is bounded; counts are not.
 */
export const VIOLATION_KINDS = [
  /** An acknowledged, unexpired write was not found (404) by a read that started after the 201. */
  'missing',
  /** A live node answered a read of an acknowledged, unexpired write with an error instead of a value. */
  'unreadable',
  /** A read returned an older version than one acknowledged before the read started. */
  'stale',
  /** A read that started after the value's writer-side expiry (+ tolerance) returned it. */
  'expired_read',
  /** A read returned bytes no write of this run produced, or produced under another key. */
  'corrupt',
  /** A stopped heartbeat's key was still readable after its TTL (+ tolerance). */
  'heartbeat_alive',
  /** A stopped heartbeat's key was still listed after its TTL (+ tolerance). */
  'heartbeat_listed',
  /** After a churn event the replicas held did not return to R × live keys within the deadline. */
  'replication_not_restored',
] as const
export type ViolationKind = (typeof VIOLATION_KINDS)[number]

export interface Violation {
  kind: ViolationKind
  /** ms since the workload started. */
  atMs: number
  key?: string
  node?: string
  detail: Record<string, unknown>
}

/** Evidence kept per run: enough to diagnose, bounded so a broken mesh cannot exhaust memory. */
export const MAX_VIOLATIONS_KEPT = 500

export class ViolationLog {
  readonly counts: Record<ViolationKind, number> = Object.fromEntries(VIOLATION_KINDS.map((k) => [k, 0])) as Record<ViolationKind, number>
  readonly kept: Violation[] = []
  private readonly listeners: ((v: Violation) => void)[] = []

  add(v: Violation): void {
    this.counts[v.kind]++
    if (this.kept.length < MAX_VIOLATIONS_KEPT) this.kept.push(v)
    for (const l of this.listeners) l(v)
  }

  onViolation(listener: (v: Violation) => void): void {
    this.listeners.push(listener)
  }

  get total(): number {
    return Object.values(this.counts).reduce((s, n) => s + n, 0)
  }
}
