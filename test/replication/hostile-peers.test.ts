/**
 * Hostile peers against a 3-node in-process mesh (issue 12). Two scripted libp2p peers built from the
 * same host assembly as a node: `raw`, which is no member (it speaks the store protocol as a client,
 * publishes on the announcement topic and writes raw bytes on every REPRAM protocol), and `liar`,
 * which registers store/fetch/directory handlers and so becomes a member that keys are placed on; its
 * fetch answers lie. Honest GETs must keep returning the honest latest version, 404 after expiry, with
 * no resurrection; what a peer makes a node hold stays within the per-peer bounds.
 *
 * Time: every honest node reads one TestClock (wall time plus an offset, freezable), so expiry is
 * reached by advancing it and the per-origin token bucket is measured without refill. Waits poll a
 * condition with a deadline; every node and host is stopped at the end.
 */
import type { Connection, Stream } from '@libp2p/interface'
import { multiaddr } from '@multiformats/multiaddr'
import { Uint8ArrayList } from 'uint8arraylist'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANNOUNCE_TOPIC, DIRECTORY_PAGE_ENTRIES, SMALL_MESSAGE_BYTES } from '../../protocols/ids.js'
import {
  Announcement,
  type DirectoryEntry,
  DirectoryStatus,
  type FetchRequest,
  type FetchResponse,
  FetchStatus,
  type StoreResponse,
  StoreStatus,
  type WireRecord,
} from '../../protocols/messages.js'
import { createHost, type RepramLibp2p } from '../../src/host/create-host.js'
import { loadOrCreateIdentity } from '../../src/host/identity.js'
import { LOOPBACK_PROFILE } from '../../src/host/profile.js'
import { ANNOUNCE_ENTRIES_PER_ORIGIN_PER_SECOND, Announcements, Verdict } from '../../src/replication/announcements.js'
import { Directory } from '../../src/replication/directory.js'
import { ReplicaHandlers } from '../../src/replication/handlers.js'
import type { MeshReplicator } from '../../src/replication/mesh-replicator.js'
import { VersionFloor } from '../../src/replication/version-floor.js'
import { MAX_TRACKED_PEERS } from '../../src/shared/bounded-map.js'
import { type Clock, ManualClock } from '../../src/shared/clock.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'
import { etagToVersion, HLC_EPOCH_MS, type Version } from '../../src/shared/version.js'
import { MemoryStore } from '../../src/store/memory-store.js'
import { createTestnet, type Testnet, type TestnetNode } from '../../src/testnet.js'
import { encodeFrame } from '../../src/wire/frame-codec.js'
import { repramProtocols } from '../../src/wire/repram-protocols.js'
import { WireEngine, type WireHost } from '../../src/wire/wire-engine.js'
import { waitFor } from '../helpers/wait-for.js'

const MAX_KEY_BYTES = 1_024
const MAX_VALUE_BYTES = 10 * 1024 * 1024
const MAX_TTL_SECONDS = 86_400
const protocols = repramProtocols({ maxKeyBytes: MAX_KEY_BYTES, maxValueBytes: MAX_VALUE_BYTES, directoryPageEntries: DIRECTORY_PAGE_ENTRIES })
/** What one origin may add to a directory at once (the bucket's burst). */
const ORIGIN_BURST = ANNOUNCE_ENTRIES_PER_ORIGIN_PER_SECOND * 2

/** Wall time plus an offset that only grows; frozen, it stands still (no token refills, no expiry). */
class TestClock implements Clock {
  private offset = 0
  private frozenAt: number | undefined
  now(): number {
    return this.frozenAt ?? Date.now() + this.offset
  }
  advance(ms: number): void {
    if (this.frozenAt !== undefined) this.frozenAt += ms
    else this.offset += ms
  }
  freeze(): void {
    this.frozenAt = this.now()
  }
  thaw(): void {
    if (this.frozenAt === undefined) return
    this.offset = this.frozenAt - Date.now()
    this.frozenAt = undefined
  }
}

/** What the scripted peers use of their gossipsub (the host types its services `any`). */
interface RawGossip {
  subscribe(topic: string): void
  publish(topic: string, data: Uint8Array): Promise<unknown>
}

interface Peer {
  host: RepramLibp2p
  wire: WireEngine
  id: string
}

