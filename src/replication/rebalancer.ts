/**
 * Churn: when membership changes, every key this node holds is placed again under the new and the
 * previous membership. A replica that is new for a key receives it from the closest replica that
 * held it before and still does (one sender per key, not R); a node that is no longer a replica hands
 * its copy on and drops it (when the store can). On graceful leave the node hands every key to the
 * replica that takes its place. Expired records are never moved (the pusher checks the lifetime).
 *
 * Between membership changes, a copy can still land on a node that is not the key's replica: a writer
 * or a read repair whose view of the mesh lagged. Such arrivals are noted and re-checked at the first
 * check that comes at least SURPLUS_CHECK_MS after the arrival (a lagging view of our own has caught up
 * by then); if still not ours, the copy is handed to the key's replicas and dropped, so the mesh returns
 * to exactly R copies without waiting for the next join or death.
 */
import { setMaxListeners } from 'node:events'
import type { MemberPoint, Placement } from '../placement/placement.js'
import type { Clock } from '../shared/clock.js'
import type { Logger } from '../shared/logger.js'
import { compareVersions } from '../shared/version.js'
import type { RecordStore } from '../store/types.js'
import { holds } from './push-outcome.js'
import type { Pusher } from './pusher.js'

/** Pushes in flight at once during a rebalance (bounds memory and the burst on peers). */
export const REBALANCE_CONCURRENCY = 64
/** A copy received while this node is not the key's replica is re-checked after this long (views settle within the rebalance debounce). */
export const SURPLUS_CHECK_MS = 5_000
/** Keys awaiting that check; past it further arrivals wait for the next membership change (bounded memory under a flood). */
export const MAX_SURPLUS_TRACKED = 65_536

/** Keys whose handoff to some replica failed and is retried; past it the oldest is forgotten (logged). */
export const MAX_REPAIRS_TRACKED = 65_536
/** First retry of a failed handoff push after this long; doubles per failure up to REPAIR_MAX_DELAY_MS. */
export const REPAIR_MIN_DELAY_MS = 250
export const REPAIR_MAX_DELAY_MS = 5_000

interface Repair {
  targets: Set<string>
  drop: boolean
  dueAt: number
  delay: number
}

export interface DroppableStore extends RecordStore {
  delete?(key: string): boolean
}

export class Rebalancer {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private again = false
  private prev: MemberPoint[] = []
  private stopped = true
  /** Possibly surplus keys noted during the current check period, and during the previous one (checked next). */
  private surplusNoted = new Set<string>()
  private surplusDue = new Set<string>()
  private surplusTimer: NodeJS.Timeout | undefined
  /** Completed rebalance runs (tests wait on this). */
  runs = 0
  /** Surplus checks and repair retries in flight (stop() and idle() wait for them). */
  private readonly background = new Set<Promise<void>>()
  /** Failed handoff pushes waiting for their retry, by key (bounded, oldest first). */
  private readonly repairs = new Map<string, Repair>()
  private repairTimer: NodeJS.Timeout | undefined
  /** Repairs forgotten because the table was full. */
  repairsDropped = 0

  constructor(
    private readonly c: {
      clock: Clock
      logger: Logger
      store: DroppableStore
      placement: Placement
      pusher: Pusher
      /** Membership changes schedule a rebalance (absent: the caller calls schedule()). */
      membership?: { on(event: 'changed', fn: () => void): unknown; off(event: 'changed', fn: () => void): unknown }
    },
    private readonly init: { selfId: string; debounceMs: number; surplusCheckMs?: number },
  ) {}

