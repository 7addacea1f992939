/**
 * A counting semaphore with a bounded wait queue: `acquire` resolves when a slot frees, rejects when
 * the queue is full or the signal aborts; `idle` resolves once no slot is in use (a stream that must
 * answer everything it accepted before it closes).
 */
export class Semaphore {
  private active = 0
  private readonly waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = []
  private idlers: Array<() => void> = []

  constructor(
    private readonly slots: number,
    private readonly maxWaiters: number,
    private readonly onFull: () => Error,
  ) {}

  get inUse(): number {
    return this.active
  }

  /** Takes a slot if one is free, without waiting. */
  tryAcquire(): boolean {
    if (this.active >= this.slots) return false
    this.active++
    return true
  }

  async acquire(signal?: AbortSignal): Promise<void> {
    if (this.active < this.slots) {
      this.active++
      return
    }
    // An already aborted signal never fires 'abort': refuse now rather than wait for a free slot.
    if (signal?.aborted) throw abortReason(signal)
    if (this.waiters.length >= this.maxWaiters) throw this.onFull()
    await new Promise<void>((resolve, reject) => {
      const w = {
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        reject,
      }
      const onAbort = (): void => {
        const i = this.waiters.indexOf(w)
        if (i >= 0) this.waiters.splice(i, 1)
        reject(abortReason(signal))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(w)
    })
  }

  release(): void {
    const next = this.waiters.shift()
    if (next) {
      next.resolve() // the slot passes straight to the next waiter
      return
    }
    this.active--
    if (this.active === 0 && this.idlers.length > 0) {
      const idlers = this.idlers
      this.idlers = []
      for (const resolve of idlers) resolve()
    }
  }

  /** Resolves once no slot is in use (at once if none is); slots taken meanwhile keep it waiting. */
  idle(): Promise<void> {
    if (this.active === 0) return Promise.resolve()
    return new Promise((resolve) => this.idlers.push(resolve))
  }

  /** Rejects every waiter (shutdown). */
  drain(err: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(err)
  }
}

function abortReason(signal: AbortSignal | undefined): Error {
  return signal?.reason instanceof Error ? signal.reason : new Error('aborted')
}
