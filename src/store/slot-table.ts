/**
 * SlotTable: the per-record metadata of the store as a struct of arrays indexed by a slot number
 * (a dense integer recycled through a free list). One typed array per field costs exactly the field's
 * width per record: no object header, no boxed double, nothing for the GC to trace. The expiry instant
 * lives in the expiry wheel and the value (and its length) in the value arena, under the same slot.
 */
import { ensureIndex } from './grow.js'
import type { Version } from './record.js'

export class SlotTable {
  /** The key of each slot as a byte string (see byte-key.ts); undefined when the slot is free. */
  private readonly keys: Array<string | undefined> = []
  private hlc = new Float64Array(0)
  private node = new Float64Array(0)
  private createdAt = new Float64Array(0)
  private ttlSeconds = new Float64Array(0)
  private readonly free: number[] = []

  /** A slot for `byteKey`, reusing a freed one first. */
  alloc(byteKey: string): number {
    const reused = this.free.pop()
    if (reused !== undefined) {
      this.keys[reused] = byteKey
      return reused
    }
    const slot = this.keys.push(byteKey) - 1
    if (slot >= this.hlc.length) {
      this.hlc = ensureIndex(this.hlc, slot)
      this.node = ensureIndex(this.node, slot)
      this.createdAt = ensureIndex(this.createdAt, slot)
      this.ttlSeconds = ensureIndex(this.ttlSeconds, slot)
    }
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
    this.hlc[slot] = version.hlc
    this.node[slot] = version.node
    this.createdAt[slot] = createdAt
    this.ttlSeconds[slot] = ttlSeconds
  }

  version(slot: number): Version {
    return { hlc: this.hlc[slot], node: this.node[slot] }
  }

  createdAtOf(slot: number): number {
    return this.createdAt[slot]
  }

  ttlSecondsOf(slot: number): number {
    return this.ttlSeconds[slot]
  }

  /** Compares the held version of `slot` with `v` like `compareVersions(held, v)`, without allocating. */
  compareVersion(slot: number, v: Version): number {
    const hlc = this.hlc[slot]
    if (hlc !== v.hlc) return hlc < v.hlc ? -1 : 1
    const node = this.node[slot]
    if (node !== v.node) return node < v.node ? -1 : 1
    return 0
  }
}