  private readonly onChanged = (): void => this.schedule()

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.prev = this.c.placement.snapshot()
    this.c.membership?.on('changed', this.onChanged)
  }

  async stop(): Promise<void> {
    this.c.membership?.off('changed', this.onChanged)
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.surplusTimer) clearTimeout(this.surplusTimer)
    this.surplusTimer = undefined
    if (this.repairTimer) clearTimeout(this.repairTimer)
    this.repairTimer = undefined
    this.repairs.clear()
    this.surplusNoted.clear()
    this.surplusDue.clear()
    await this.running
    await Promise.all(this.background)
  }

  /** Resolves once no rebalance run, surplus check or repair retry is in flight (timers may still be armed). */
  async idle(): Promise<void> {
    while (this.running || this.background.size > 0) {
      await this.running
      await Promise.all(this.background)
    }
  }

  private track(p: Promise<void>): void {
    this.background.add(p)
    void p.finally(() => this.background.delete(p))
  }

  /** Membership changed: rebalance once it has been quiet for the debounce period. */
  schedule(): void {
    if (this.stopped) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.kick()
    }, this.init.debounceMs)
  }

  private async kick(): Promise<void> {
    if (this.running) {
      this.again = true
      return
    }
    this.running = this.run().finally(() => {
      this.running = undefined
      this.runs++
      if (this.again && !this.stopped) {
        this.again = false
        void this.kick()
      }
    })
    await this.running
  }

  private async run(): Promise<void> {
    const prev = this.prev
    const next = this.c.placement.snapshot()
    this.prev = next
    const self = this.init.selfId
    const jobs: Array<() => Promise<void>> = []
    for (const meta of this.c.store.metas()) {
      const key = meta.key
      const now = this.c.placement.replicasFor(key, { members: next })
      const before = this.c.placement.replicasFor(key, { members: prev })
      const beforeIds = new Set(before.map((r) => r.peerId))
      const nowIds = new Set(now.map((r) => r.peerId))
      const fresh = now.filter((r) => !beforeIds.has(r.peerId) && !r.self)
      const selfNow = nowIds.has(self)
      if (selfNow) {
        if (fresh.length === 0) continue
        // One sender per key: the closest replica that was one before and still is.
        const sender = now.find((r) => beforeIds.has(r.peerId))
        if (sender && sender.peerId !== self) continue
        jobs.push(() =>
          this.hand(
            key,
            fresh.map((r) => r.peerId),
            false,
          ),
        )
      } else {
        const targets = beforeIds.has(self) ? fresh.map((r) => r.peerId) : now.map((r) => r.peerId)
        jobs.push(() => this.hand(key, targets, true))
      }
    }
    if (jobs.length > 0) this.c.logger.debug('rebalancing', { keys: jobs.length })
    await runLimited(jobs, REBALANCE_CONCURRENCY, () => this.stopped)
  }

  /** Keys noted as possibly surplus and not yet checked. */
  get surplusPending(): number {
    return this.surplusNoted.size + this.surplusDue.size
  }

  /** A peer stored `key` here: if this node is not one of its replicas, note it for the surplus check. */
  noteStored(key: string): void {
    if (this.stopped || this.surplusPending >= MAX_SURPLUS_TRACKED || this.surplusNoted.has(key) || this.surplusDue.has(key)) return
    if (this.c.placement.everyMemberIsReplica() || this.c.placement.replicasFor(key).some((r) => r.self)) return
    this.surplusNoted.add(key)
    this.armSurplus()
  }

  private armSurplus(): void {
    if (this.surplusTimer) return
    this.surplusTimer = setTimeout(() => this.track(this.surplusTick()), this.init.surplusCheckMs ?? SURPLUS_CHECK_MS)
    this.surplusTimer.unref()
  }

  /**
   * Checks the keys noted in the previous period (so each has waited at least one full period) and moves
   * this period's to the next check. Keys still not ours: make sure their replicas hold them, drop our copy.
   */
  private async surplusTick(): Promise<void> {
    this.surplusTimer = undefined
    const keys = this.surplusDue
    this.surplusDue = this.surplusNoted
    this.surplusNoted = new Set()
    if (this.surplusDue.size > 0) this.armSurplus()
    const jobs: Array<() => Promise<void>> = []
    for (const key of keys) {
      const replicas = this.c.placement.replicasFor(key)
      if (replicas.some((r) => r.self)) continue
      jobs.push(() =>
        this.hand(
          key,
          replicas.map((r) => r.peerId),
          true,
        ),
      )
    }
    if (jobs.length > 0) this.c.logger.debug('dropping surplus copies', { keys: jobs.length })
    await runLimited(jobs, REBALANCE_CONCURRENCY, () => this.stopped)
  }

  /** Graceful leave: hand every key to the replica that takes this node's place, within `signal`. */
  async leave(signal: AbortSignal): Promise<number> {
    // Every in-flight handoff push listens on this one deadline (and removes its listener when done):
    // up to REBALANCE_CONCURRENCY jobs × their targets, legitimately more than Node's default warning
    // threshold of 10. Past this bound a warning would mean a real leak.
    setMaxListeners(REBALANCE_CONCURRENCY * 4, signal)
    const jobs: Array<() => Promise<void>> = []
    let moved = 0
    for (const meta of this.c.store.metas()) {
      const key = meta.key
      const with_ = this.c.placement.replicasFor(key)
      if (!with_.some((r) => r.self)) continue
      const without = this.c.placement.replicasFor(key, { excludeSelf: true })
      const withIds = new Set(with_.map((r) => r.peerId))
      const targets = without.filter((r) => !withIds.has(r.peerId)).map((r) => r.peerId)
      if (targets.length === 0) continue
      jobs.push(async () => {
        const rec = this.c.store.get(key)
        if (!rec) return
        const outs = await Promise.all(targets.map((t) => this.c.pusher.push(t, rec, { handoff: true, signal })))
        if (outs.some(holds)) moved++
      })
    }
    await runLimited(jobs, REBALANCE_CONCURRENCY, () => signal.aborted)
    return moved
  }

  /** Handoffs waiting for a retry (tests and metrics). */
  get repairsPending(): number {
    return this.repairs.size
  }

  /**
   * Pushes `key` to `targets`; a target that did not take it (a failed or refused push: busy, timed
   * out, just restarted) is retried with backoff for as long as it is still one of the key's replicas
   * and the key lives — restoring R copies after a death does not depend on every first push landing.
   */
  private async hand(key: string, targets: string[], drop: boolean, lastDelay?: number): Promise<void> {
    const rec = this.c.store.get(key)
    if (!rec || targets.length === 0) return
    const outs = await Promise.all(targets.map((t) => this.c.pusher.push(t, rec, { handoff: true })))
    const missed = targets.filter((_t, i) => !holds(outs[i]) && outs[i] !== 'expired' && outs[i] !== 'invalid')
    if (missed.length > 0 && !this.stopped) this.retryLater(key, missed, drop, lastDelay)
    if (drop && outs.every(holds) && this.c.store.delete) {
      // Still not a replica under the membership of now? Then the copy is surplus — unless a newer
      // version landed here meanwhile (a writer may have counted it towards its quorum): that one stays.
      const held = this.c.store.get(key)
      if (held && compareVersions(held.version, rec.version) === 0 && !this.c.placement.replicasFor(key).some((r) => r.self)) this.c.store.delete(key)
    }
  }

  private retryLater(key: string, targets: string[], drop: boolean, lastDelay?: number): void {
    const prev = this.repairs.get(key)
    const last = prev?.delay ?? lastDelay
    const delay = last === undefined ? REPAIR_MIN_DELAY_MS : nextRepairDelay(last)
    const merged = new Set([...(prev?.targets ?? []), ...targets])
    this.repairs.delete(key)
    this.repairs.set(key, { targets: merged, drop: drop && (prev?.drop ?? true), dueAt: this.c.clock.now() + delay, delay })
    if (this.repairs.size > MAX_REPAIRS_TRACKED) {
      const oldest = this.repairs.keys().next()
      if (!oldest.done) this.repairs.delete(oldest.value)
      this.repairsDropped++
      this.c.logger.warn('handoff retry table full: forgot the oldest pending repair', { dropped: this.repairsDropped })
    }
    this.armRepair()
  }

  private armRepair(): void {
    if (this.repairTimer || this.stopped || this.repairs.size === 0) return
    this.repairTimer = setTimeout(() => this.track(this.repairTick()), REPAIR_MIN_DELAY_MS)
    this.repairTimer.unref()
  }

  /** Retries the due repairs against the key's replicas of now (a target that is no longer one is skipped). */
  private async repairTick(): Promise<void> {
    this.repairTimer = undefined
    const now = this.c.clock.now()
    const jobs: Array<() => Promise<void>> = []
    for (const [key, r] of this.repairs) {
      if (r.dueAt > now) continue
      this.repairs.delete(key)
      const replicas = new Set(this.c.placement.replicasFor(key).map((x) => x.peerId))
      const targets = [...r.targets].filter((t) => replicas.has(t) && t !== this.init.selfId)
      if (targets.length === 0) continue
      jobs.push(() => this.hand(key, targets, r.drop && !replicas.has(this.init.selfId), r.delay))
    }
    await runLimited(jobs, REBALANCE_CONCURRENCY, () => this.stopped)
    this.armRepair()
  }
}

export function nextRepairDelay(delay: number): number {
  return Math.min(REPAIR_MAX_DELAY_MS, delay * 2)
}

async function runLimited(jobs: Array<() => Promise<void>>, limit: number, cancelled: () => boolean): Promise<void> {
  let i = 0
  const worker = async (): Promise<void> => {
    while (i < jobs.length && !cancelled()) {
      const job = jobs[i++]
      await job().catch(() => {})
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker))
}
