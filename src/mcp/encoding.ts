/**
 * The `encoding` argument of repram_store / repram_retrieve: text values travel as UTF-8 strings,
 * binary ones as standard base64. Decoding is strict so a model learns at once that its base64 or
 * its choice of encoding was wrong, instead of storing or reading garbage.
 */
import { InvalidRequestError } from '../shared/errors.js'

export type ValueEncoding = 'utf8' | 'base64'

const utf8 = new TextDecoder('utf-8', { fatal: true })
const encoder = new TextEncoder()
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

export function decodeData(data: string, encoding: ValueEncoding): Uint8Array {
  if (encoding === 'utf8') return encoder.encode(data)
  const compact = data.replace(/\s+/g, '')
  if (!BASE64.test(compact)) {
    throw new InvalidRequestError(
      'data is not valid standard base64 (A-Z a-z 0-9 + / with = padding); encode the bytes again, or use encoding "utf8" for text.',
    )
  }
  const bytes = Buffer.from(compact, 'base64')
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

export function encodeData(value: Uint8Array, encoding: ValueEncoding): string {
  if (encoding === 'base64') return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64')
  try {
    return utf8.decode(value)
  } catch {
    throw new InvalidRequestError(
      `The value is ${value.byteLength} bytes of binary data, not valid UTF-8 text; call repram_retrieve again with encoding "base64".`,
    )
  }
}
