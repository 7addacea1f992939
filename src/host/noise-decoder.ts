/**
 * Noise's frame decoder without an exception per received chunk. @libp2p/utils' LengthPrefixedDecoder
 * (used only by @libp2p/noise) loops until its length decoder throws a RangeError for lack of bytes —
 * which, when a chunk ends on a frame boundary (nearly always), means one RangeError with a captured
 * stack per socket read: ~2.5% of a replica's CPU under write load (profiled: uint16BEDecode self time).
 * This is the same loop that stops when the buffer is empty instead; installed once per process.
 */
import { InvalidParametersError } from '@libp2p/interface'
import { InvalidMessageLengthError, LengthPrefixedDecoder } from '@libp2p/utils'
import type { Uint8ArrayList } from 'uint8arraylist'

interface DecoderFields {
  buffer: Uint8ArrayList
  maxBufferSize: number
  maxDataLength: number
  lengthDecoder: (buf: Uint8ArrayList) => number
  encodingLength: (n: number) => number
}

let installed = false

export function installQuietNoiseDecoder(): void {
  if (installed) return
  installed = true
  const proto = LengthPrefixedDecoder.prototype as unknown as { decode: (this: DecoderFields, buf: Uint8Array | Uint8ArrayList) => Generator<Uint8ArrayList> }
  if (typeof proto.decode !== 'function') return
  proto.decode = function* (this: DecoderFields, buf: Uint8Array | Uint8ArrayList): Generator<Uint8ArrayList> {
    this.buffer.append(buf)
    if (this.buffer.byteLength > this.maxBufferSize) {
      throw new InvalidParametersError(`Buffer length limit exceeded - ${this.buffer.byteLength}/${this.maxBufferSize}`)
    }
    while (this.buffer.byteLength > 0) {
      let dataLength: number
      try {
        dataLength = this.lengthDecoder(this.buffer)
      } catch (err) {
        if (err instanceof RangeError) break // not enough bytes for the length prefix yet
        throw err
      }
      if (dataLength < 0 || dataLength > this.maxDataLength) {
        throw new InvalidMessageLengthError('Invalid message length')
      }
      const lengthLength = this.encodingLength(dataLength)
      const chunkLength = lengthLength + dataLength
      if (this.buffer.byteLength < chunkLength) break
      const frame = this.buffer.sublist(lengthLength, chunkLength)
      this.buffer.consume(chunkLength)
      if (frame.byteLength > 0) yield frame
    }
  }
}
