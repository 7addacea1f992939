/**
 * SlotTable: the per-record metadata of the store as a struct of arrays indexed by a slot number
 * (a dense integer recycled through a free list). The numeric fields are interleaved in one paged typed
 * array, so a record costs exactly its fields' width (no object header, no boxed double, nothing for the
 * GC to trace) and reading a record touches one cache line, not one per field. The expiry instant
 * lives in the expiry wheel and the value (and its length) in the value arena, under the same slot.
 */
import { Float64Column } from '../shared/columns.js'
import type { Version } from '../shared/version.js'

const STRIDE = 4
const HLC = 0
const NODE = 1
const CREATED_AT = 2
const TTL_SECONDS = 3

export class SlotTable {
  /** The key of each slot as a byte string (see byte-key.ts); undefined when the slot is free. */
  private readonly keys: Array<string | undefined> = []
  /** hlc, node, createdAt, ttlSeconds of slot s at 4s…4s+3: one record's fields share a cache line. */
  private readonly fields = new Float64Column()
  private readonly free: number[] = []

  /** A slot for `byteKey`, reusing a freed one first. */
  alloc(byteKey: string): number {
    const reused = this.free.pop()
    if (reused !== undefined) {
      this.keys[reused] = byteKey
      return reused
    }
    const slot = this.keys.push(byteKey) - 1
    this.fields.ensure(slot * STRIDE + STRIDE - 1)
    return slot
  }

  release(slot: number): void {
    this.keys[slot] = undefined
    this.free.push(slot)
  }

  keyOf(slot: number): string | undefined {
    return this.keys[slot]
  }

  set(slot: number, version: Version, createdAt: number, ttlSeconds: number): void {
    const at = slot * STRIDE
    this.fields.set(at + HLC, version.hlc)
    this.fields.set(at + NODE, version.node)
    this.fields.set(at + CREATED_AT, createdAt)
    this.fields.set(at + TTL_SECONDS, ttlSeconds)
  }

  version(slot: number): Version {
    const at = slot * STRIDE
    return { hlc: this.fields.get(at + HLC), node: this.fields.get(at + NODE) }
  }

  createdAtOf(slot: number): number {
    return this.fields.get(slot * STRIDE + CREATED_AT)
  }

  ttlSecondsOf(slot: number): number {
    return this.fields.get(slot * STRIDE + TTL_SECONDS)
  }

  /** Compares the held version of `slot` with `v` like `compareVersions(held, v)`, without allocating. */
  compareVersion(slot: number, v: Version): number {
    const hlc = this.fields.get(slot * STRIDE + HLC)
    if (hlc !== v.hlc) return hlc < v.hlc ? -1 : 1
    const node = this.fields.get(slot * STRIDE + NODE)
    if (node !== v.node) return node < v.node ? -1 : 1
    return 0
  }
}
