/**
 * Paged typed arrays for per-slot fields, instead of one JS object per entry: an entry costs exactly its
 * fields' width, with no object header, no boxed double, nothing for the GC to trace. Owners interleave a
 * record's fields (slot * stride + field) so reading one record touches one cache line.
 * Columns grow by whole pages and never copy: a single growing typed array would be reallocated
 * (each growth leaving a freed block the allocator may keep, and a third of the last one unused);
 * pages keep the slack under one page and the process's resident memory equal to what is used.
 * One class per element type keeps every access site monomorphic.
 */

/** Slots per page: 4,096 × 8 B = 32 KiB, so an idle column costs little and the per-page buffer overhead (~200 B) is < 1% of a page. */
export const COLUMN_PAGE_SLOTS = 4096
const SHIFT = 12
const MASK = COLUMN_PAGE_SLOTS - 1

export class Float64Column {
  private readonly pages: Float64Array[] = []
  constructor(private readonly initial = 0) {}
  /** Number of slots addressable without growing. */
  get capacity(): number {
    return this.pages.length << SHIFT
  }
  get(i: number): number {
    return this.pages[i >>> SHIFT][i & MASK]
  }
  set(i: number, v: number): void {
    this.pages[i >>> SHIFT][i & MASK] = v
  }
  /** Makes slot `i` addressable (new slots hold the initial value). */
  ensure(i: number): void {
    while (this.pages.length <= i >>> SHIFT) {
      const page = new Float64Array(COLUMN_PAGE_SLOTS)
      if (this.initial !== 0) page.fill(this.initial)
      this.pages.push(page)
    }
  }
}

export class Int32Column {
  private readonly pages: Int32Array[] = []
  constructor(private readonly initial = 0) {}
  get capacity(): number {
    return this.pages.length << SHIFT
  }
  get(i: number): number {
    return this.pages[i >>> SHIFT][i & MASK]
  }
  set(i: number, v: number): void {
    this.pages[i >>> SHIFT][i & MASK] = v
  }
  ensure(i: number): void {
    while (this.pages.length <= i >>> SHIFT) {
      const page = new Int32Array(COLUMN_PAGE_SLOTS)
      if (this.initial !== 0) page.fill(this.initial)
      this.pages.push(page)
    }
  }
}

export class Uint32Column {
  private readonly pages: Uint32Array[] = []
  constructor(private readonly initial = 0) {}
  get capacity(): number {
    return this.pages.length << SHIFT
  }
  get(i: number): number {
    return this.pages[i >>> SHIFT][i & MASK]
  }
  set(i: number, v: number): void {
    this.pages[i >>> SHIFT][i & MASK] = v
  }
  ensure(i: number): void {
    while (this.pages.length <= i >>> SHIFT) {
      const page = new Uint32Array(COLUMN_PAGE_SLOTS)
      if (this.initial !== 0) page.fill(this.initial)
      this.pages.push(page)
    }
  }
}
