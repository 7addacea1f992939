/**
 * The one poll helper of the suite: checks `cond` until it holds and throws, naming `what`, once
 * `timeoutMs` has passed. It returns nothing, so a caller cannot forget to assert its result.
 * Prefer an event or an explicit drain where the code offers one; poll only for state that changes
 * on its own (a mesh forming, a timer-driven retry, a socket closing).
 */

/** Time between checks when the caller does not say. */
export const WAIT_FOR_INTERVAL_MS = 20

export interface WaitForOptions {
  /** How long `cond` may take to hold. */
  timeoutMs: number
  /** What is awaited, for the error; a function is read at timeout (to report the state seen). */
  what: string | (() => string)
  /** Time between checks (default WAIT_FOR_INTERVAL_MS). */
  intervalMs?: number
}

export async function waitFor(cond: () => boolean | Promise<boolean>, options: WaitForOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs
  const intervalMs = options.intervalMs ?? WAIT_FOR_INTERVAL_MS
  for (;;) {
    if (await cond()) return
    if (Date.now() >= deadline) {
      const what = typeof options.what === 'function' ? options.what() : options.what
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}`)
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
