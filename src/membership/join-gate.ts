/**
 * JoinGate: a node told of peers is "joining" until it has connected, learnt who the members are and
 * synced the directory; until then its view of placement is partial, so a write would count a quorum
 * over itself alone and a read would answer 404 for keys it cannot see. Reads and writes wait for the
 * gate (bounded by the caller); if no peer is reachable within the grace period the gate opens anyway
 * and the node serves as a mesh of one (the bootstrap dialer keeps retrying and logs that).
 */
import type { Logger } from '../shared/logger.js'

/** How often the join condition is re-checked while joining (it depends on several libp2p events). */
export const JOIN_CHECK_MS = 20

export class JoinGate {
  private open = false
  private release!: () => void
  private readonly opened = new Promise<void>((resolve) => {
    this.release = resolve
  })
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly c: { logger: Logger }) {}

  get joined(): boolean {
    return this.open
  }

  /** Opens the gate now (a node with no peers configured has nothing to join). */
  openNow(): void {
    if (this.open) return
    this.open = true
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    this.release()
  }

  /**
   * Opens once `ready()` holds, or once `graceMs` passed (then as a mesh of one, or with a partial
   * view, said once in the log).
   */
  watch(ready: () => boolean, init: { graceMs: number; now: () => number; describe: () => Record<string, unknown> }): void {
    if (this.open) return
    const deadline = init.now() + init.graceMs
    const check = (): void => {
      if (this.open) return
      if (ready()) {
        this.c.logger.debug('joined the mesh', init.describe())
        this.openNow()
      } else if (init.now() >= deadline) {
        this.c.logger.warn('join grace period over; serving with the membership seen so far', init.describe())
        this.openNow()
      }
    }
    this.timer = setInterval(check, JOIN_CHECK_MS)
    this.timer.unref()
    check()
  }

  /** Waits until joined, at most `timeoutMs` (or until `signal` aborts); true when joined. */
  async wait(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.open) return true
    // An abort listener added to an already-aborted signal never fires.
    if (signal?.aborted) return false
    let t: NodeJS.Timeout | undefined
    let onAbort: (() => void) | undefined
    await Promise.race([
      this.opened,
      new Promise<void>((resolve) => {
        t = setTimeout(resolve, Math.max(0, timeoutMs))
        if (signal) {
          onAbort = resolve
          signal.addEventListener('abort', onAbort, { once: true })
        }
      }),
    ])
    if (t) clearTimeout(t)
    if (signal && onAbort) signal.removeEventListener('abort', onAbort)
    return this.open
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
  }
}
