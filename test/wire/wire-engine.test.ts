import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHost, type RepramLibp2p } from '../../src/host/create-host.js'
import { loadOrCreateIdentity } from '../../src/host/identity.js'
import { LOOPBACK_PROFILE } from '../../src/host/profile.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'
import { encodeFrame, FrameDecoder } from '../../src/wire/frame-codec.js'
import type { ProtocolDescriptor } from '../../src/wire/protocol.js'
import { WireEngine } from '../../src/wire/wire-engine.js'
import { waitFor } from '../helpers/wait-for.js'

interface Req {
  n: number
  wait?: boolean
  fail?: boolean
  /** Answered once the test releases the held requests. */
  hold?: boolean
}
interface Res {
  n: number
  error?: string
}

const enc = new TextEncoder()
const dec = new TextDecoder()
const ECHO: ProtocolDescriptor<Req, Res> = {
  id: '/test/echo/1.0.0',
  maxRequestBytes: 1_024,
  maxResponseBytes: 1_024,
  timeoutMs: 5_000,
  encodeRequest: (r) => enc.encode(JSON.stringify(r)),
  decodeRequest: (b) => JSON.parse(dec.decode(b.subarray())) as Req,
  encodeResponse: (r) => enc.encode(JSON.stringify(r)),
  decodeResponse: (b) => JSON.parse(dec.decode(b.subarray())) as Res,
  errorResponse: (err) => ({ n: -1, error: (err as Error).message }),
}

async function host(): Promise<RepramLibp2p> {
  const config = makeConfig({ listen: ['/ip4/127.0.0.1/tcp/0'], profile: 'loopback' })
  return createHost(config, { privateKey: await loadOrCreateIdentity(undefined), profile: LOOPBACK_PROFILE })
}

describe('wire engine over real libp2p streams', () => {
  let a: RepramLibp2p
  let b: RepramLibp2p
  let client: WireEngine
  let server: WireEngine
  let peerB: string
  let held = 0
  let release: () => void = () => {}
  let released = Promise.resolve()
  const holdNext = (): void => {
    released = new Promise((resolve) => {
      release = resolve
    })
  }

  beforeAll(async () => {
    a = await host()
    b = await host()
    client = new WireEngine({ host: a, logger: silentLogger })
    server = new WireEngine({ host: b, logger: silentLogger })
    server.register(ECHO, async (_peer, req, { signal }) => {
      if (req.fail) throw new Error('handler failed')
      if (req.wait) await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }))
      if (req.hold) {
        held++
        await released
      }
      return { n: req.n * 2 }
    })
    await client.start()
    await server.start()
    await a.dial(b.getMultiaddrs()[0])
    peerB = b.peerId.toString()
  })
  afterAll(async () => {
    await client?.stop()
    await server?.stop()
    await a?.stop()
    await b?.stop()
  })

  it('pipelines many concurrent requests over one long-lived stream, matching responses by id', async () => {
    const out = await Promise.all(Array.from({ length: 300 }, (_, n) => client.request(peerB, ECHO, { n })))
    expect(out.map((r) => r.n)).toEqual(Array.from({ length: 300 }, (_, n) => n * 2))
    const streams = a.getConnections(b.peerId).flatMap((c) => c.streams.filter((s) => s.protocol === ECHO.id))
    expect(streams.length).toBe(1)
  })

  it('builds a request given as a function only when it is sent (after waiting for a slot), and checks its size then', async () => {
    const one = new WireEngine({ host: a, logger: silentLogger }, { maxInflightPerPeer: 1 })
    await one.start()
    try {
      let built = 0
      const first = one.request(peerB, ECHO, { n: 1 })
      const second = one.request(peerB, ECHO, () => {
        built++
        return { n: 21 }
      })
      expect(built).toBe(0) // the only slot is taken: nothing encoded yet
      expect((await first).n).toBe(2)
      expect((await second).n).toBe(42)
      expect(built).toBe(1)
      await expect(one.request(peerB, ECHO, () => ({ n: 0, pad: 'x'.repeat(2_000) }) as Req)).rejects.toMatchObject({ code: 'protocol_error' })
    } finally {
      await one.stop()
    }
  })

  it('turns a handler failure into a response status, not a dead stream', async () => {
    expect(await client.request(peerB, ECHO, { n: 1, fail: true })).toEqual({ n: -1, error: 'handler failed' })
    expect((await client.request(peerB, ECHO, { n: 2 })).n).toBe(4)
  })

  it('times out a request that gets no answer with ReplicaTimeoutError', async () => {
    await expect(client.request(peerB, ECHO, { n: 1, wait: true }, { timeoutMs: 200 })).rejects.toMatchObject({ code: 'replica_timeout' })
    expect((await client.request(peerB, ECHO, { n: 3 })).n).toBe(6)
  })

  it('refuses to send a request larger than the protocol allows', async () => {
    await expect(client.request(peerB, ECHO, { n: 1, pad: 'x'.repeat(2_000) } as Req)).rejects.toMatchObject({ code: 'protocol_error' })
  })

  it('answers every request a caller sent before it half-closed, then closes its side', async () => {
    holdNext()
    held = 0
    const raw = await a.dialProtocol(b.peerId, ECHO.id)
    for (const n of [1, 2, 3]) raw.send(encodeFrame(n, ECHO.encodeRequest({ n, hold: true })))
    await waitFor(() => held === 3, { timeoutMs: 5_000, what: 'the three requests to reach the handler' })
    const served = b.getConnections(a.peerId).flatMap((c) => c.streams.filter((s) => s.protocol === ECHO.id && s.id === raw.id))
    expect(served).toHaveLength(1)
    // Half-close: the server's input ends while its three handlers still run; it must wait for them.
    await raw.close()
    await waitFor(() => served[0].remoteWriteStatus === 'closed', { timeoutMs: 5_000, what: 'the server to see the half-close' })
    release()
    const decoder = new FrameDecoder(ECHO.maxResponseBytes)
    const answers: Array<[number, number]> = []
    for await (const chunk of raw) for (const f of decoder.push(chunk)) answers.push([f.id, ECHO.decodeResponse(f.body).n])
    expect(answers.sort((x, y) => x[0] - y[0])).toEqual([
      [1, 2],
      [2, 4],
      [3, 6],
    ])
  })

  it.each([
    ['an oversized frame', encodeFrame(1, new Uint8Array(5_000)).subarray()],
    ['a malformed length prefix', new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])],
    ['an undecodable body', encodeFrame(1, enc.encode('{not json')).subarray()],
  ])('aborts the stream of a peer that sends %s, strikes it, and keeps serving', async (_what, bytes) => {
    const before = server.strikesOf(a.peerId.toString())
    const raw = await a.dialProtocol(b.peerId, ECHO.id)
    raw.send(bytes)
    let ended = false
    try {
      for await (const _ of raw) {
        // the server answers nothing to garbage
      }
      ended = true
    } catch {
      ended = true
    }
    expect(ended).toBe(true)
    expect(server.strikesOf(a.peerId.toString())).toBe(before + 1)
    expect((await client.request(peerB, ECHO, { n: 5 })).n).toBe(10)
  })
})
