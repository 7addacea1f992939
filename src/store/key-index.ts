/**
 * KeyIndex: an ordered map from string keys to values (a B+tree), for listings that cost O(log n + page)
 * instead of a scan and sort of the keyspace. Insert, delete, lookup and seek are O(log n); iteration
 * walks linked leaves. Keys are ordered by JS string comparison (UTF-16 code units): give it byte strings
 * (`./byte-key.ts`) to get UTF-8 byte order. Generic, so the mesh's key directory can reuse it.
 *
 * Memory: a leaf holds two plain arrays (keys, values), so an entry costs ~16 B at full occupancy.
 * Appending past the end of a leaf (sequential keys) splits it 64/1 instead of 32/32, so ascending or
 * descending inserts leave full leaves; deletion keeps every non-root node at least half full.
 */

/** Entries per node: binary search is ~6 compares and a splice moves ≤ 64 pointers, while the per-node overhead spreads over many entries. */
export const KEY_INDEX_NODE_CAPACITY = 64
const CAP = KEY_INDEX_NODE_CAPACITY
const MIN = CAP >>> 1

/** A leaf of the tree (exported for subclasses that track where entries live, see SlotKeyIndex). */
export class Leaf<V> {
  readonly isLeaf = true
  next: Leaf<V> | null = null
  /** A number a subclass may give the leaf (-1: none). */
  id = -1
  constructor(
    public keys: string[],
    public vals: V[],
  ) {}
}

class Branch<V> {
  readonly isLeaf = false
  /** keys[i] separates children[i] (all keys < keys[i]) from children[i + 1] (all keys ≥ keys[i]). */
  constructor(
    public keys: string[],
    public children: Array<Leaf<V> | Branch<V>>,
  ) {}
}

type Node<V> = Leaf<V> | Branch<V>

