import { LengthPrefixedDecoder } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'
import { describe, expect, it } from 'vitest'
import { installQuietNoiseDecoder } from '../../src/host/noise-decoder.js'

const u16 = (buf: Uint8ArrayList | Uint8Array): number => {
  if (buf.length < 2) throw new RangeError('Could not decode int16BE')
  return buf instanceof Uint8Array ? (buf[0] << 8) + buf[1] : buf.getUint16(0)
}
const frame = (body: number[]): number[] => [body.length >> 8, body.length & 0xff, ...body]

describe('quiet noise frame decoder', () => {
  installQuietNoiseDecoder()
  const decoder = (): LengthPrefixedDecoder => new LengthPrefixedDecoder({ lengthDecoder: u16, encodingLength: () => 2, maxDataLength: 8 })
  const bodies = (d: LengthPrefixedDecoder, bytes: number[]): number[][] => [...d.decode(Uint8Array.from(bytes))].map((b) => [...b.subarray()])

  it('yields every whole frame of a chunk, keeps a partial one (even a partial length prefix) for the next chunk', () => {
    const d = decoder()
    const bytes = [...frame([1, 2, 3]), ...frame([4]), ...frame([5, 6])]
    expect(bodies(d, bytes.slice(0, 7))).toEqual([[1, 2, 3]]) // 5 + 2 bytes: the second frame is incomplete
    expect(bodies(d, bytes.slice(7, 8))).toEqual([[4]])
    expect(bodies(d, bytes.slice(8, 9))).toEqual([]) // one byte of a length prefix
    expect(bodies(d, bytes.slice(9))).toEqual([[5, 6]])
    expect(bodies(d, [])).toEqual([])
  })

  it('refuses a length over the limit', () => {
    expect(() => bodies(decoder(), frame([1, 2, 3, 4, 5, 6, 7, 8, 9]))).toThrow(/Invalid message length/)
  })
})
