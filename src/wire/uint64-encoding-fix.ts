/**
 * A fix for protons-runtime's uint64 writer (7.1.2, and 8.0.1 has the same code): a value in
 * [2^31, 2^32) is stored as a signed 32-bit low word, so the writer reserves five bytes and writes one —
 * 2^31 decodes as 0, other values as garbage or not at all. REPRAM sends remaining lifetimes in ms as
 * uint64, and a TTL above 24.8 days (REPRAM_MAX_TTL allows 365) falls in that range, so an honest
 * peer's record would be corrupted or refused and the sender struck. Values below 2^32 are written
 * through the (correct) uint32 varint path instead: the same bytes a correct uint64 writer produces.
 * Installed once, when the wire contracts are first used; `uint64EncodingFixed()` says whether it is.
 */
import { writer } from 'protons-runtime'

const TWO_32 = 0x1_0000_0000n
let installed = false

interface Uint64Writer {
  uint32(value: number): unknown
  uint64(value: bigint): unknown
}

export function installUint64EncodingFix(): boolean {
  if (installed) return true
  const proto = Object.getPrototypeOf(writer()) as Uint64Writer
  const original = proto.uint64
  if (typeof original !== 'function' || typeof proto.uint32 !== 'function') return false
  proto.uint64 = function (this: Uint64Writer, value: bigint) {
    return value >= 0n && value < TWO_32 ? this.uint32(Number(value)) : original.call(this, value)
  }
  installed = true
  return true
}

export function uint64EncodingFixed(): boolean {
  return installed
}
