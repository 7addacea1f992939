import type { Stream } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import { encodeFrame, FrameDecoder } from '../../src/wire/frame-codec.js'
import { FrameWriter } from '../../src/wire/frame-writer.js'

function fakeStream() {
  const sent: unknown[] = []
  const stream = { writeStatus: 'writable', send: (b: unknown) => sent.push(b) > 0, abort() {}, onDrain: async () => {} }
  return { stream: stream as unknown as Stream, sent }
}

describe('frame writer', () => {
  it('sends the frames of one loop turn as one contiguous buffer, in order', async () => {
    const { stream, sent } = fakeStream()
    const w = new FrameWriter(stream)
    for (let id = 1; id <= 3; id++) w.write(encodeFrame(id, new Uint8Array(100 * id).fill(id)))
    expect(sent).toHaveLength(0)
    await new Promise((r) => setImmediate(r))
    expect(sent).toHaveLength(1)
    expect(sent[0]).toBeInstanceOf(Uint8Array)
    const frames = new FrameDecoder(1_000).push(sent[0] as Uint8Array)
    expect(frames.map((f) => [f.id, f.body.byteLength, f.body.get(0)])).toEqual([
      [1, 100, 1],
      [2, 200, 2],
      [3, 300, 3],
    ])
  })
})
