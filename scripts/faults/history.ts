/**
 * The client-side history, Jepsen-style: every data operation the harness made, with its invoke and
 * completion instants (this process's clock, never a node's), the node and incarnation it went to,
 * what it sent and what came back. The checker judges it after the scenario; nothing is pruned.
 * Instants are ms since the epoch from `performance.timeOrigin + performance.now()` (monotonic within
 * the run, unaffected by any node's skewed clock).
 */

export type OpKind = 'put' | 'get' | 'head' | 'list'

export interface Op {
  readonly id: number
  readonly kind: OpKind
  /** Node name (stable across restarts) and its incarnation (1 = first process). */
  readonly node: string
  readonly incarnation: number
  readonly key?: string
  readonly prefix?: string
  readonly invokeMs: number
  completeMs: number
  /** HTTP status; 0 = no answer (timeout, refused, reset). */
  status: number
  error?: string
  /** put: the id carried in the value, the TTL asked, the TTL applied (echoed), the ETag and expires_at answered. */
  writeId?: number
  ttlS?: number
  appliedTtlS?: number
  etag?: string
  nodeExpiresAtMs?: number
  replicas?: number
  /** get/head: the write the bytes name (GET), the answered remaining TTL. */
  readWriteId?: number
  remainingTtlS?: number
  /** get: why the bytes are not what a write of this run produced. */
  corrupt?: string
  /** list: the keys answered (first page). */
  listed?: string[]
}

export function now(): number {
  return performance.timeOrigin + performance.now()
}

export class History {
  readonly ops: Op[] = []
  /** Scenario-relative zero for printing. */
  readonly originMs = now()
  private nextId = 1
  /** Faults injected and other events (initial starts, heals), as printed lines; `fault` ones are counted. */
  readonly faults: Array<{ atMs: number; what: string; fault: boolean }> = []

  begin(init: Omit<Op, 'id' | 'invokeMs' | 'completeMs' | 'status'>): Op {
    const op: Op = { ...init, id: this.nextId++, invokeMs: now(), completeMs: Number.NaN, status: -1 }
    this.ops.push(op)
    return op
  }

  fault(what: string): void {
    this.faults.push({ atMs: now(), what, fault: true })
  }

  /** A scenario event that is not a fault (a node of the initial mesh starting, a heal). */
  event(what: string): void {
    this.faults.push({ atMs: now(), what, fault: false })
  }

  get faultCount(): number {
    return this.faults.filter((f) => f.fault).length
  }

  get count(): number {
    return this.ops.length
  }

  rel(ms: number): string {
    return `+${((ms - this.originMs) / 1000).toFixed(3)}s`
  }

  /** One line per op, for violation evidence. */
  format(op: Op): string {
    const where = `${op.node}#${op.incarnation}`
    const span = `${this.rel(op.invokeMs)}..${this.rel(op.completeMs)}`
    const ans = op.status === 0 ? `no answer (${op.error ?? '?'})` : String(op.status)
    switch (op.kind) {
      case 'put':
        return `${span} ${where} PUT ${op.key} w${op.writeId} ttl=${op.ttlS}s → ${ans}${op.etag ? ` etag=${op.etag}` : ''}${op.replicas !== undefined ? ` replicas=${op.replicas}` : ''}`
      case 'get':
      case 'head': {
        const what = op.status === 200 ? ` ${op.readWriteId !== undefined ? `w${op.readWriteId}` : 'value'} etag=${op.etag} remaining=${op.remainingTtlS}s` : ''
        return `${span} ${where} ${op.kind.toUpperCase()} ${op.key} → ${ans}${what}${op.corrupt ? ` CORRUPT(${op.corrupt})` : ''}`
      }
      case 'list':
        return `${span} ${where} LIST prefix=${op.prefix} → ${ans}${op.listed ? ` ${op.listed.length} keys` : ''}`
    }
  }

  /**
   * The ops on `key` (and, with `lists`, the listings that named it) and the faults between two
   * instants, formatted in time order. Capped at `max` lines: the `focus` ops (the violating read,
   * the writes it is judged against) are always kept, then the lines closest before `toMs`.
   */
  excerpt(key: string, fromMs: number, toMs: number, o: { max?: number; lists?: boolean; focus?: readonly Op[] } = {}): string[] {
    const max = o.max ?? 40
    const focus = new Set(o.focus ?? [])
    const rows: Array<{ t: number; line: string; keep: boolean }> = []
    for (const op of this.ops) {
      if (op.key !== key && !(o.lists && op.kind === 'list' && op.listed?.includes(key))) continue
      if (op.completeMs < fromMs || op.invokeMs > toMs) continue
      const mark = focus.has(op) ? '» ' : '  '
      rows.push({ t: op.invokeMs, line: mark + this.format(op), keep: focus.has(op) })
    }
    for (const f of this.faults)
      if (f.atMs >= fromMs && f.atMs <= toMs) rows.push({ t: f.atMs, line: `  ${this.rel(f.atMs)} ${f.fault ? 'FAULT' : 'EVENT'} ${f.what}`, keep: false })
    rows.sort((a, b) => a.t - b.t)
    if (rows.length <= max) return rows.map((r) => r.line)
    const kept = new Set(rows.filter((r) => r.keep))
    for (let i = rows.length - 1; i >= 0 && kept.size < max; i--) kept.add(rows[i])
    const out: string[] = []
    let skipped = 0
    for (const r of rows) {
      if (kept.has(r)) {
        if (skipped > 0) out.push(`  … ${skipped} lines …`)
        skipped = 0
        out.push(r.line)
      } else skipped++
    }
    if (skipped > 0) out.push(`  … ${skipped} lines …`)
    return out
  }
}
