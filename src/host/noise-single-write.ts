/**
 * Noise hands each encrypted message to the transport as ONE buffer. @libp2p/noise 17 passes on a list
 * (length prefix, one ciphertext part per plaintext part, the tag), and @libp2p/tcp writes every part of
 * a list with its own `socket.write` — a syscall each, which on loopback also runs the receiver's TCP
 * path: 4+ syscalls per yamux frame, ~20% of the gateway node's CPU under mesh PUT load (profiled:
 * writeBuffer under sendData). Copying the few parts into one buffer costs far less. Installed on the
 * connection class the first time Noise returns one (the class is not exported), once per process.
 */
import type { ConnectionEncrypter } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'

interface EncryptedStreamFields {
  encrypt(data: Uint8Array | Uint8ArrayList): Uint8ArrayList
  stream: { send(data: Uint8Array | Uint8ArrayList): boolean }
}

let installed = false

function install(connection: object): void {
  if (installed) return
  installed = true
  const proto = Object.getPrototypeOf(connection) as {
    encrypt?: unknown
    sendData?: (this: EncryptedStreamFields, data: Uint8Array | Uint8ArrayList) => { sentBytes: number; canSendMore: boolean }
  }
  // Only the shape we know (encrypt, then send): anything else keeps its own behaviour.
  if (typeof proto.encrypt !== 'function' || typeof proto.sendData !== 'function') return
  proto.sendData = function (this: EncryptedStreamFields, data: Uint8Array | Uint8ArrayList) {
    const encrypted = this.encrypt(data)
    return { sentBytes: data.byteLength, canSendMore: this.stream.send(encrypted.subarray()) }
  }
}

/** Wraps Noise's encrypter factory so the connections it returns write one buffer per message. */
export function singleWriteNoise<C, E extends ConnectionEncrypter>(factory: (components: C) => E): (components: C) => E {
  return (components: C): E => {
    const enc = factory(components)
    const outbound = enc.secureOutbound.bind(enc)
    const inbound = enc.secureInbound.bind(enc)
    enc.secureOutbound = (async (connection, options) => {
      const res = await outbound(connection, options)
      install(res.connection)
      return res
    }) as E['secureOutbound']
    enc.secureInbound = (async (connection, options) => {
      const res = await inbound(connection, options)
      install(res.connection)
      return res
    }) as E['secureInbound']
    return enc
  }
}
