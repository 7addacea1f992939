/**
 * The read invariants, judged on every read the workload makes against the writer-side ledger:
 * - a read that STARTED after a write's 201 must return that version or a newer one while the write
 *   is unexpired (404 → `missing`, an error from a live node → `unreadable`, older → `stale`);
 * - no read that started after a value's writer-side expires_at + tolerance returns it (`expired_read`);
 * - the bytes are exactly what the named write wrote, under this key (`corrupt`).
 * Reads whose node went down before the answer are not judged (the node was not live). The workload
 * keeps each key's TTL constant, so a newer version never expires before an older one.
 */
import { compareVersions, etagToVersion } from '../../src/shared/version.js'
import type { GetAnswer } from './client.js'
import { expiryBound, expiryFloor, type Ledger, olderThan, type WriteEntry } from './ledger.js'
import { decodeValue, digest } from './payload.js'
import type { Violation, ViolationLog } from './violations.js'

export interface ReadObservation {
  key: string
  node: string
  /** ms, just before the call. */
  startedAt: number
  /** ms, when the answer came. */
  endedAt: number
  answer: GetAnswer
}

export interface CheckerComponents {
  ledger: Ledger
  violations: ViolationLog
  /** ms timestamp the report's times are relative to. */
  origin: () => number
}

export interface CheckerInit {
  runId: string
  expiryToleranceMs: number
}

export type ReadVerdict = 'ok' | 'violation' | 'error'

function brief(w: WriteEntry | undefined, origin: number): Record<string, unknown> | undefined {
  if (!w) return undefined
  return {
    writeId: w.id,
    node: w.node,
    etag: w.etag,
    issuedMs: w.issuedAt - origin,
    ackedMs: w.doneAt === undefined ? undefined : w.doneAt - origin,
    status: w.status,
    expiresMs: w.expiresAt === undefined ? undefined : w.expiresAt - origin,
  }
}

export class InvariantChecker {
  private readonly ledger: Ledger
  private readonly violations: ViolationLog
  private readonly origin: () => number
  private readonly runId: string
  private readonly tol: number

  constructor(components: CheckerComponents, init: CheckerInit) {
    this.ledger = components.ledger
    this.violations = components.violations
    this.origin = components.origin
    this.runId = init.runId
    this.tol = init.expiryToleranceMs
  }

  /** Judges one read of a node that was live throughout it. */
  checkRead(obs: ReadObservation): ReadVerdict {
    const { key, answer } = obs
    const required = this.ledger.required(key, obs.startedAt)
    const o = this.origin()
    const base = { readNode: obs.node, readStartMs: obs.startedAt - o, readEndMs: obs.endedAt - o }
    const fail = (kind: Violation['kind'], detail: Record<string, unknown>): ReadVerdict => {
      this.violations.add({ kind, atMs: obs.endedAt - o, key, node: obs.node, detail: { ...base, ...detail } })
      return 'violation'
    }
    // The required write is only owed while it is unexpired at every instant the node may have looked.
    const owed = required !== undefined && expiryFloor(required) > obs.endedAt + this.tol

    if (answer.status === 404) return owed ? fail('missing', { required: brief(required, o) }) : 'ok'
    if (answer.status !== 200) return owed ? fail('unreadable', { status: answer.status, error: answer.error, required: brief(required, o) }) : 'error'

    const value = answer.value ?? new Uint8Array()
    const dec = decodeValue(value)
    if (!dec || dec.runId !== this.runId) return fail('corrupt', { reason: 'value not written by this run', size: value.byteLength })
    const w = this.ledger.byId(dec.writeId)
    if (!w) return fail('expired_read', { reason: 'write long expired and forgotten by the ledger', writeId: dec.writeId })
    if (w.key !== key) return fail('corrupt', { reason: 'value of another key', writeId: w.id, writtenKey: w.key })
    if (w.digest !== digest(value)) return fail('corrupt', { reason: 'bytes differ from the write', writeId: w.id })

    const expiry = expiryBound(w, obs.endedAt)
    if (obs.startedAt > expiry + this.tol) {
      return fail('expired_read', { returned: brief(w, o), lateByMs: obs.startedAt - expiry, toleranceMs: this.tol })
    }
    if (required && required.id !== w.id) {
      const got = answer.etag !== undefined ? etagToVersion(answer.etag) : w.version
      const stale = got && required.version ? compareVersions(got, required.version) < 0 : olderThan(w, required)
      if (stale) return fail('stale', { returned: { ...brief(w, o), answerEtag: answer.etag }, required: brief(required, o) })
    }
    return 'ok'
  }
}
