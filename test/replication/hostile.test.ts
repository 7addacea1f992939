import { multiaddr } from '@multiformats/multiaddr'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANNOUNCE_TOPIC } from '../../protocols/ids.js'
import { Announcement, StoreStatus } from '../../protocols/messages.js'
import { createHost, type RepramLibp2p } from '../../src/host/create-host.js'
import { loadOrCreateIdentity } from '../../src/host/identity.js'
import { LOOPBACK_PROFILE } from '../../src/host/profile.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { encodeFrame } from '../../src/wire/frame-codec.js'
import { repramProtocols } from '../../src/wire/repram-protocols.js'
import { WireEngine } from '../../src/wire/wire-engine.js'
import { waitFor } from '../helpers/wait-for.js'
import { get, listKeys, put } from '../integration/helpers.js'

/** What the raw peer uses of its gossipsub (the host types its services `any`). */
interface RawGossip {
  subscribe(topic: string): void
  publish(topic: string, data: Uint8Array): Promise<unknown>
}

const HLC_NOW = (): bigint => BigInt(Date.now() - 1_577_836_800_000) * 4096n

describe('a peer that speaks our protocols badly', () => {
  let net: Testnet
  let evil: RepramLibp2p
  let wire: WireEngine
  const protocols = repramProtocols({ maxKeyBytes: 1024, maxValueBytes: 10 * 1024 * 1024, directoryPageEntries: 500 })

  beforeAll(async () => {
    net = await createTestnet(3)
    await net.waitForMesh()
    evil = await createHost(makeConfig({ listen: ['/ip4/127.0.0.1/tcp/0'], profile: 'loopback', nodeId: 'evil' }), {
      privateKey: await loadOrCreateIdentity(undefined),
      profile: LOOPBACK_PROFILE,
    })
    wire = new WireEngine({ host: evil, logger: silentLogger })
    await wire.start()
    for (const n of net.nodes) await evil.dial(multiaddr(n.multiaddrs[0]))
  })
  afterAll(async () => {
    await wire?.stop()
    await evil?.stop()
    await net?.stop()
  })

  it('is not believed when it pushes records with extended expiries, wrong sizes or older versions', async () => {
    const honest = net.nodes[0]
    expect((await put(honest.url, 'victim', 'the truth', 600)).status).toBe(201)
    const target = honest.peerId
    const base = { key: 'victim', hlc: HLC_NOW(), node: 1, createdAt: BigInt(Date.now()), ttlSeconds: 600 }
    const send = (record: Record<string, unknown>) =>
      wire.request(target, protocols.store, {
        record: { ...base, value: new Uint8Array([1, 2]), size: 2, remainingMs: 1_000n, ...record } as never,
        handoff: true,
        enclave: 'default',
      })

    expect((await send({ remainingMs: 10_000_000n })).status).toBe(StoreStatus.STORE_INVALID) // lifetime beyond its TTL
    expect((await send({ ttlSeconds: 10_000_000 })).status).toBe(StoreStatus.STORE_INVALID) // TTL beyond our maximum
    expect((await send({ size: 99 })).status).toBe(StoreStatus.STORE_INVALID) // size does not match the value
    expect((await send({ hlc: 1n })).status).toBe(StoreStatus.STORE_STALE) // older than what is held
    expect((await send({ key: 'other', remainingMs: 0n })).status).toBe(StoreStatus.STORE_EXPIRED)
    const wrongEnclave = await wire.request(target, protocols.store, {
      record: { ...base, value: new Uint8Array(0), size: 0, remainingMs: 1_000n },
      handoff: false,
      enclave: 'elsewhere',
    })
    expect(wrongEnclave.status).toBe(StoreStatus.STORE_REFUSED)
    for (const n of net.nodes) expect((await get(n.url, 'victim')).text).toBe('the truth')
  })

  it('gets its stream aborted and a strike for oversized frames and garbage, while honest nodes keep serving', async () => {
    for (const bytes of [encodeFrame(1, new Uint8Array(11 * 1024 * 1024)).subarray(0, 64), new Uint8Array(16).fill(0xff)]) {
      const raw = await evil.dialProtocol(multiaddr(net.nodes[1].multiaddrs[0]), protocols.store.id)
      raw.send(bytes)
      await (async () => {
        try {
          for await (const _ of raw) {
          }
        } catch {}
      })()
    }
    expect((await get(net.nodes[1].url, 'victim')).text).toBe('the truth')
  })

  it('cannot make a value readable, or a bad entry listed, by flooding announcements; invalid ones cost it score', async () => {
    const pubsub: RawGossip = evil.services.pubsub
    const evilId = evil.peerId.toString()
    pubsub.subscribe(ANNOUNCE_TOPIC)
    for (const n of net.nodes) await n.waitForGossipPeer(evilId, 10_000)
    const entry = (i: number, extra: Record<string, unknown> = {}) => ({
      key: `fake/${i}`,
      hlc: HLC_NOW(),
      node: 7,
      remainingMs: 600_000n,
      size: 10,
      ttlSeconds: 600,
      ...extra,
    })
    for (let b = 0; b < 50; b++) {
      await pubsub.publish(ANNOUNCE_TOPIC, Announcement.encode({ enclave: 'default', entries: Array.from({ length: 64 }, (_, i) => entry(b * 64 + i)) }))
    }
    for (let b = 0; b < 20; b++) {
      await pubsub.publish(
        ANNOUNCE_TOPIC,
        Announcement.encode({ enclave: 'default', entries: [entry(100_000 + b, { key: `bad/${b}`, remainingMs: 900_000_000n })] }),
      )
    }
    const honest = net.nodes[2]
    await waitFor(async () => (await listKeys(honest.url, 'fake/')).length === 50 * 64, {
      timeoutMs: 10_000,
      what: `${honest.name} to list every valid fake entry`,
    })
    expect(await listKeys(honest.url, 'bad/')).toEqual([])
    // An announcement alone never makes a value readable.
    for (const i of [0, 17, 3199]) expect((await get(honest.url, `fake/${i}`)).status).toBe(404)
    // gossipsub caches a peer's score for one heartbeat: wait for the penalty to show.
    await waitFor(() => honest.gossipScore(evilId) < 0, { timeoutMs: 5_000, what: () => `a negative score for the flooder (${honest.gossipScore(evilId)})` })
    // Bounded: the directory never holds more than the per-origin allowance plus honest keys.
    expect(honest.replicator?.directory.size).toBeLessThanOrEqual(50 * 64 + 10)
  })
})
