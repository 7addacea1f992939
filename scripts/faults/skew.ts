/**
 * Wall-clock skew for one node through libfaketime (LD_PRELOAD). Measured on Node 20 here: with
 * FAKETIME="+30s" both Date.now() and the monotonic clock are faked (process.hrtime jumps to an
 * epoch-sized value; performance.now() stays relative, timers keep working); with
 * FAKETIME_DONT_FAKE_MONOTONIC=1 only the wall clock (Date.now, new Date) moves and timers and
 * performance.now() follow real time. A skewed node is a node whose Date.now() is wrong, so the
 * harness always sets DONT_FAKE_MONOTONIC. Jumps: FAKETIME_TIMESTAMP_FILE holds the offset, re-read
 * at most every FAKETIME_CACHE_DURATION seconds (1: a jump lands within a second; FAKETIME_NO_CACHE
 * would re-read the file on every clock call).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { onCleanup } from './cleanup.js'

function offset(seconds: number): string {
  return `${seconds >= 0 ? '+' : '-'}${Math.abs(Math.round(seconds))}s`
}

/** A fixed offset for the node's whole life. */
export function fixedSkewEnv(lib: string, seconds: number): Record<string, string> {
  return { LD_PRELOAD: lib, FAKETIME: offset(seconds), FAKETIME_DONT_FAKE_MONOTONIC: '1' }
}

/** An offset the harness can change while the node runs (a clock jump). */
export class JumpingClock {
  readonly env: Record<string, string>
  private readonly file: string
  private readonly undo: () => void
  current = 0

  constructor(lib: string, startSeconds = 0) {
    const dir = mkdtempSync(join(tmpdir(), 'repram-faketime-'))
    this.file = join(dir, 'offset')
    this.undo = onCleanup(() => rmSync(dir, { recursive: true, force: true }))
    this.set(startSeconds)
    this.env = { LD_PRELOAD: lib, FAKETIME_TIMESTAMP_FILE: this.file, FAKETIME_CACHE_DURATION: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' }
  }

  /** Moves the node's wall clock to real time + `seconds` (within ~1 s). */
  set(seconds: number): void {
    this.current = seconds
    writeFileSync(this.file, `${offset(seconds)}\n`)
  }

  destroy(): void {
    this.undo()
  }
}
