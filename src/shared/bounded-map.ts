/**
 * A Map with a size cap: setting a new key past the cap forgets the oldest inserted key (a key set
 * again moves to the newest place). Every per-peer memo in the node (strikes, store budgets,
 * announcement origins, dial backoff) is one of these, so a flood of peer ids costs bounded memory.
 */

/**
 * Peers whose per-peer state a node keeps: well above what a node is connected to (libp2p's
 * connection manager caps that at a few hundred), small enough that a sybil flood costs little.
 */
export const MAX_TRACKED_PEERS = 4_096

export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>()
  readonly maxSize: number

  constructor(maxSize: number) {
    this.maxSize = Math.max(1, maxSize)
  }

  get size(): number {
    return this.map.size
  }

  get(key: K): V | undefined {
    return this.map.get(key)
  }

  has(key: K): boolean {
    return this.map.has(key)
  }

  /** Sets `key` as the newest entry; forgets the oldest when that makes the map exceed its cap. */
  set(key: K, value: V): this {
    this.map.delete(key)
    this.map.set(key, value)
    if (this.map.size > this.maxSize) {
      const oldest = this.map.keys().next()
      if (!oldest.done) this.map.delete(oldest.value)
    }
    return this
  }

  delete(key: K): boolean {
    return this.map.delete(key)
  }

  clear(): void {
    this.map.clear()
  }

  keys(): IterableIterator<K> {
    return this.map.keys()
  }

  entries(): IterableIterator<[K, V]> {
    return this.map.entries()
  }
}
