/**
 * Records in transit: a stored record ↔ its wire form, which carries the REMAINING lifetime so the
 * receiver sets expiresAt = its now + remaining, clamped to the writer's own expiry createdAt + TTL
 * (so time spent queued between encode and arrival never extends a copy). The clamp reads the
 * writer's createdAt on our clock: a receiver whose clock runs ahead of the writer's drops the copy
 * early by the offset (the fault suite measures this; see README, Reliability). What a peer sends is
 * checked before it is believed: key and value limits, size, a remaining lifetime no longer than the
 * TTL it claims nor than our maximum TTL, a createdAt a Date can hold, and a version no further ahead
 * of our clock than the skew tolerance (a version from the future would outrank every honest
 * overwrite for its whole life).
 */
import type { WireRecord } from '../../protocols/messages.js'
import { MAX_FUTURE_SKEW_MS, type Version, versionWallMs } from '../shared/version.js'
import type { RecordMeta, StoredRecord } from '../store/record.js'

export interface RecordLimits {
  maxKeyBytes: number
  maxValueBytes: number
  maxTtlSeconds: number
}

/** The largest createdAt a Date can represent (ms since the epoch): beyond it, formatting X-Created-At throws. */
const MAX_DATE_MS = 8_640_000_000_000_000
/** Clock skew tolerated between a sender's createdAt and our clock when checking a claimed lifetime. */
const LIFETIME_SLACK_MS = 1_000
const EMPTY = new Uint8Array(0)

export function toWire(rec: RecordMeta & { value?: Uint8Array }, now: number, metaOnly = false): WireRecord {
  return {
    key: rec.key,
    value: (metaOnly || rec.value === undefined ? EMPTY : rec.value) as WireRecord['value'],
    hlc: BigInt(rec.version.hlc),
    node: rec.version.node,
    createdAt: BigInt(Math.max(0, Math.floor(rec.createdAt))),
    ttlSeconds: rec.ttlSeconds,
    remainingMs: BigInt(Math.max(0, Math.floor(rec.expiresAt - now))),
    size: rec.size,
  }
}

/** Why a wire record is not believed, or undefined when it is acceptable. */
export function invalidReason(w: WireRecord, limits: RecordLimits, metaOnly = false, now?: number): string | undefined {
  const keyBytes = Buffer.byteLength(w.key, 'utf8')
  if (keyBytes === 0 || keyBytes > limits.maxKeyBytes) return 'key length'
  if (w.size > limits.maxValueBytes) return 'value too large'
  if (!metaOnly && w.value.byteLength !== w.size) return 'size does not match value'
  if (w.ttlSeconds < 1 || w.ttlSeconds > limits.maxTtlSeconds) return 'ttl out of range'
  const remaining = Number(w.remainingMs)
  if (remaining > w.ttlSeconds * 1000 + LIFETIME_SLACK_MS) return 'remaining lifetime exceeds its ttl'
  if (w.hlc > BigInt(Number.MAX_SAFE_INTEGER)) return 'version out of range'
  if (w.createdAt > BigInt(MAX_DATE_MS)) return 'created_at out of range'
  if (now !== undefined && versionWallMs(Number(w.hlc)) > now + MAX_FUTURE_SKEW_MS) return 'version from the future'
  return undefined
}

export function fromWire(w: WireRecord, now: number): StoredRecord {
  return {
    key: w.key,
    value: w.value,
    version: { hlc: Number(w.hlc), node: w.node },
    createdAt: Number(w.createdAt),
    ttlSeconds: w.ttlSeconds,
    expiresAt: Math.min(now + Number(w.remainingMs), Number(w.createdAt) + w.ttlSeconds * 1000),
    size: w.size,
  }
}

export function wireVersion(w: { hlc: bigint; node: number }): Version {
  return { hlc: Number(w.hlc), node: w.node }
}
