/**
 * Times re-replication after each churn event: from the event until a status sample shows the live
 * nodes holding at least R' × the keys the ledger knows are live and settled (Σ keys ≥ owed
 * replicas), on RESTORED_SAMPLES consecutive samples. Not restored within the deadline → a
 * `replication_not_restored` violation with the last sample's figures as evidence.
 *
 * This is a lower-bound check from key counts, the only view both in-process and process modes have:
 * extra copies (a stale replica not yet expired) can mask a missing one elsewhere; short-TTL keys that
 * are rewritten recover without re-replication, long-lived ones (dead drops, jobs) only by it.
 */
import type { Sample } from './sampler.js'
import type { ViolationLog } from './violations.js'

/** Time allowed to restore R replicas after an event. */
export const REPLICATION_DEADLINE_MS = 30_000
/** Consecutive samples that must show the replicas restored (one could be a lucky snapshot). */
export const RESTORED_SAMPLES = 2

export interface Tracked {
  /** Index of the churn event. */
  event: number
  /** ms since the workload start when the event began. */
  atMs: number
  /** ms after the event when restored; undefined while open or when not restored. */
  restoredAfterMs?: number
  /** Deficit (owed − held) in the first sample after the event. */
  deficitAfterEvent?: number
  state: 'open' | 'restored' | 'not_restored'
  streak: number
  firstOkAtMs?: number
}

export class ReplicationTracker {
  readonly tracked: Tracked[] = []
  private readonly violations: ViolationLog
  private readonly deadlineMs: number
  private last: Sample | undefined

  constructor(components: { violations: ViolationLog }, init: { deadlineMs?: number } = {}) {
    this.violations = components.violations
    this.deadlineMs = init.deadlineMs ?? REPLICATION_DEADLINE_MS
  }

  /** Starts timing churn event `event` (begun at `atMs` since the workload start). */
  track(event: number, atMs: number): Tracked {
    const t: Tracked = { event, atMs, state: 'open', streak: 0 }
    this.tracked.push(t)
    return t
  }

  get open(): number {
    return this.tracked.filter((t) => t.state === 'open').length
  }

  onSample(s: Sample): void {
    this.last = s
    const tMs = s.t * 1000
    const ok = s.sumKeys >= s.owedReplicas
    for (const t of this.tracked) {
      if (t.state !== 'open' || tMs < t.atMs) continue
      if (t.deficitAfterEvent === undefined) t.deficitAfterEvent = Math.max(0, s.owedReplicas - s.sumKeys)
      if (ok) {
        if (t.streak === 0) t.firstOkAtMs = tMs
        t.streak++
        if (t.streak >= RESTORED_SAMPLES) {
          t.state = 'restored'
          t.restoredAfterMs = Math.round(Math.max(0, (t.firstOkAtMs ?? tMs) - t.atMs))
        }
      } else t.streak = 0
      if (t.state === 'open' && tMs - t.atMs > this.deadlineMs) this.fail(t, s)
    }
  }

  /** Closes every open event at the end of the run: unrestored past its deadline → violation. */
  finish(nowMs: number): void {
    for (const t of this.tracked) {
      if (t.state !== 'open') continue
      if (nowMs - t.atMs >= this.deadlineMs && this.last) this.fail(t, this.last)
    }
  }

  private fail(t: Tracked, s: Sample): void {
    t.state = 'not_restored'
    this.violations.add({
      kind: 'replication_not_restored',
      atMs: s.t * 1000,
      detail: {
        event: t.event,
        eventAtMs: t.atMs,
        deadlineMs: this.deadlineMs,
        live: s.live,
        rPrime: s.rPrime,
        heldReplicas: s.sumKeys,
        owedReplicas: s.owedReplicas,
        owedKeys: s.owedKeys,
        perNode: s.perNode.map((n) => `${n.name}:${n.keys}`).join(' '),
      },
    })
  }
}
