/**
 * The live progress line on stderr: on a terminal one line rewritten in place every second (elapsed,
 * ops/s, errors, violations, nodes); otherwise a plain line every PLAIN_EVERY_MS, so CI logs stay short.
 */
export const TTY_EVERY_MS = 1_000
export const PLAIN_EVERY_MS = 5_000

export interface ProgressSnapshot {
  elapsedS: number
  durationS: number
  ops: number
  errors: number
  violations: number
  live: number
  inFlight: number
}

export function formatProgress(s: ProgressSnapshot, opsPerS: number): string {
  const pct = Math.min(100, Math.round((s.elapsedS / s.durationS) * 100))
  return `[${s.elapsedS.toFixed(0).padStart(4)}s/${s.durationS}s ${String(pct).padStart(3)}%] ${opsPerS.toFixed(1).padStart(7)} ops/s | ops ${s.ops} | errors ${s.errors} | violations ${s.violations} | nodes ${s.live} | in flight ${s.inFlight}`
}

export class Progress {
  private readonly read: () => ProgressSnapshot
  private readonly tty: boolean
  private readonly write: (text: string) => void
  private timer: NodeJS.Timeout | undefined
  private lastOps = 0
  private lastAt = 0
  private wrote = false

  constructor(components: { read: () => ProgressSnapshot; write?: (text: string) => void }, init: { tty?: boolean } = {}) {
    this.read = components.read
    this.write = components.write ?? ((t) => process.stderr.write(t))
    this.tty = init.tty ?? process.stderr.isTTY === true
  }

  start(): void {
    if (this.timer) return
    this.lastAt = Date.now()
    this.timer = setInterval(() => this.show(), this.tty ? TTY_EVERY_MS : PLAIN_EVERY_MS)
  }

  private show(): void {
    const s = this.read()
    const now = Date.now()
    const rate = ((s.ops - this.lastOps) * 1000) / Math.max(1, now - this.lastAt)
    this.lastOps = s.ops
    this.lastAt = now
    const line = formatProgress(s, rate)
    if (this.tty) this.write(`\r\x1b[2K${line}`)
    else this.write(`${line}\n`)
    this.wrote = true
  }

  /** A line of its own (a churn event, a phase), without garbling the progress line. */
  note(text: string): void {
    this.write(this.tty && this.wrote ? `\r\x1b[2K${text}\n` : `${text}\n`)
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    if (this.tty && this.wrote) this.write('\n')
  }
}
