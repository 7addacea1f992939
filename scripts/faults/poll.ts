/** Waiting on a condition, never on a guess: poll with a deadline, and say what was awaited when it fails. */

export const POLL_INTERVAL_MS = 100

export class DeadlineError extends Error {
  override readonly name = 'DeadlineError'
}

export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const t = setTimeout(done, ms)
    function done(): void {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** Polls `check` until true; returns the ms it took. Throws DeadlineError after `timeoutMs`. */
export async function pollUntil(what: string, check: () => boolean | Promise<boolean>, o: { timeoutMs: number; intervalMs?: number }): Promise<number> {
  const t0 = performance.now()
  for (;;) {
    if (await check()) return Math.round(performance.now() - t0)
    if (performance.now() - t0 > o.timeoutMs) throw new DeadlineError(`timed out after ${o.timeoutMs} ms waiting until ${what}`)
    await delay(o.intervalMs ?? POLL_INTERVAL_MS)
  }
}

/** Like pollUntil, but returns undefined at the deadline instead of throwing (a measured bound). */
export async function pollWithin(check: () => boolean | Promise<boolean>, o: { timeoutMs: number; intervalMs?: number }): Promise<number | undefined> {
  try {
    return await pollUntil('', check, o)
  } catch (err) {
    if (err instanceof DeadlineError) return undefined
    throw err
  }
}

/** Waits until wall time `atMs` (ms since the epoch, this process's clock): a TTL running out is a deadline, not a guess. */
export async function until(atMs: number, signal?: AbortSignal): Promise<void> {
  const wait = atMs - (performance.timeOrigin + performance.now())
  if (wait > 0) await delay(wait, signal)
}