async function scriptedPeer(name: string, register?: (wire: WireEngine) => void): Promise<Peer> {
  const host = await createHost(makeConfig({ listen: ['/ip4/127.0.0.1/tcp/0'], profile: 'loopback', nodeId: name }), {
    privateKey: await loadOrCreateIdentity(undefined),
    profile: LOOPBACK_PROFILE,
  })
  const wire = new WireEngine({ host, logger: silentLogger })
  register?.(wire)
  await wire.start()
  return { host, wire, id: host.peerId.toString() }
}

async function get(url: string, key: string, method = 'GET'): Promise<{ status: number; text: string; etag: string | null }> {
  const r = await fetch(`${url}/v1/data/${encodeURIComponent(key)}`, { method })
  return { status: r.status, text: await r.text(), etag: r.headers.get('etag') }
}

async function put(url: string, key: string, value: string, ttl: number): Promise<{ status: number; etag: string }> {
  const r = await fetch(`${url}/v1/data/${encodeURIComponent(key)}?ttl=${ttl}`, { method: 'PUT', body: value })
  await r.arrayBuffer()
  return { status: r.status, etag: r.headers.get('etag') ?? '' }
}

async function listKeys(url: string, prefix: string): Promise<string[]> {
  const r = await fetch(`${url}/v1/keys?prefix=${encodeURIComponent(prefix)}`)
  return ((await r.json()) as { keys: string[] }).keys
}

/** The mesh replicator's running parts, for white-box reads (placement, the wire engine's strikes). */
function running(n: TestnetNode): { placement: { replicasFor(key: string): Array<{ peerId: string; self: boolean }> }; wire: WireEngine } {
  const r = (n.replicator as unknown as { running?: ReturnType<typeof running> } | undefined)?.running
  if (!r) throw new Error(`${n.name} is not running`)
  return r
}

function replicator(n: TestnetNode): MeshReplicator {
  if (!n.replicator) throw new Error(`${n.name} runs as a process`)
  return n.replicator
}

