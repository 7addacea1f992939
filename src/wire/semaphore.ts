/**
 * A counting semaphore with a bounded wait queue: `acquire` resolves when a slot frees, rejects when
 * the queue is full or the signal aborts.
 */
export class Semaphore {
  private active = 0
  private readonly waiters: Array<{ resolve: () => void; reject: (err: Error) => void }> = []

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
        reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'))
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.waiters.push(w)
    })
  }

  release(): void {
    const next = this.waiters.shift()
    if (next) next.resolve()
    else this.active--
  }

  /** Rejects every waiter (shutdown). */
  drain(err: Error): void {
    for (const w of this.waiters.splice(0)) w.reject(err)
  }
}
