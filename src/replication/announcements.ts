/**
 * Announcements on gossipsub: every accepted write is announced as metadata only (key, version,
 * remaining lifetime, TTL, size, enclave; never the value), batched for throughput. Received batches
 * are validated before anything is believed (sizes, limits, lifetimes, versions not from the future):
 * an invalid one is Rejected, which costs its sender through the topic's P4 score. Valid entries of our
 * enclave feed the directory, bounded per origin by a token bucket.
 */
import { ANNOUNCE_MAX_ENTRIES, ANNOUNCE_MAX_MESSAGE_BYTES, ANNOUNCE_TOPIC } from '../../protocols/ids.js'
import { Announcement, type DirectoryEntry } from '../../protocols/messages.js'
import { MAX_TRACKED_PEERS } from '../shared/bounded-map.js'
import type { Clock } from '../shared/clock.js'
import type { Logger } from '../shared/logger.js'
import { KeyedTokenBuckets } from '../shared/token-bucket.js'
import { MAX_FUTURE_SKEW_MS, type Version, versionWallMs } from '../shared/version.js'
import type { RecordMeta } from '../store/record.js'
import { installUint64EncodingFix } from '../wire/uint64-encoding-fix.js'
import type { Directory } from './directory.js'

// Announcements carry remaining lifetimes as uint64: see uint64-encoding-fix.ts.
installUint64EncodingFix()

/**
 * Batch window: one gossip message per this many ms (or per ANNOUNCE_MAX_ENTRIES entries). A message
 * costs every node about the same whatever its size (decode, message id, an IDONTWANT to its other mesh
 * peers, a forward): at 5 ms, gossip took ~25% of a replica's CPU under 2,500 writes/s (profiled); 25 ms
 * fills a batch at ~2,500 writes/s and only delays listings elsewhere (reads never wait for it).
 */
export const ANNOUNCE_FLUSH_MS = 25
/** Entries per second one origin may add to our directory (burst 2×): bounds what a peer makes us hold. */
export const ANNOUNCE_ENTRIES_PER_ORIGIN_PER_SECOND = 20_000
/** Clock skew tolerated when checking a claimed remaining lifetime against its TTL (validation only). */
const EXPIRY_SLACK_MS = 2_000

export enum Verdict {
  Accept = 'accept',
  Reject = 'reject',
  Ignore = 'ignore',
}

/** What gossipsub asks of a received message before it forwards it. */
export type TopicValidator = (peer: { toString(): string }, msg: { data: Uint8Array; from?: { toString(): string } }) => 'accept' | 'reject' | 'ignore'

export interface PubSubLike {
  /** gossipsub's per-topic validators: installed at start, removed at stop. */
  topicValidators?: Map<string, TopicValidator>
  /** Peers subscribed to a topic (when known). */
  getSubscribers?(topic: string): Array<{ toString(): string }>
  subscribe(topic: string): void
  unsubscribe(topic: string): void
  publish(topic: string, data: Uint8Array): Promise<unknown>
  /** Connected pubsub peers (when known: with none, an announcement reaches no one). */
  getPeers?(): unknown[]
}

export interface AnnouncementLimits {
  maxKeyBytes: number
  maxValueBytes: number
  maxTtlSeconds: number
}

export class Announcements {
  private readonly clock: Clock
  private readonly log: Logger
  private readonly directory: Directory
  private readonly enclave: string
  private readonly limits: AnnouncementLimits
  private pubsub: PubSubLike | undefined
  private batch: DirectoryEntry[] = []
  /** Each batched entry's absolute expiry: its remaining lifetime is computed at flush, as late as possible. */
  private batchExpiry: number[] = []
  private timer: NodeJS.Timeout | undefined
  /** What one origin may add to our directory: ANNOUNCE_ENTRIES_PER_ORIGIN_PER_SECOND, burst 2×. */
  private readonly buckets = new KeyedTokenBuckets<string>({
    ratePerSecond: ANNOUNCE_ENTRIES_PER_ORIGIN_PER_SECOND,
    burst: ANNOUNCE_ENTRIES_PER_ORIGIN_PER_SECOND * 2,
    maxKeys: MAX_TRACKED_PEERS,
  })
  rejected = 0

  /** The node's version clock: it observes every announced version (and counts those beyond the skew bound). */
  private readonly hlc: { observe(v: Version): boolean } | undefined

  constructor(
    components: { clock: Clock; logger: Logger; directory: Directory; hlc?: { observe(v: Version): boolean } },
    init: { enclave: string; limits: AnnouncementLimits },
  ) {
    this.clock = components.clock
    this.hlc = components.hlc
    this.log = components.logger
    this.directory = components.directory
    this.enclave = init.enclave
    this.limits = init.limits
  }

  /** Subscribes to the announcement topic and validates what arrives on it (gossipsub asks before it forwards). */
  start(pubsub: PubSubLike): void {
    if (this.pubsub) return
    this.pubsub = pubsub
    pubsub.topicValidators?.set(ANNOUNCE_TOPIC, (peer, msg) => {
      const v = this.receive((msg.from ?? peer).toString(), msg.data)
      return v === Verdict.Accept ? 'accept' : v === Verdict.Reject ? 'reject' : 'ignore'
    })
    pubsub.subscribe(ANNOUNCE_TOPIC)
  }

