/**
 * Keeps a node in touch with its bootstrap list: dials every configured peer at start, and re-dials
 * with exponential backoff while the node has no connections at all (kad-dht's bootstrap never
 * retries). A node nobody answers keeps serving as a mesh of one and says so once per log interval,
 * not once per attempt.
 */
import { setMaxListeners } from 'node:events'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { Logger } from '../shared/logger.js'

/** At most one "no bootstrap peer answered" line per this period. */
export const BOOTSTRAP_LOG_INTERVAL_MS = 60_000

export interface DialHost {
  dial(addr: Multiaddr, options?: { signal?: AbortSignal }): Promise<unknown>
  getConnections(): unknown[]
}

export class BootstrapDialer {
  private timer: NodeJS.Timeout | undefined
  private delay: number
  private lastLog = Number.NEGATIVE_INFINITY
  private stopped = true
  private readonly abort = new AbortController()
  private settleFirst: ((connected: boolean) => void) | undefined
  /** Resolves once the first round of dials settled: true when at least one peer answered. */
  readonly firstRound: Promise<boolean> = new Promise((resolve) => {
    this.settleFirst = resolve
  })

  constructor(
    private readonly c: { host: DialHost; logger: Logger },
    private readonly init: { peers: Multiaddr[]; minDelayMs: number; maxDelayMs: number; dialTimeoutMs?: number },
  ) {
    this.delay = init.minDelayMs
  }

  start(): void {
    if (this.init.peers.length === 0) {
      this.settleFirst?.(false)
      return
    }
    this.stopped = false
    void this.attempt()
  }

  stop(): void {
    this.settleFirst?.(false)
    this.stopped = true
    this.abort.abort()
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  /** Called when the last connection closed: start re-dialling soon. */
  disconnectedAll(): void {
    if (this.stopped || this.timer) return
    this.delay = this.init.minDelayMs
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.attempt()
    }, this.delay)
  }

  private async attempt(): Promise<void> {
    if (this.stopped) return
    const signal = AbortSignal.any([this.abort.signal, AbortSignal.timeout(this.init.dialTimeoutMs ?? 10_000)])
    // Every dial of the round listens on this one signal (libp2p's dial queue adds two per dial):
    // a few per bootstrap peer, legitimately past Node's warning threshold of 10.
    setMaxListeners(this.init.peers.length * 4 + 10, signal)
    const results = await Promise.allSettled(this.init.peers.map((a) => this.c.host.dial(a, { signal })))
    if (this.stopped) return
    const connected = results.some((r) => r.status === 'fulfilled') || this.c.host.getConnections().length > 0
    this.settleFirst?.(connected)
    this.settleFirst = undefined
    if (connected) {
      this.delay = this.init.minDelayMs
      return
    }
    const now = Date.now()
    if (now - this.lastLog >= BOOTSTRAP_LOG_INTERVAL_MS) {
      this.lastLog = now
      const first = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined
      this.c.logger.warn('no bootstrap peer answered; serving as a mesh of one and retrying with backoff', {
        peers: this.init.peers.length,
        err: first?.reason instanceof Error ? first.reason : String(first?.reason),
      })
    }
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.attempt()
    }, this.delay)
    this.delay = Math.min(this.delay * 2, this.init.maxDelayMs)
  }
}
