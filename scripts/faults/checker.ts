/**
 * The offline checker: judges a finished history from the client's side (no node's word is taken
 * for anything but its answers). For every key:
 * - read-your-writes from any node: a GET/HEAD invoked after a 201 for write w completed, and
 *   completed before w's earliest possible expiry minus the tolerance, returns w or a write not older
 *   than w (404 → missing; older → stale). "Older": answered before w was invoked (real time), or a
 *   lower version (ETag). Real-time order catches a writer whose clock lags: its overwrite gets a
 *   lower version than the value it replaced.
 * - no resurrection: once a 201 overwrite w has expired, nothing older than w is ever returned.
 * - nothing after expiry: no GET/HEAD invoked after a value's latest possible expiry (+ tolerance)
 *   returns it; no listing invoked after every write of a key expired lists it.
 * Expiry is judged in the harness's time: a write's TTL runs from its PUT (invoke .. completion),
 * whatever the nodes' clocks say. Writes with no answer (timeout, 5xx) are indeterminate: never
 * required, never given an expiry bound. Scenarios may exempt pairs (a read across a partition).
 */
import { compareVersions, etagToVersion, type Version } from '../../src/shared/version.js'
import type { History, Op } from './history.js'
import type { Violation, ViolationKind } from './violation.js'

export interface CheckOptions {
  toleranceMs: number
  /** True when read `r` need not observe write `w` (e.g. they were on different sides of a partition). */
  exempt?: (r: Op, w: Op) => boolean
}

interface Write {
  op: Op
  ttlMs: number
  version?: Version
  /** Answered 201/202: the node stamped it between invoke and completion. */
  determinate: boolean
  /** Refused with a 4xx: never stored. */
  refused: boolean
}

function ttlOf(op: Op): number {
  return (op.appliedTtlS ?? op.ttlS ?? 0) * 1000
}

/** Earliest instant the write can expire. */
function floor(w: Write): number {
  return w.op.invokeMs + w.ttlMs
}

/** Latest instant the write can be live (Infinity when indeterminate). */
function bound(w: Write): number {
  return w.determinate ? w.op.completeMs + w.ttlMs : Number.POSITIVE_INFINITY
}

/** x is older than w: answered before w was invoked, or a lower version. */
function older(x: Write, w: Write): boolean {
  if (x === w) return false
  if (x.determinate && x.op.completeMs < w.op.invokeMs) return true
  return x.version !== undefined && w.version !== undefined && compareVersions(x.version, w.version) < 0
}