  /** Peers subscribed to the announcement topic. */
  subscribers(): string[] {
    return this.pubsub?.getSubscribers?.(ANNOUNCE_TOPIC).map((p) => p.toString()) ?? []
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.batch = []
    this.batchExpiry = []
    this.pubsub?.topicValidators?.delete(ANNOUNCE_TOPIC)
    try {
      this.pubsub?.unsubscribe(ANNOUNCE_TOPIC)
    } catch {}
    this.pubsub = undefined
  }

  /** Queues an accepted write for announcement (and records it in our own directory). */
  announce(meta: RecordMeta): void {
    const now = this.clock.now()
    this.directory.upsert(meta.key, meta.version, meta.expiresAt, meta.size, now)
    if (!this.pubsub) return
    this.batch.push({
      key: meta.key,
      hlc: BigInt(meta.version.hlc),
      node: meta.version.node,
      remainingMs: 0n,
      size: meta.size,
      ttlSeconds: meta.ttlSeconds,
    })
    this.batchExpiry.push(meta.expiresAt)
    if (this.batch.length >= ANNOUNCE_MAX_ENTRIES) this.flush()
    else if (!this.timer) this.timer = setTimeout(() => this.flush(), ANNOUNCE_FLUSH_MS)
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    const entries = this.batch
    const expiries = this.batchExpiry
    this.batch = []
    this.batchExpiry = []
    if (entries.length === 0 || !this.pubsub) return
    // No pubsub peer at all (a mesh of one): publishing would reach no one, yet gossipsub would keep the
    // message for its last heartbeats (at a preload's rate, ~100 B per key written in that window).
    if (this.pubsub.getPeers?.().length === 0) return
    // Remaining lifetime as of now (not as of the write): the batch window never extends an entry.
    const now = this.clock.now()
    for (let i = 0; i < entries.length; i++) entries[i].remainingMs = BigInt(Math.max(0, Math.floor(expiries[i] - now)))
    this.pubsub.publish(ANNOUNCE_TOPIC, Announcement.encode({ enclave: this.enclave, entries })).catch((err: unknown) => {
      this.log.debug('announcement not published', { err: err as Error })
    })
  }

  /** Validates and applies a received announcement; the verdict goes back to gossipsub. */
  receive(origin: string, data: Uint8Array): Verdict {
    if (data.byteLength > ANNOUNCE_MAX_MESSAGE_BYTES) return this.reject(origin, 'oversized')
    let msg: Announcement
    try {
      msg = Announcement.decode(data, { limits: { entries: ANNOUNCE_MAX_ENTRIES } })
    } catch {
      return this.reject(origin, 'undecodable')
    }
    return this.apply(origin, msg.enclave, msg.entries, true)
  }

  /** Validates and applies entries (an announcement, or a page of a peer's directory when syncing). */
  apply(origin: string, enclave: string, entries: DirectoryEntry[], rateLimited: boolean): Verdict {
    if (enclave.length > 64) return this.reject(origin, 'enclave')
    const now = this.clock.now()
    for (const e of entries) {
      const why = this.invalid(e, now)
      if (why === 'version' && e.hlc <= BigInt(Number.MAX_SAFE_INTEGER)) this.hlc?.observe({ hlc: Number(e.hlc), node: e.node })
      if (why) return this.reject(origin, why)
    }
    if (enclave !== this.enclave) return Verdict.Ignore
    if (rateLimited && !this.take(origin, entries.length, now)) return Verdict.Ignore
    for (const e of entries) {
      const hlc = Number(e.hlc)
      const version = { hlc, node: e.node }
      this.hlc?.observe(version)
      const wall = versionWallMs(hlc)
      // Clamped to the writer's expiry (version wall time + TTL, on the writer's clock; see record-codec
      // for the clock assumption): transit and replays never extend an entry, so a listing never shows
      // a key past the instant its writer set.
      const expiresAt = Math.min(now + Number(e.remainingMs), wall + e.ttlSeconds * 1000)
      this.directory.upsert(e.key, version, expiresAt, e.size, now)
    }
    return Verdict.Accept
  }

  private invalid(e: DirectoryEntry, now: number): string | undefined {
    const kb = Buffer.byteLength(e.key, 'utf8')
    if (kb === 0 || kb > this.limits.maxKeyBytes) return 'key length'
    if (e.size > this.limits.maxValueBytes) return 'size'
    if (e.ttlSeconds < 1 || e.ttlSeconds > this.limits.maxTtlSeconds) return 'ttl'
    if (Number(e.remainingMs) > e.ttlSeconds * 1000 + EXPIRY_SLACK_MS) return 'lifetime'
    if (e.hlc > BigInt(Number.MAX_SAFE_INTEGER) || versionWallMs(Number(e.hlc)) > now + MAX_FUTURE_SKEW_MS) return 'version'
    return undefined
  }

  private reject(origin: string, why: string): Verdict {
    this.rejected++
    this.log.debug('announcement rejected', { peer: origin, why })
    return Verdict.Reject
  }

  private take(origin: string, n: number, now: number): boolean {
    return this.buckets.take(origin, n, now)
  }
}
