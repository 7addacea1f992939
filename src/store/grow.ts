/**
 * Growth of the slot-indexed typed arrays (struct-of-arrays) used by the store, the expiry wheel and the
 * value arena: one typed array per field instead of one JS object per entry keeps per-entry cost at the
 * field's width, with no object headers and no boxed doubles.
 */

/** Typed arrays grow 1.5×: the unused tail stays ≤ a third of the used part, and each element is copied ~3 times over the array's life. */
export const SLOT_ARRAY_GROWTH = 1.5
/** First capacity of a slot array: small enough that an idle store costs a few KiB. */
export const SLOT_ARRAY_INITIAL_LENGTH = 1024

type SlotArray = Float64Array | Uint32Array | Int32Array

/** `arr` if it already has index `index`, else a longer copy whose new part is filled with `fill`. */
export function ensureIndex<T extends SlotArray>(arr: T, index: number, fill = 0): T {
  if (index < arr.length) return arr
  const length = Math.max(index + 1, Math.ceil(arr.length * SLOT_ARRAY_GROWTH), SLOT_ARRAY_INITIAL_LENGTH)
  const next = new (arr.constructor as new (n: number) => T)(length)
  next.set(arr)
  if (fill !== 0) next.fill(fill, arr.length)
  return next
}
