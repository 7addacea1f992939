import type { ConnectionEncrypter } from '@libp2p/interface'
import { Uint8ArrayList } from 'uint8arraylist'
import { describe, expect, it } from 'vitest'
import { singleWriteNoise } from '../../src/host/noise-single-write.js'

/** The shape of @libp2p/noise's encrypted connection: encrypt() gives a list, sendData() hands it on. */
class FakeEncrypted {
  readonly sent: Array<Uint8Array | Uint8ArrayList> = []
  readonly stream = { send: (b: Uint8Array | Uint8ArrayList) => this.sent.push(b) > 0 }
  encrypt(data: Uint8Array | Uint8ArrayList): Uint8ArrayList {
    return new Uint8ArrayList(new Uint8Array([0, data.byteLength]), data.subarray(), new Uint8Array([9, 9]))
  }
  sendData(data: Uint8Array | Uint8ArrayList) {
    return { sentBytes: data.byteLength, canSendMore: this.stream.send(this.encrypt(data)) }
  }
}

describe('noise single write', () => {
  it('hands each encrypted message to the transport as one buffer', async () => {
    const conn = new FakeEncrypted()
    const enc = { secureInbound: async () => ({ connection: conn }), secureOutbound: async () => ({ connection: conn }) }
    const wrapped = singleWriteNoise(() => enc as unknown as ConnectionEncrypter)({})
    const { connection } = await wrapped.secureOutbound({} as never)
    expect(connection).toBe(conn)
    const r = conn.sendData(new Uint8ArrayList(new Uint8Array([1, 2]), new Uint8Array([3])))
    expect(r).toEqual({ sentBytes: 3, canSendMore: true })
    expect(conn.sent).toHaveLength(1)
    expect(conn.sent[0]).toBeInstanceOf(Uint8Array)
    expect([...(conn.sent[0] as Uint8Array)]).toEqual([0, 3, 1, 2, 3, 9, 9])
  })
})