describe('hostile peers against a 3-node mesh', () => {
  const clock = new TestClock()
  const hlcNow = (): bigint => BigInt(clock.now() - HLC_EPOCH_MS) * 4096n
  let net: Testnet
  let raw: Peer
  let liar: Peer
  /** What the liar answers a fetch with, given the record it holds (undefined: it holds none). */
  let lie: (req: FetchRequest, held: WireRecord | undefined) => FetchResponse | Promise<FetchResponse> = (_req, held) =>
    held ? { status: FetchStatus.FETCH_FOUND, record: held } : { status: FetchStatus.FETCH_NOT_FOUND }
  const liarHeld = new Map<string, WireRecord>()
  const liarAsked: string[] = []

  beforeAll(async () => {
    net = await createTestnet(3, { clock, logLevel: 'error' })
    await net.waitForMesh()
    raw = await scriptedPeer('raw')
    liar = await scriptedPeer('liar', (wire) => {
      // A black-hole replica that remembers what it was sent (to lie about it) and answers every store OK.
      wire.register(protocols.store, (_peer, req): StoreResponse => {
        if (req.record) liarHeld.set(req.record.key, req.record)
        return { status: StoreStatus.STORE_OK, message: '', currentHlc: 0n, currentNode: 0 } as StoreResponse
      })
      wire.register(protocols.fetch, (_peer, req) => {
        liarAsked.push(req.key)
        return lie(req, liarHeld.get(req.key))
      })
      wire.register(protocols.directory, () => ({ status: DirectoryStatus.DIRECTORY_OK, entries: [], more: false }))
    })
    for (const p of [raw, liar]) for (const n of net.nodes) await p.host.dial(multiaddr(n.multiaddrs[0]))
    // The liar identifies with the store protocol: every honest node counts it as a member.
    await waitFor(() => net.nodes.every((n) => replicator(n).membership.get(liar.id) !== undefined), {
      timeoutMs: 20_000,
      what: 'every honest node to count the liar as a member',
    })
    ;(raw.host.services.pubsub as RawGossip).subscribe(ANNOUNCE_TOPIC)
    for (const n of net.nodes) await n.waitForGossipPeer(raw.id, 20_000)
  })

  afterAll(async () => {
    for (const p of [raw, liar]) {
      await p?.wire.stop()
      await p?.host.stop()
    }
    await net?.stop()
  })

  const entry = (key: string, extra: Partial<DirectoryEntry> = {}): DirectoryEntry => ({
    key,
    hlc: hlcNow(),
    node: 7,
    remainingMs: 600_000n,
    size: 10,
    ttlSeconds: 600,
    ...extra,
  })
  const publish = (entries: DirectoryEntry[]): Promise<unknown> =>
    (raw.host.services.pubsub as RawGossip).publish(ANNOUNCE_TOPIC, Announcement.encode({ enclave: 'default', entries }))
  const push = (target: TestnetNode, record: WireRecord, handoff = true): Promise<StoreResponse> =>
    raw.wire.request(target.peerId, protocols.store, { record, handoff, enclave: 'default' })
  const recordOf = (key: string, value: string, version: Version, extra: Partial<WireRecord> = {}): WireRecord => {
    const bytes = Buffer.from(value)
    return {
      key,
      value: bytes as unknown as WireRecord['value'],
      hlc: BigInt(version.hlc),
      node: version.node,
      createdAt: BigInt(clock.now()),
      ttlSeconds: 300,
      remainingMs: 300_000n,
      size: bytes.length,
      ...extra,
    }
  }
  /** Every honest gateway answers `key` with the honest value and version (GET and HEAD). */
  const expectEverywhere = async (key: string, value: string, etag: string): Promise<void> => {
    for (const n of net.nodes) {
      const g = await get(n.url, key)
      expect([n.name, g.status, g.text, g.etag]).toEqual([n.name, 200, value, etag])
      const h = await get(n.url, key, 'HEAD')
      expect([n.name, h.status, h.etag]).toEqual([n.name, 200, etag])
    }
  }
  const expectGoneEverywhere = async (key: string): Promise<void> => {
    for (const n of net.nodes) {
      expect([n.name, (await get(n.url, key)).status]).toEqual([n.name, 404])
      expect([n.name, (await get(n.url, key, 'HEAD')).status]).toEqual([n.name, 404])
      expect([n.name, await listKeys(n.url, key)]).toEqual([n.name, []])
    }
  }

  it('(a) a flood of announcements for keys never stored: nothing readable, and one origin adds at most its burst', async () => {
    const before = net.nodes.map((n) => replicator(n).directory.size)
    // Frozen: no refill while the flood arrives, so the per-origin bound is exact.
    clock.freeze()
    try {
      const batches = Math.ceil(ORIGIN_BURST / 64) + 40
      for (let b = 0; b < batches; b++) await publish(Array.from({ length: 64 }, (_, i) => entry(`flood/${b * 64 + i}`)))
      // Delivered once every node's directory stops growing.
      let last = ''
      await waitFor(
        () => {
          const now = net.nodes.map((n) => replicator(n).directory.size).join(',')
          const settled = now === last && net.nodes.every((n, i) => replicator(n).directory.size - before[i] >= ORIGIN_BURST * 0.9)
          last = now
          return settled
        },
        { timeoutMs: 30_000, intervalMs: 250, what: () => `the flood to settle (directory sizes ${last})` },
      )
      for (const [i, n] of net.nodes.entries()) {
        const added = replicator(n).directory.size - before[i]
        expect(added, n.name).toBeLessThanOrEqual(ORIGIN_BURST)
      }
    } finally {
      clock.thaw()
    }
    // Listed (an announcement is believed as metadata), never readable: no replica holds a value.
    const honest = net.nodes[1]
    for (const i of [0, 1_000, ORIGIN_BURST - 1]) expect((await get(honest.url, `flood/${i}`)).status).toBe(404)
    // Invalid entries (lifetime beyond the TTL, a version an hour ahead) are rejected, never listed.
    await publish([entry('flood-bad/lifetime', { remainingMs: 900_000_000n })])
    await publish([entry('flood-bad/future', { hlc: BigInt(clock.now() + 3_600_000 - HLC_EPOCH_MS) * 4096n })])
    await waitFor(() => honest.gossipScore(raw.id) < 0, { timeoutMs: 10_000, what: 'the invalid announcements to cost the raw peer score' })
    for (const n of net.nodes) expect(await listKeys(n.url, 'flood-bad/')).toEqual([])
  })

  it('(b) replayed announcements and pushes of an old version: no downgrade while live, no resurrection after expiry', async () => {
    const [a, b] = net.nodes
    const key = 'replay/k'
    const v1 = await put(a.url, key, 'v1', 300)
    expect(v1.status).toBe(201)
    const v2 = await put(b.url, key, 'v2', 300)
    expect(v2.status).toBe(201)
    const old = etagToVersion(v1.etag)
    const cur = etagToVersion(v2.etag)
    if (!old || !cur) throw new Error('unparsable ETag')
    // The honest nodes that hold the key (with the liar a member, one honest node may not be a replica:
    // it holds nothing to compare a push with, and reads never ask it).
    const replicas = net.nodes.filter((n) =>
      running(a)
        .placement.replicasFor(key)
        .some((r) => r.peerId === n.peerId),
    )
    expect(replicas.length).toBeGreaterThanOrEqual(2)
    await waitFor(() => replicas.every((n) => n.store?.meta(key)?.version.hlc === cur.hlc), { timeoutMs: 5_000, what: 'every honest replica to hold v2' })
    const oldEntry = entry(key, { hlc: BigInt(old.hlc), node: old.node, remainingMs: 300_000n, size: 2, ttlSeconds: 300 })
    // While v2 is live: the replayed v1 announcement and pushes of v1 change nothing.
    await publish([oldEntry])
    for (const n of replicas) expect([n.name, (await push(n, recordOf(key, 'v1', old))).status]).toEqual([n.name, StoreStatus.STORE_STALE])
    await expectEverywhere(key, 'v2', v2.etag)
    // Past v2's expiry: gone everywhere.
    clock.advance(301_000)
    await expectGoneEverywhere(key)
    // Replays after expiry, with fresh lifetimes: the announcements of both versions and pushes of both
    // versions with their true creation time, to every node (one claimed just now: the BUG test below).
    await publish([oldEntry, entry(key, { hlc: BigInt(cur.hlc), node: cur.node, remainingMs: 300_000n, size: 2, ttlSeconds: 300 })])
    const refused = [StoreStatus.STORE_STALE, StoreStatus.STORE_EXPIRED]
    for (const [value, v] of [
      ['v1', old],
      ['v2', cur],
    ] as const) {
      for (const n of net.nodes) {
        const res = await push(n, recordOf(key, value, v, { createdAt: BigInt(clock.now() - 301_000) }))
        expect([n.name, value, refused.includes(res.status)]).toEqual([n.name, value, true])
      }
    }
    // Retries, repair and handoff have had their chance: still gone, and it stays gone.
    const until = Date.now() + 1_500
    while (Date.now() < until) {
      await expectGoneEverywhere(key)
      await new Promise((r) => setTimeout(r, 250))
    }
  })

  // BUG (src/replication/record-codec.ts fromWire ~line 50, with version-floor.ts supersedes ~line 131):
  // after a record expires and is reclaimed, the SAME version pushed again with a createdAt claimed
  // just now is stored with a fresh lifetime and served again: a resurrection. fromWire clamps the
  // expiry to createdAt + TTL, and createdAt is the sender's claim; the floor refuses only strictly
  // newer remembered versions (messages.proto says STORE_STALE covers "a newer or equal one
  // remembered"). Clamping to the version's own wall time + TTL (as announcements.ts apply() does)
  // would bind the expiry to what the writer stamped. Failing input, after v expired and was swept:
  // StoreRequest{record:{key, value:'v', hlc:v.hlc, node:v.node, createdAt:now, ttlSeconds:300,
  // remainingMs:300000}, handoff:true}. Remove `.fails` once it is refused.
  it.fails('BUG: an expired version pushed again with a fresh createdAt is refused (no resurrection)', async () => {
    const [a] = net.nodes
    const key = 'replay/resurrect'
    const w = await put(a.url, key, 'v', 300)
    expect(w.status).toBe(201)
    const v = etagToVersion(w.etag)
    if (!v) throw new Error('unparsable ETag')
    const replicas = net.nodes.filter((n) =>
      running(a)
        .placement.replicasFor(key)
        .some((r) => r.peerId === n.peerId),
    )
    await waitFor(() => replicas.every((n) => n.store?.meta(key) !== undefined), { timeoutMs: 5_000, what: 'every honest replica to hold the key' })
    clock.advance(301_000)
    await waitFor(() => replicas.every((n) => n.store?.versionOf(key) === undefined), { timeoutMs: 10_000, what: 'the replicas to reclaim the expired record' })
    for (const n of replicas) {
      const res = await push(n, recordOf(key, 'v', v, { createdAt: BigInt(clock.now()) }))
      // Refused: as expired (its version's own time + TTL is past) or as stale (remembered).
      expect([n.name, [StoreStatus.STORE_EXPIRED, StoreStatus.STORE_STALE].includes(res.status)]).toEqual([n.name, true])
    }
    await expectGoneEverywhere(key)
  })

  /** Keys whose closest replica is the liar (so every honest reader asks it among its first answers). */
  function keysLiarLeads(count: number, prefix: string): string[] {
    const out: string[] = []
    for (let i = 0; out.length < count && i < 10_000; i++) {
      const key = `${prefix}/${i}`
      const replicas = running(net.nodes[0]).placement.replicasFor(key)
      if (replicas[0]?.peerId === liar.id && net.nodes.every((n) => running(n).placement.replicasFor(key)[0]?.peerId === liar.id)) out.push(key)
    }
    if (out.length < count) throw new Error('no key is placed on the liar first')
    return out
  }

  it('(c) a replica answering fetches with extended expiries, another key, a wrong size or nothing: honest reads still get the honest value', async () => {
    const lies: Record<string, (held: WireRecord) => FetchResponse | Promise<FetchResponse>> = {
      'lifetime beyond its TTL': (held) => ({ status: FetchStatus.FETCH_FOUND, record: { ...held, remainingMs: BigInt(held.ttlSeconds) * 10_000n } }),
      'TTL beyond the maximum': (held) => ({ status: FetchStatus.FETCH_FOUND, record: { ...held, ttlSeconds: MAX_TTL_SECONDS * 10, remainingMs: 10n ** 10n } }),
      'another key': (held) => ({ status: FetchStatus.FETCH_FOUND, record: { ...held, key: `${held.key}/other` } }),
      'a size that is not the value': (held) => ({ status: FetchStatus.FETCH_FOUND, record: { ...held, size: held.size + 1 } }),
      'a version beyond 2^53': (held) => ({ status: FetchStatus.FETCH_FOUND, record: { ...held, hlc: 2n ** 60n } }),
      'an error status': () => ({ status: FetchStatus.FETCH_ERROR }),
      'found, without a record': () => ({ status: FetchStatus.FETCH_FOUND }),
      'no answer at all (hedged around)': () =>
        new Promise<FetchResponse>((resolve) => setTimeout(() => resolve({ status: FetchStatus.FETCH_NOT_FOUND }), 3_000)),
    }
    const keys = keysLiarLeads(Object.keys(lies).length, 'lie')
    for (const [i, [what, answer]] of Object.entries(lies).entries()) {
      const key = keys[i]
      lie = (_req, held) => (held ? answer(held) : { status: FetchStatus.FETCH_NOT_FOUND })
      const value = `honest value ${i}`
      const w = await put(net.nodes[i % 3].url, key, value, 600)
      expect([what, w.status]).toEqual([what, 201])
      // 201 needs two honest replicas; the liar's copy may arrive just after.
      await waitFor(() => liarHeld.has(key), { timeoutMs: 5_000, what: `the liar to be pushed ${key}` })
      const asked = liarAsked.length
      const t0 = Date.now()
      await expectEverywhere(key, value, w.etag)
      expect(liarAsked.length, `${what}: the liar was asked`).toBeGreaterThan(asked)
      // A silent replica costs a hedge delay per read, not its 5 s fetch timeout.
      expect(Date.now() - t0, what).toBeLessThan(6 * 2_500)
    }
    lie = (_req, held) => (held ? { status: FetchStatus.FETCH_FOUND, record: held } : { status: FetchStatus.FETCH_NOT_FOUND })
  })

  it('(c) pushes with an extended expiry, a TTL beyond the maximum, a wrong size or a huge version are refused; the held value stays', async () => {
    const [a] = net.nodes
    const key = 'pushed/victim'
    const w = await put(a.url, key, 'the truth', 600)
    expect(w.status).toBe(201)
    const v = etagToVersion(w.etag)
    if (!v) throw new Error('unparsable ETag')
    const newer = { hlc: v.hlc + 1, node: v.node }
    for (const n of net.nodes) {
      for (const [what, extra] of [
        ['lifetime beyond its TTL', { remainingMs: 10_000_000n }],
        ['TTL beyond the maximum', { ttlSeconds: MAX_TTL_SECONDS + 1 }],
        ['size not the value', { size: 99 }],
        ['version beyond 2^53', { hlc: 2n ** 60n }],
        ['empty key', { key: '' }],
        ['key over the limit', { key: 'k'.repeat(MAX_KEY_BYTES + 1) }],
      ] as const) {
        expect([n.name, what, (await push(n, recordOf(key, 'forged', newer, extra))).status]).toEqual([n.name, what, StoreStatus.STORE_INVALID])
      }
    }
    await expectEverywhere(key, 'the truth', w.etag)
  })

  // BUG (src/replication/record-codec.ts, invalidReason, ~line 44): a pushed record's createdAt is not
  // checked. One beyond Date's range (> 8.64e15 ms) is stored; every GET/HEAD of the key then answers
  // 500 `internal` (isoTime → RangeError formatting X-Created-At in src/gateway/routes/data.ts). The
  // same record served by a replica's fetch answer (read-path.ts uses invalidReason too) does the same.
  // Failing input: StoreRequest{record:{key:'bogus/created', value:'x', size:1, hlc:<now>, node:1,
  // createdAt:2^62, ttlSeconds:600, remainingMs:600000}, enclave:'default'}. Remove `.fails` once fixed.
  it('a pushed record created beyond Date range is refused (a GET never answers 5xx for it)', async () => {
    const key = 'bogus/created'
    for (const n of net.nodes)
      await push(n, recordOf(key, 'x', { hlc: Number(hlcNow()), node: 1 }, { createdAt: 2n ** 62n, ttlSeconds: 600, remainingMs: 600_000n }))
    for (const n of net.nodes) expect([n.name, (await get(n.url, key)).status]).toEqual([n.name, expect.toBeOneOf([200, 404])])
  })

  // BUG (src/replication/handlers.ts, store, ~line 75: `this.c.hlc?.observe(version)` returns false for a
  // version more than MAX_FUTURE_SKEW_MS ahead, and the record is stored anyway; read-path.ts fetch,
  // ~line 163, believes such an answer the same way and read repair pushes it on). Announcements reject
  // such versions ('version') and the HLC refuses to observe them, but a store push does not: any
  // connected peer can push a version an hour ahead to the replicas, after which the key serves its
  // value and every honest overwrite answers 503 clock_skew (blaming this node's clock) until the
  // record expires, and the version floor keeps refusing older versions for REPRAM_MAX_TTL after that.
  // Failing input: StoreRequest{record:{key:'future/k', value:'hostile', size:7, hlc:(now+3600000−
  // HLC_EPOCH_MS)·4096, node:1, createdAt:now, ttlSeconds:600, remainingMs:600000}} to each node.
  // Remove `.fails` once such a push is refused (STORE_INVALID) and the honest write wins.
  it('a pushed version an hour ahead is refused, and an honest overwrite then wins', async () => {
    const key = 'future/k'
    const far = { hlc: Number(BigInt(clock.now() + 3_600_000 - HLC_EPOCH_MS) * 4096n), node: 1 }
    for (const n of net.nodes) {
      const res = await push(n, recordOf(key, 'hostile', far, { ttlSeconds: 600, remainingMs: 600_000n }))
      expect([n.name, res.status]).toEqual([n.name, StoreStatus.STORE_INVALID])
    }
    const w = await put(net.nodes[0].url, key, 'honest', 600)
    expect(w.status).toBe(201)
    await expectEverywhere(key, 'honest', w.etag)
  })

  it('(d) oversized and garbage frames on every REPRAM protocol: the stream is cut, the peer struck, honest nodes keep serving', async () => {
    const target = net.nodes[1]
    const w = await put(net.nodes[0].url, 'frames/sentinel', 'still here', 600)
    expect(w.status).toBe(201)
    const garbage: Array<[string, Uint8Array, boolean]> = [
      ['a length prefix claiming 1 GiB', Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x04), true],
      ['a frame just over the limit', new Uint8Array(0), true],
      ['an overlong varint', new Uint8Array(16).fill(0xff), true],
      ['a frame shorter than its id', Uint8Array.of(2, 0, 0), true],
      ['a well-framed undecodable body', encodeFrame(1, new Uint8Array(64).fill(0xff)).subarray(), true],
      ['a truncated frame, then a half-close', encodeFrame(1, new Uint8Array(100)).subarray().subarray(0, 20), false],
    ]
    const before = running(target).wire.strikesOf(raw.id)
    let expected = 0
    const rss = process.memoryUsage().rss
    for (const desc of [protocols.store, protocols.fetch, protocols.directory]) {
      // Just over this protocol's request limit, from the prefix alone.
      garbage[1][1] = varint(desc.maxRequestBytes + 5)
      for (const [what, bytes, strikes] of garbage) {
        const stream = await dialRetry(raw.host, target, desc.id)
        stream.send(bytes)
        if (!strikes) await stream.close()
        const ended = await drained(stream, 5_000)
        expect([desc.id, what, ended]).toEqual([desc.id, what, true])
        if (strikes) expected++
      }
    }
    await waitFor(() => running(target).wire.strikesOf(raw.id) - before >= expected, {
      timeoutMs: 5_000,
      what: () => `${expected} strikes (seen ${running(target).wire.strikesOf(raw.id) - before})`,
    })
    expect(running(target).wire.strikesOf(raw.id) - before).toBe(expected)
    // Nothing claimed was buffered: well under the 1 GiB and 10 MiB the frames claimed.
    expect(process.memoryUsage().rss - rss).toBeLessThan(256 * 1024 * 1024)
    for (const n of net.nodes) expect((await get(n.url, 'frames/sentinel')).text).toBe('still here')
  })
})

