import { describe, expect, it } from 'vitest'
import { encodeFrame, FrameDecoder } from '../../src/wire/frame-codec.js'

const bytes = (n: number, fill = 7): Uint8Array => new Uint8Array(n).fill(fill)

describe('frame codec', () => {
  it('round-trips frames split across arbitrary chunk boundaries', () => {
    const frames = [encodeFrame(1, bytes(0)), encodeFrame(2, bytes(300, 1)), encodeFrame(0xffffffff, bytes(70_000, 2))]
    const all = new Uint8Array(frames.reduce((n, f) => n + f.byteLength, 0))
    let o = 0
    for (const f of frames) {
      all.set(f.subarray(), o)
      o += f.byteLength
    }
    const dec = new FrameDecoder(100_000)
    const out = []
    for (let i = 0; i < all.length; i += 97) out.push(...dec.push(all.subarray(i, i + 97)))
    expect(out.map((f) => f.id)).toEqual([1, 2, 0xffffffff])
    expect(out.map((f) => f.body.byteLength)).toEqual([0, 300, 70_000])
    expect(out[2].body.subarray().every((b) => b === 2)).toBe(true)
    expect(dec.buffered).toBe(0)
  })

  it('refuses an oversized frame from its length prefix alone, before buffering the body', () => {
    const dec = new FrameDecoder(1_000)
    const f = encodeFrame(9, bytes(2_000))
    expect(() => dec.push(f.subarray(0, 4))).toThrowError(expect.objectContaining({ code: 'protocol_error' }))
  })

  it('refuses garbage: an overlong varint or a frame too short for its id', () => {
    expect(() => new FrameDecoder(1_000).push(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toThrowError(
      expect.objectContaining({ code: 'protocol_error' }),
    )
    expect(() => new FrameDecoder(1_000).push(new Uint8Array([2, 0, 0]))).toThrowError(expect.objectContaining({ code: 'protocol_error' }))
  })

  it('waits for the rest of a partial frame', () => {
    const dec = new FrameDecoder(1_000)
    const f = encodeFrame(5, bytes(10)).subarray()
    expect(dec.push(f.subarray(0, 6))).toEqual([])
    const out = dec.push(f.subarray(6))
    expect(out.length).toBe(1)
    expect(out[0].id).toBe(5)
  })
})
