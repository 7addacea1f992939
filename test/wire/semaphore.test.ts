/**
 * The semaphore behind the wire engine's per-peer in-flight cap and per-stream handler cap: slots,
 * a bounded wait queue, aborts, shutdown, and idle() (a half-closed stream answers all it accepted).
 */
import { describe, expect, it } from 'vitest'
import { Semaphore } from '../../src/wire/semaphore.js'

class QueueFullError extends Error {
  override readonly name = 'QueueFullError'
}

const semaphore = (slots: number, maxWaiters = 10): Semaphore => new Semaphore(slots, maxWaiters, () => new QueueFullError('queue full'))

/** Whether `p` has settled, checked after every microtask queued so far has run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false
  p.then(
    () => {
      done = true
    },
    () => {
      done = true
    },
  )
  await new Promise((resolve) => setImmediate(resolve))
  return done
}

describe('Semaphore', () => {
  it('hands out up to `slots` at once, without waiting', async () => {
    const sem = semaphore(2)
    expect(sem.tryAcquire()).toBe(true)
    await sem.acquire()
    expect(sem.inUse).toBe(2)
    expect(sem.tryAcquire()).toBe(false)
    sem.release()
    expect(sem.inUse).toBe(1)
    expect(sem.tryAcquire()).toBe(true)
  })

  it('queues acquirers past the slots and serves them first come, first served, one per release', async () => {
    const sem = semaphore(1)
    await sem.acquire()
    const order: number[] = []
    const waiting = [1, 2, 3].map((n) => sem.acquire().then(() => order.push(n)))
    expect(await settled(waiting[0])).toBe(false)
    sem.release()
    await waiting[0]
    expect(order).toEqual([1])
    expect(sem.inUse).toBe(1) // the slot passed to the waiter, never freed in between
    expect(sem.tryAcquire()).toBe(false) // a newcomer does not jump the queue
    sem.release()
    sem.release()
    await Promise.all(waiting)
    expect(order).toEqual([1, 2, 3])
    expect(sem.inUse).toBe(1)
  })

  it('refuses an acquirer with the error of onFull once the wait queue is full', async () => {
    const sem = semaphore(1, 2)
    await sem.acquire()
    const waiting = [sem.acquire(), sem.acquire()]
    await expect(sem.acquire()).rejects.toBeInstanceOf(QueueFullError)
    sem.release()
    sem.release()
    await Promise.all(waiting)
  })

  it('drops a waiter whose signal aborts, with the signal’s reason, and serves the next one', async () => {
    const sem = semaphore(1)
    await sem.acquire()
    const ac = new AbortController()
    const aborted = sem.acquire(ac.signal)
    const next = sem.acquire()
    ac.abort(new QueueFullError('gave up'))
    await expect(aborted).rejects.toMatchObject({ name: 'QueueFullError' })
    sem.release()
    await next
    expect(sem.inUse).toBe(1)
  })

  it('refuses at once an acquirer whose signal is already aborted, when it would have to wait', async () => {
    const sem = semaphore(1)
    await sem.acquire()
    await expect(sem.acquire(AbortSignal.abort())).rejects.toMatchObject({ name: 'AbortError' })
    sem.release()
    // With a free slot there is nothing to wait for: the slot is taken as usual.
    await sem.acquire(AbortSignal.abort())
    expect(sem.inUse).toBe(1)
  })

  it('drain rejects every waiter and leaves the slots in use to their holders', async () => {
    const sem = semaphore(1)
    await sem.acquire()
    const waiting = [sem.acquire(), sem.acquire()]
    sem.drain(new QueueFullError('stopping'))
    for (const w of waiting) await expect(w).rejects.toBeInstanceOf(QueueFullError)
    expect(sem.inUse).toBe(1)
  })

  describe('idle()', () => {
    it('resolves at once when no slot is in use', async () => {
      await semaphore(2).idle()
    })

    it('resolves once the last slot is released, not before, and for every caller', async () => {
      const sem = semaphore(2)
      await sem.acquire()
      await sem.acquire()
      const idle = [sem.idle(), sem.idle()]
      sem.release()
      expect(await settled(idle[0])).toBe(false)
      sem.release()
      await Promise.all(idle)
      expect(sem.inUse).toBe(0)
    })

    it('keeps waiting while released slots pass to queued acquirers', async () => {
      const sem = semaphore(1)
      await sem.acquire()
      const queued = sem.acquire()
      const idle = sem.idle()
      sem.release() // passes to the queued acquirer: still one in use
      await queued
      expect(await settled(idle)).toBe(false)
      sem.release()
      await idle
    })

    it('waits for slots taken after it was called', async () => {
      const sem = semaphore(2)
      await sem.acquire()
      const idle = sem.idle()
      expect(sem.tryAcquire()).toBe(true)
      sem.release()
      expect(await settled(idle)).toBe(false)
      sem.release()
      await idle
    })
  })
})