/** Opens a raw stream; after a hang-up (every MAX_STRIKES_BEFORE_HANGUP strikes) the connection is redialled. */
async function dialRetry(host: RepramLibp2p, target: TestnetNode, protocol: string): Promise<Stream> {
  const peer = target.replicator?.libp2p?.peerId
  if (!peer) throw new Error(`${target.name} is not running`)
  let last: unknown
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline) {
    try {
      return await host.dialProtocol(peer, protocol)
    } catch (err) {
      last = err
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  throw last
}

function varint(v: number): Uint8Array {
  const out: number[] = []
  let n = v
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80)
    n = Math.floor(n / 128)
  }
  out.push(n)
  return Uint8Array.from(out)
}

/** Reads `stream` until the remote ends or aborts it; false if it is still open at the deadline. */
async function drained(stream: Stream, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  const deadline = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs)
  })
  const read = (async () => {
    try {
      for await (const _ of stream) {
        // the remote answers nothing to garbage
      }
    } catch {}
    return true
  })()
  const ended = await Promise.race([read, deadline])
  clearTimeout(timer)
  if (!ended) stream.abort(new Error('test deadline'))
  return ended
}

// ---------------------------------------------------------------------------------------------------
// Per-peer bounds, measured directly (no network): what a flood of peer ids makes a node hold
// ---------------------------------------------------------------------------------------------------