export function checkHistory(h: History, o: CheckOptions): Violation[] {
  const byKey = new Map<string, Write[]>()
  const byWriteId = new Map<number, Write>()
  const byEtag = new Map<string, Write>()
  for (const op of h.ops) {
    if (op.kind !== 'put' || op.key === undefined) continue
    const w: Write = {
      op,
      ttlMs: ttlOf(op),
      version: op.etag ? etagToVersion(op.etag) : undefined,
      determinate: op.status === 201 || op.status === 202,
      refused: op.status >= 400 && op.status < 500,
    }
    const list = byKey.get(op.key)
    if (list) list.push(w)
    else byKey.set(op.key, [w])
    if (op.writeId !== undefined) byWriteId.set(op.writeId, w)
    if (op.etag) byEtag.set(op.etag, w)
  }
  const out: Violation[] = []
  const tol = o.toleranceMs
  const add = (kind: ViolationKind, r: Op, message: string, related: Array<Write | undefined>, shown: Op = r): void => {
    const rel = related.filter((w): w is Write => w !== undefined)
    const from = Math.min(r.invokeMs, ...rel.map((w) => w.op.invokeMs)) - 1_000
    const key = r.key ?? ''
    const excerpt = h.excerpt(key, from, r.completeMs + 1_000, { lists: kind === 'expired_listed', focus: [shown, ...rel.map((w) => w.op)] })
    out.push({ kind, key: r.key, node: r.node, atMs: r.completeMs, message, excerpt })
  }
  const fmt = (w: Write): string => `w${w.op.writeId} (${w.op.node}, ${w.op.status}, etag ${w.op.etag})`

  for (const r of h.ops) {
    if (r.kind === 'list') {
      if (r.status !== 200 || !r.listed) continue
      for (const k of r.listed) {
        const ws = byKey.get(k)
        if (!ws || ws.some((w) => !w.determinate && !w.refused)) continue
        const last = Math.max(...ws.map(bound))
        if (r.invokeMs > last + tol) {
          const view = { ...r, key: k }
          add('expired_listed', view, `${k} listed by ${r.node} ${Math.round(r.invokeMs - last)} ms after its last write expired`, ws, r)
        }
      }
      continue
    }
    if (r.kind === 'put' || r.key === undefined || (r.status !== 200 && r.status !== 404)) continue
    const ws = byKey.get(r.key) ?? []
    const required = ws.filter((w) => w.op.status === 201 && w.op.completeMs < r.invokeMs && !o.exempt?.(r, w.op))
    /** Until when `w` must be readable for this read: the earliest expiry among it and the writes that may supersede it. */
    const owedUntil = (w: Write): number => {
      let t = floor(w)
      for (const y of ws) if (y !== w && !y.refused && !older(y, w) && y.op.invokeMs < r.completeMs) t = Math.min(t, floor(y))
      return t
    }
    if (r.status === 404) {
      const owed = required.filter((w) => r.completeMs < owedUntil(w) - tol)
      if (owed.length > 0) {
        const w = owed.reduce((a, b) => (older(a, b) ? b : a))
        add(
          'missing',
          r,
          `${r.kind.toUpperCase()} on ${r.node} got 404 ${Math.round(r.invokeMs - w.op.completeMs)} ms after the 201 of ${fmt(w)}, ${Math.round(owedUntil(w) - r.completeMs)} ms before it could expire`,
          [w],
        )
      }
      continue
    }
    // 200: which write is it?
    if (r.corrupt) {
      add('corrupt', r, `${r.node} returned ${r.corrupt}`, [])
      continue
    }
    const x = r.readWriteId !== undefined ? byWriteId.get(r.readWriteId) : r.etag ? byEtag.get(r.etag) : undefined
    const rv = r.etag ? etagToVersion(r.etag) : undefined
    const seen: Write = x ? { ...x, version: rv ?? x.version } : { op: r, ttlMs: 0, version: rv, determinate: false, refused: false }
    const superseding = required.filter((w) => w !== x && older(seen, w))
    if (superseding.length > 0) {
      const w = superseding.reduce((a, b) => (older(a, b) ? b : a))
      const inverted = x?.determinate && x.op.completeMs < w.op.invokeMs && seen.version && w.version && compareVersions(seen.version, w.version) > 0
      const why = inverted ? ` — the newer write's version is LOWER (etag ${w.op.etag} < ${r.etag}): its writer's clock lags` : ''
      const what = x ? fmt(x) : `etag ${r.etag}`
      if (r.completeMs < owedUntil(w) - tol) add('stale', r, `${r.node} returned ${what} after the 201 of newer ${fmt(w)}${why}`, [x, w])
      else add('resurrected', r, `${r.node} returned ${what}, overwritten by ${fmt(w)} which has since expired${why}`, [x, w])
      continue
    }
    if (x?.determinate && r.invokeMs > bound(x) + tol) {
      add('expired_read', r, `${r.node} returned ${fmt(x)} ${Math.round(r.invokeMs - bound(x))} ms after it expired (tolerance ${tol} ms)`, [x])
    }
  }
  return out
}

/** Operation counts for the report: by kind and answer class. */
export interface OpStats {
  total: number
  byKind: Record<string, number>
  noAnswer: number
  errors5xx: number
  acked: number
  pending: number
  /** Latency of answered operations, ms. */
  p50Ms: number
  p99Ms: number
  maxMs: number
}

export function opStats(h: History): OpStats {
  const byKind: Record<string, number> = {}
  let noAnswer = 0
  let errors5xx = 0
  let acked = 0
  let pending = 0
  for (const op of h.ops) {
    byKind[op.kind] = (byKind[op.kind] ?? 0) + 1
    if (op.status === 0) noAnswer++
    else if (op.status >= 500) errors5xx++
    if (op.kind === 'put' && op.status === 201) acked++
    if (op.kind === 'put' && op.status === 202) pending++
  }
  const lat = h.ops
    .filter((op) => op.status > 0)
    .map((op) => op.completeMs - op.invokeMs)
    .sort((a, b) => a - b)
  const at = (q: number): number => (lat.length === 0 ? 0 : Math.round(lat[Math.min(lat.length - 1, Math.floor(q * lat.length))]))
  return { total: h.ops.length, byKind, noAnswer, errors5xx, acked, pending, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) }
}
