/**
 * The version of a record: a hybrid logical clock reading (integer ms since `HLC_EPOCH_MS` times 2^12
 * plus a 12-bit counter — exact in a float64) and a 32-bit node tie-break, compared in that order, so
 * concurrent writes to one key converge on the same winner everywhere. Everything that reads or writes
 * a version's parts lives here: comparison, the ETag form, the wall time a version carries and the one
 * bound on how far ahead of our clock a peer's version may be.
 */
export interface Version {
  /** Hybrid logical clock value: (ms since HLC_EPOCH_MS) * 4096 + counter. */
  readonly hlc: number
  /** Tie-break: a 32-bit hash of the writing node's id. */
  readonly node: number
}

/** 2020-01-01T00:00:00Z: with 41 bits of ms the HLC lasts until 2089 and stays an exact float64. */
export const HLC_EPOCH_MS = 1_577_836_800_000
export const HLC_COUNTER_BITS = 12
export const HLC_COUNTER_MAX = (1 << HLC_COUNTER_BITS) - 1

/** A version's wall time may run ahead of this node's clock by this much (clock skew) before it is refused or ignored. */
export const MAX_FUTURE_SKEW_MS = 60_000

/** The wall time (ms since the Unix epoch) at which the version was issued. */
export function versionWallMs(hlc: number): number {
  return Math.floor(hlc / 2 ** HLC_COUNTER_BITS) + HLC_EPOCH_MS
}

export function compareVersions(a: Version, b: Version): number {
  if (a.hlc !== b.hlc) return a.hlc < b.hlc ? -1 : 1
  if (a.node !== b.node) return a.node < b.node ? -1 : 1
  return 0
}

/** Two lowercase hex digits for every byte value. */
const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) => (i < 16 ? '0' : '') + i.toString(16))
const HEX_DIGIT = '0123456789abcdef'
const TWO_POW_32 = 0x1_0000_0000

/** A uint32 as exactly 8 lowercase hex digits. */
function hex8(n: number): string {
  return HEX_BYTE[n >>> 24] + HEX_BYTE[(n >>> 16) & 0xff] + HEX_BYTE[(n >>> 8) & 0xff] + HEX_BYTE[n & 0xff]
}

/** A uint32 in lowercase hex without leading zeros ("0" for 0). */
function hexShortest(n: number): string {
  let s = ''
  do {
    s = HEX_DIGIT[n & 15] + s
    n >>>= 4
  } while (n !== 0)
  return s
}

/**
 * The ETag form of a version: `"<hlc in hex>-<node in 8 hex digits>"` (quoted, as HTTP wants). Built from table lookups: `Number#toString(16)` costs ~0.8 µs
 * here, ten times this, and every GET and PUT answer carries an ETag.
 */
export function versionToEtag(v: Version): string {
  const hi = Math.floor(v.hlc / TWO_POW_32)
  // `>>> 0` is the value modulo 2^32: exact for the non-negative integers below 2^53 an HLC reading is.
  const lo = v.hlc >>> 0
  return `"${hi === 0 ? hexShortest(lo) : hexShortest(hi) + hex8(lo)}-${hex8(v.node >>> 0)}"`
}

/** Parses an ETag produced by `versionToEtag`; undefined if it isn't one. */
export function etagToVersion(etag: string): Version | undefined {
  const m = /^"?([0-9a-f]{1,14})-([0-9a-f]{8})"?$/.exec(etag.trim())
  if (!m) return undefined
  return { hlc: Number.parseInt(m[1], 16), node: Number.parseInt(m[2], 16) }
}
