/**
 * SlotKeyIndex: a KeyIndex whose values are slot numbers (dense non-negative integers, one per entry)
 * and which knows which leaf holds each slot, so removing a slot's entry (every expiry) costs a look in
 * one leaf instead of a descent from the root. The descent compares the key with ~20 keys on the way
 * down, each a string somewhere else in the heap: with a million random keys that is ~20 cache misses,
 * ~2 µs, most of what a mass expiry cost per record. The leaf of each slot costs 4 B (a paged Int32
 * column); it is updated whenever an entry lands in a leaf (insert, split, merge, borrow).
 */
import { Int32Column } from '../shared/columns.js'
import { KeyIndex, type Leaf } from './key-index.js'

const NO_LEAF = -1

export class SlotKeyIndex extends KeyIndex<number> {
  /** Leaf id of each slot's entry (stale for slots not in the index: `deleteSlot` checks). */
  private readonly leafOf = new Int32Column(NO_LEAF)
  private readonly leaves: Array<Leaf<number> | undefined> = []
  private readonly freeIds: number[] = []

  /**
   * Removes the entry of `slot`, whose key is `key`: in place when its leaf stays at least half full,
   * else (about once per half a leaf of deletions) through `delete(key)`, which rebalances.
   * True when it was present.
   */
  deleteSlot(key: string, slot: number): boolean {
    const id = slot < this.leafOf.capacity ? this.leafOf.get(slot) : NO_LEAF
    const leaf = id === NO_LEAF ? undefined : this.leaves[id]
    if (leaf !== undefined) {
      const i = leaf.vals.indexOf(slot)
      if (i >= 0 && leaf.keys[i] === key && this.removeInPlace(leaf, i)) return true
    }
    return this.delete(key)
  }

  override clear(): void {
    super.clear()
    this.leaves.length = 0
    this.freeIds.length = 0
  }

  protected override placed(leaf: Leaf<number>, from: number, to: number): void {
    if (leaf.id === NO_LEAF) {
      leaf.id = this.freeIds.pop() ?? this.leaves.length
      this.leaves[leaf.id] = leaf
    }
    const vals = leaf.vals
    for (let i = from; i < to; i++) {
      const slot = vals[i]
      if (slot >= this.leafOf.capacity) this.leafOf.ensure(slot)
      this.leafOf.set(slot, leaf.id)
    }
  }

  protected override retired(leaf: Leaf<number>): void {
    if (leaf.id === NO_LEAF) return
    this.leaves[leaf.id] = undefined
    this.freeIds.push(leaf.id)
    leaf.id = NO_LEAF
  }
}
