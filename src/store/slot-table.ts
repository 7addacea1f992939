/**
 * SlotTable: the per-record metadata of the store as a struct of arrays indexed by a slot number
 * (a dense integer recycled through a free list). One typed array per field costs exactly the field's
 * width per record: no object header, no boxed double, nothing for the GC to trace. The expiry instant
 * lives in the expiry wheel and the value (and its length) in the value arena, under the same slot.
 */
import { Float64Column } from './columns.js'
import type { Version } from './record.js'

export class SlotTable {
  /** The key of each slot as a byte string (see byte-key.ts); undefined when the slot is free. */
  private readonly keys: Array<string | undefined> = []
  private readonly hlc = new Float64Column()
  private readonly node = new Float64Column()
  private readonly createdAt = new Float64Column()
  private readonly ttlSeconds = new Float64Column()
  private readonly free: number[] = []

  /** A slot for `byteKey`, reusing a freed one first. */
  alloc(byteKey: string): number {
    const reused = this.free.pop()
    if (reused !== undefined) {
      this.keys[reused] = byteKey
      return reused
    }
    const slot = this.keys.push(byteKey) - 1
    if (slot >= this.hlc.capacity) {
      this.hlc.ensure(slot)
      this.node.ensure(slot)
      this.createdAt.ensure(slot)
      this.ttlSeconds.ensure(slot)
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
    this.hlc.set(slot, version.hlc)
    this.node.set(slot, version.node)
    this.createdAt.set(slot, createdAt)
    this.ttlSeconds.set(slot, ttlSeconds)
  }

  version(slot: number): Version {
    return { hlc: this.hlc.get(slot), node: this.node.get(slot) }
  }

  createdAtOf(slot: number): number {
    return this.createdAt.get(slot)
  }

  ttlSecondsOf(slot: number): number {
    return this.ttlSeconds.get(slot)
  }

  /** Compares the held version of `slot` with `v` like `compareVersions(held, v)`, without allocating. */
  compareVersion(slot: number, v: Version): number {
    const hlc = this.hlc.get(slot)
    if (hlc !== v.hlc) return hlc < v.hlc ? -1 : 1
    const node = this.node.get(slot)
    if (node !== v.node) return node < v.node ? -1 : 1
    return 0
  }
}