describe('per-peer state stays bounded under a flood of peer ids', () => {
  const T0 = 1_800_000_000_000
  const hlcAt = (ms: number): bigint => BigInt(ms - HLC_EPOCH_MS) * 4096n

  it('one origin adds at most its burst of announced entries; many origins keep at most MAX_TRACKED_PEERS buckets', () => {
    const clock = new ManualClock(T0)
    const directory = new Directory({}, {})
    const ann = new Announcements(
      { clock, logger: silentLogger, directory },
      { enclave: 'default', limits: { maxKeyBytes: 64, maxValueBytes: 1_024, maxTtlSeconds: 3_600 } },
    )
    const batch = (origin: string, from: number) =>
      Announcement.encode({
        enclave: 'default',
        entries: Array.from({ length: 64 }, (_, i) => ({
          key: `${origin}/${from + i}`,
          hlc: hlcAt(T0),
          node: 1,
          remainingMs: 60_000n,
          size: 1,
          ttlSeconds: 60,
        })),
      })
    const verdicts = Array.from({ length: ORIGIN_BURST / 64 + 10 }, (_, b) => ann.receive('flooder', batch('f', b * 64)))
    expect(verdicts.filter((v) => v === Verdict.Accept).length).toBe(ORIGIN_BURST / 64)
    expect(verdicts.slice(ORIGIN_BURST / 64).every((v) => v === Verdict.Ignore)).toBe(true)
    expect(directory.size).toBe(ORIGIN_BURST)
    // The bucket refills at its rate, not faster.
    clock.advance(1_000)
    const refill = Array.from({ length: 400 }, (_, b) => ann.receive('flooder', batch('g', b * 64))).filter((v) => v === Verdict.Accept).length
    expect(refill).toBe(Math.floor(ANNOUNCE_ENTRIES_PER_ORIGIN_PER_SECOND / 64))
    // A sybil flood of origins: the buckets map keeps at most MAX_TRACKED_PEERS.
    for (let p = 0; p < MAX_TRACKED_PEERS + 500; p++) {
      ann.receive(
        `sybil-${p}`,
        Announcement.encode({ enclave: 'default', entries: [{ key: `s/${p}`, hlc: hlcAt(T0), node: 1, remainingMs: 1_000n, size: 1, ttlSeconds: 60 }] }),
      )
    }
    expect((ann as unknown as { buckets: { size: number } }).buckets.size).toBeLessThanOrEqual(MAX_TRACKED_PEERS)
  })

  it('the store budget keeps at most MAX_TRACKED_PEERS peers', () => {
    const clock = new ManualClock(T0)
    const store = new MemoryStore({ clock })
    const floor = new VersionFloor({ store, clock }, { maxTtlMs: 3_600_000 })
    const handlers = new ReplicaHandlers(
      { clock, store, floor, directory: new Directory() },
      { enclave: 'default', limits: { maxKeyBytes: 64, maxValueBytes: 1_024, maxTtlSeconds: 3_600 }, accepting: () => true },
    )
    for (let p = 0; p < MAX_TRACKED_PEERS + 500; p++) {
      const res = handlers.store(`sybil-${p}`, {
        record: {
          key: `k${p}`,
          value: Uint8Array.of(1) as WireRecord['value'],
          hlc: hlcAt(T0),
          node: 1,
          createdAt: BigInt(T0),
          ttlSeconds: 60,
          remainingMs: 60_000n,
          size: 1,
        },
        handoff: false,
        enclave: 'default',
      })
      expect(res.status).toBe(StoreStatus.STORE_OK)
    }
    expect((handlers as unknown as { budgets: { size: number } }).budgets.size).toBeLessThanOrEqual(MAX_TRACKED_PEERS)
  })

  it('the wire engine remembers strikes of at most MAX_TRACKED_PEERS peers (the oldest forgotten first)', async () => {
    let serve: ((stream: Stream, conn: Connection) => void | Promise<void>) | undefined
    const host: WireHost = {
      handle: async (_id, handler) => {
        serve = handler
      },
      unhandle: async () => {},
      dialProtocol: async () => {
        throw new Error('no dialing here')
      },
    }
    const engine = new WireEngine({ host, logger: silentLogger })
    engine.register(protocols.fetch, () => ({ status: FetchStatus.FETCH_NOT_FOUND }))
    await engine.start()
    const garbage = new Uint8Array(8).fill(0xff)
    for (let p = 0; p < MAX_TRACKED_PEERS + 100; p++) {
      let aborted: Error | undefined
      const stream = {
        writeStatus: 'writable',
        async *[Symbol.asyncIterator]() {
          yield new Uint8ArrayList(garbage)
        },
        send: () => true,
        onDrain: async () => {},
        close: async () => {},
        abort: (err: Error) => {
          aborted = err
        },
      }
      await serve?.(stream as unknown as Stream, { remotePeer: { toString: () => `sybil-${p}` } } as unknown as Connection)
      expect(aborted?.name).toBe('ProtocolError')
    }
    expect(engine.strikesOf('sybil-0')).toBe(0)
    expect(engine.strikesOf(`sybil-${MAX_TRACKED_PEERS + 99}`)).toBe(1)
    await engine.stop()
    // Small control messages stay small: a fetch request is refused past the key limit plus 4 KiB.
    expect(protocols.fetch.maxRequestBytes).toBe(MAX_KEY_BYTES + SMALL_MESSAGE_BYTES)
  })
})
