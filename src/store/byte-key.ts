/**
 * Keys are held internally as "byte strings": one JS char per UTF-8 byte (latin1 of the UTF-8 encoding).
 * JS compares strings by UTF-16 code unit, which is not UTF-8 byte order (an astral char, stored as a
 * surrogate pair 0xD800–0xDBFF, sorts before U+E000–U+FFFF in UTF-16 but after them in UTF-8). On byte
 * strings every code unit is < 256, so plain `<` is exactly UTF-8 byte order; and V8 stores them one
 * byte per char, so a key costs its byte length. An ASCII key is its own byte string.
 */

/** A byte string has only chars < 0x100; any ≥ 0x80 is part of a multi-byte UTF-8 sequence. */
const NON_ASCII = /[\x80-\xff]/

/** Any UTF-16 code unit ≥ 0x80 (surrogates included): the string is not its own byte string. */
const NON_ASCII_UTF16 = /[\u0080-\uffff]/

/**
 * The byte string of `key`, for lookups and comparisons. May return `key` itself (ASCII), which can be
 * a cons or sliced string: use `ownedByteKey` for a string you will keep.
 */
export function toByteKey(key: string): string {
  return NON_ASCII_UTF16.test(key) ? Buffer.from(key, 'utf8').toString('latin1') : key
}

/**
 * A fresh, flat, one-byte copy of the byte string of `key`: safe to retain without pinning the caller's
 * parent string (a slice of a URL) or keeping a cons-string wrapper alive.
 */
export function ownedByteKey(key: string): string {
  return Buffer.from(key, 'utf8').toString('latin1')
}

/** The JS string a byte string encodes. */
export function fromByteKey(bytes: string): string {
  return NON_ASCII.test(bytes) ? Buffer.from(bytes, 'latin1').toString('utf8') : bytes
}