/** First index whose key is ≥ key. */
function lowerBound(keys: string[], key: string): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid] < key) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** First index whose key is > key. */
function upperBound(keys: string[], key: string): number {
  let lo = 0
  let hi = keys.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (keys[mid] <= key) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** `a.splice(i, 0, x)` without allocating the (empty) array splice returns: this runs on every insert. */
function insertAt<T>(a: T[], i: number, x: T): void {
  let j = a.length
  a.push(x)
  for (; j > i; j--) a[j] = a[j - 1]
  a[i] = x
}

/** `a.splice(i, 1)` without allocating: this runs on every delete (every expiry). */
function removeAt<T>(a: T[], i: number): void {
  const last = a.length - 1
  for (let j = i; j < last; j++) a[j] = a[j + 1]
  a.length = last
}

export class KeyIndex<V> {
  private root: Node<V> = new Leaf<V>([], [])
  private count = 0
  // Reused descent path (branches and the child index taken in each), so writes allocate nothing.
  private readonly pathNodes: Branch<V>[] = []
  private readonly pathIdx: number[] = []

  get size(): number {
    return this.count
  }

  get(key: string): V | undefined {
    let node = this.root
    while (!node.isLeaf) node = node.children[upperBound(node.keys, key)]
    const i = lowerBound(node.keys, key)
    return i < node.keys.length && node.keys[i] === key ? node.vals[i] : undefined
  }

  has(key: string): boolean {
    return this.get(key) !== undefined
  }

  /** Inserts or replaces; true when the key was new. */
  set(key: string, value: V): boolean {
    const leaf = this.descend(key)
    const i = lowerBound(leaf.keys, key)
    if (i < leaf.keys.length && leaf.keys[i] === key) {
      leaf.vals[i] = value
      return false
    }
    insertAt(leaf.keys, i, key)
    insertAt(leaf.vals, i, value)
    this.count++
    this.placed(leaf, i, i + 1)
    if (leaf.keys.length > CAP) this.splitLeaf(leaf, i)
    return true
  }

  /** Removes the key; true when it was present. */
  delete(key: string): boolean {
    const leaf = this.descend(key)
    const i = lowerBound(leaf.keys, key)
    if (i >= leaf.keys.length || leaf.keys[i] !== key) return false
    removeAt(leaf.keys, i)
    removeAt(leaf.vals, i)
    this.count--
    if (leaf.keys.length < MIN && this.pathNodes.length > 0) this.rebalanceLeaf(leaf)
    return true
  }

  clear(): void {
    this.root = new Leaf<V>([], [])
    this.count = 0
  }

  /**
   * Hook: entries `from`…`to - 1` of `leaf` were just put there (an insert, or moved by a split, merge
   * or borrow). Entries only shifted within their leaf are not reported.
   */
  protected placed(_leaf: Leaf<V>, _from: number, _to: number): void {}

  /** Hook: `leaf` left the tree (merged into a neighbour). */
  protected retired(_leaf: Leaf<V>): void {}

  /**
   * Removes entry `i` of `leaf` when that needs no rebalancing (the leaf stays at least half full, or is
   * the root), without a descent from the root; false, changing nothing, otherwise.
   */
  protected removeInPlace(leaf: Leaf<V>, i: number): boolean {
    if (leaf.keys.length <= MIN && leaf !== this.root) return false
    removeAt(leaf.keys, i)
    removeAt(leaf.vals, i)
    this.count--
    return true
  }

  /**
   * Visits entries in key order from `start` (≥ start when inclusive, else > start; the first key when
   * undefined) until `visit` returns false. O(log n + visited). Do not modify the index inside `visit`.
   */
  scan(start: string | undefined, inclusive: boolean, visit: (key: string, value: V) => boolean): void {
    let [leaf, i] = this.seek(start, inclusive)
    while (leaf) {
      const { keys, vals } = leaf
      for (; i < keys.length; i++) if (!visit(keys[i], vals[i])) return
      leaf = leaf.next
      i = 0
    }
  }

  /**
   * Entries in key order from `start`, lazily. Tolerates modification between steps: it snapshots one
   * leaf at a time and re-seeks after the last key it yielded, so each entry was present when its leaf was
   * read (check again if that matters) and no key present throughout is skipped or repeated.
   */
  *entries(start?: string, inclusive = true): Generator<[string, V]> {
    let from = start
    let incl = inclusive
    for (;;) {
      const [leaf, i] = this.seek(from, incl)
      if (!leaf) return
      const keys = leaf.keys.slice(i)
      const vals = leaf.vals.slice(i)
      for (let j = 0; j < keys.length; j++) yield [keys[j], vals[j]]
      from = keys[keys.length - 1]
      incl = false
    }
  }

  /** The leaf and index of the first entry at/after `start`, or [null, 0] past the end. */
  private seek(start: string | undefined, inclusive: boolean): [Leaf<V> | null, number] {
    let node = this.root
    if (start === undefined) {
      while (!node.isLeaf) node = node.children[0]
    } else {
      while (!node.isLeaf) node = node.children[upperBound(node.keys, start)]
    }
    let leaf: Leaf<V> | null = node
    let i = start === undefined ? 0 : inclusive ? lowerBound(node.keys, start) : upperBound(node.keys, start)
    while (leaf && i >= leaf.keys.length) {
      leaf = leaf.next
      i = 0
    }
    return [leaf, i]
  }

  private descend(key: string): Leaf<V> {
    this.pathNodes.length = 0
    this.pathIdx.length = 0
    let node = this.root
    while (!node.isLeaf) {
      const i = upperBound(node.keys, key)
      this.pathNodes.push(node)
      this.pathIdx.push(i)
      node = node.children[i]
    }
    return node
  }

  private splitLeaf(leaf: Leaf<V>, inserted: number): void {
    const n = leaf.keys.length
    // Sequential inserts: keep the old leaf full and start a new one with the single new key.
    const mid = inserted === n - 1 ? n - 1 : inserted === 0 ? 1 : n >>> 1
    const right = new Leaf<V>(leaf.keys.splice(mid), leaf.vals.splice(mid))
    right.next = leaf.next
    leaf.next = right
    this.placed(right, 0, right.keys.length)
    this.insertInParent(leaf, right.keys[0], right)
  }

  private insertInParent(left: Node<V>, separator: string, right: Node<V>): void {
    let l = left
    let sep = separator
    let r = right
    for (let level = this.pathNodes.length - 1; level >= 0; level--) {
      const parent = this.pathNodes[level]
      const ci = this.pathIdx[level]
      parent.keys.splice(ci, 0, sep)
      parent.children.splice(ci + 1, 0, r)
      if (parent.children.length <= CAP) return
      const m = parent.keys.length >>> 1
      sep = parent.keys[m]
      r = new Branch<V>(parent.keys.splice(m + 1), parent.children.splice(m + 1))
      parent.keys.length = m
      l = parent
    }
    this.root = new Branch<V>([sep], [l, r])
  }

  private rebalanceLeaf(leaf: Leaf<V>): void {
    const level = this.pathNodes.length - 1
    const parent = this.pathNodes[level]
    const ci = this.pathIdx[level]
    if (ci > 0) {
      const left = parent.children[ci - 1] as Leaf<V>
      if (left.keys.length + leaf.keys.length <= CAP) {
        const at = left.keys.length
        left.keys.push(...leaf.keys)
        left.vals.push(...leaf.vals)
        left.next = leaf.next
        this.placed(left, at, left.keys.length)
        this.retired(leaf)
        parent.keys.splice(ci - 1, 1)
        parent.children.splice(ci, 1)
        this.fixBranch(level)
      } else {
        const k = (left.keys.length - leaf.keys.length) >>> 1
        leaf.keys.unshift(...left.keys.splice(left.keys.length - k))
        leaf.vals.unshift(...left.vals.splice(left.vals.length - k))
        this.placed(leaf, 0, k)
        parent.keys[ci - 1] = leaf.keys[0]
      }
    } else {
      const right = parent.children[ci + 1] as Leaf<V>
      if (right.keys.length + leaf.keys.length <= CAP) {
        const at = leaf.keys.length
        leaf.keys.push(...right.keys)
        leaf.vals.push(...right.vals)
        leaf.next = right.next
        this.placed(leaf, at, leaf.keys.length)
        this.retired(right)
        parent.keys.splice(ci, 1)
        parent.children.splice(ci + 1, 1)
        this.fixBranch(level)
      } else {
        const k = (right.keys.length - leaf.keys.length) >>> 1
        const at = leaf.keys.length
        leaf.keys.push(...right.keys.splice(0, k))
        leaf.vals.push(...right.vals.splice(0, k))
        this.placed(leaf, at, leaf.keys.length)
        parent.keys[ci] = right.keys[0]
      }
    }
  }

  /** Restores the fill invariant of the branch at `level` of the last descent path after a merge below. */
  private fixBranch(level: number): void {
    const node = this.pathNodes[level]
    if (level === 0) {
      if (node.children.length === 1) this.root = node.children[0]
      return
    }
    if (node.children.length >= MIN) return
    const parent = this.pathNodes[level - 1]
    const ci = this.pathIdx[level - 1]
    if (ci > 0) {
      const left = parent.children[ci - 1] as Branch<V>
      if (left.children.length + node.children.length <= CAP) {
        left.keys.push(parent.keys[ci - 1], ...node.keys)
        left.children.push(...node.children)
        parent.keys.splice(ci - 1, 1)
        parent.children.splice(ci, 1)
        this.fixBranch(level - 1)
      } else {
        node.keys.unshift(parent.keys[ci - 1])
        node.children.unshift(left.children.pop() as Node<V>)
        parent.keys[ci - 1] = left.keys.pop() as string
      }
    } else {
      const right = parent.children[ci + 1] as Branch<V>
      if (right.children.length + node.children.length <= CAP) {
        node.keys.push(parent.keys[ci], ...right.keys)
        node.children.push(...right.children)
        parent.keys.splice(ci, 1)
        parent.children.splice(ci + 1, 1)
        this.fixBranch(level - 1)
      } else {
        node.keys.push(parent.keys[ci])
        node.children.push(right.children.shift() as Node<V>)
        parent.keys[ci] = right.keys.shift() as string
      }
    }
  }
}
