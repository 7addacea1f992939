/**
 * Framing of the request/response engine: each frame is `varint(length) ‖ u32 request id (BE) ‖
 * protobuf message`. The decoder refuses a frame longer than its limit before buffering it, and a
 * malformed length prefix, with a ProtocolError; the engine then aborts that stream.
 */
import { Uint8ArrayList } from 'uint8arraylist'
import { ProtocolError } from '../shared/errors.js'

export const FRAME_ID_BYTES = 4
/** A 32-bit length needs at most 5 varint bytes; more is garbage. */
const MAX_VARINT_BYTES = 5

export interface Frame {
  id: number
  body: Uint8ArrayList
}

export function encodeFrame(id: number, body: Uint8Array): Uint8ArrayList {
  const len = body.byteLength + FRAME_ID_BYTES
  // From Node's shared pool: a Uint8Array with its own ArrayBuffer (and a DataView over it) costs
  // microseconds per frame; a pool slice costs a tenth of that, and the head lives only until it is sent.
  const head = Buffer.allocUnsafe(MAX_VARINT_BYTES + FRAME_ID_BYTES)
  let n = 0
  let v = len
  while (v >= 0x80) {
    head[n++] = (v & 0x7f) | 0x80
    v = Math.floor(v / 128)
  }
  head[n++] = v
  head.writeUInt32BE(id >>> 0, n)
  return new Uint8ArrayList(head.subarray(0, n + FRAME_ID_BYTES), body)
}

export class FrameDecoder {
  private readonly buf = new Uint8ArrayList()
  private readonly maxFrameBytes: number

  /** @param maxFrameBytes the largest message body accepted (the frame's id bytes come on top). */
  constructor(maxFrameBytes: number) {
    this.maxFrameBytes = maxFrameBytes + FRAME_ID_BYTES
  }

  get buffered(): number {
    return this.buf.byteLength
  }

  /** Adds received bytes and returns every complete frame; throws ProtocolError on garbage/oversize. */
  push(chunk: Uint8Array | Uint8ArrayList): Frame[] {
    this.buf.append(chunk)
    const out: Frame[] = []
    for (;;) {
      let len = 0
      let mul = 1
      let i = 0
      let complete = false
      while (i < this.buf.byteLength && i < MAX_VARINT_BYTES) {
        const b = this.buf.get(i++)
        len += (b & 0x7f) * mul
        mul *= 128
        if ((b & 0x80) === 0) {
          complete = true
          break
        }
      }
      if (!complete) {
        if (i >= MAX_VARINT_BYTES) throw new ProtocolError('malformed frame length')
        return out
      }
      if (len > this.maxFrameBytes) throw new ProtocolError(`frame of ${len} bytes exceeds the limit of ${this.maxFrameBytes}`)
      if (len < FRAME_ID_BYTES) throw new ProtocolError('frame shorter than its request id')
      if (this.buf.byteLength < i + len) return out
      const id = this.buf.getUint32(i)
      const body = this.buf.sublist(i + FRAME_ID_BYTES, i + len)
      this.buf.consume(i + len)
      out.push({ id, body })
    }
  }
}
