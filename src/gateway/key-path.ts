/**
 * The key of a `/v1/data/<key>` path: the raw request-line segment, percent-decoded exactly once into
 * the key the facade validates. HTTP-only (it reads node:http's latin1 request line), so it lives in
 * the gateway; every other front door hands the facade a plain string.
 */
import { InvalidKeyError, KeyTooLongError } from '../shared/errors.js'

const utf8 = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()

function hex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30
  if (c >= 0x41 && c <= 0x46) return c - 0x37
  if (c >= 0x61 && c <= 0x66) return c - 0x57
  return -1
}

/**
 * Decodes the raw (still percent-encoded) path segment after `/v1/data/` exactly once.
 * Malformed escapes or invalid UTF-8 → InvalidKeyError; more than maxBytes → KeyTooLongError.
 * Never throws anything else. The raw length is checked first so a 100 KB path costs little.
 */
export function decodeKeyPath(raw: string, maxBytes: number): string {
  if (raw.length === 0) throw new InvalidKeyError('The key is empty.')
  // A decoded key is at least a third of its encoded length: reject obviously long keys early.
  if (raw.length > maxBytes * 3) throw new KeyTooLongError(maxBytes)
  let plain = true
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c === 0x25 || c > 0x7e) {
      plain = false
      break
    }
  }
  if (plain) {
    if (raw.length > maxBytes) throw new KeyTooLongError(maxBytes)
    return raw
  }
  // Bytes of the path as received: node:http gives the request line as latin1 characters.
  const bytes = new Uint8Array(raw.length * 3)
  let n = 0
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c === 0x25) {
      const h = i + 2 < raw.length ? hex(raw.charCodeAt(i + 1)) : -1
      const l = i + 2 < raw.length ? hex(raw.charCodeAt(i + 2)) : -1
      if (h < 0 || l < 0) throw new InvalidKeyError('The key has a malformed percent-escape.')
      bytes[n++] = (h << 4) | l
      i += 2
    } else if (c <= 0xff) {
      bytes[n++] = c
    } else {
      // Already-decoded Unicode (not from a raw request line): encode it.
      const enc = encoder.encode(raw.slice(i, i + (c >= 0xd800 && c <= 0xdbff ? 2 : 1)))
      bytes.set(enc, n)
      n += enc.length
      if (c >= 0xd800 && c <= 0xdbff) i++
    }
    if (n > maxBytes) throw new KeyTooLongError(maxBytes)
  }
  if (n === 0) throw new InvalidKeyError('The key is empty.')
  try {
    return utf8.decode(bytes.subarray(0, n))
  } catch {
    throw new InvalidKeyError('The key is not valid UTF-8.')
  }
}
