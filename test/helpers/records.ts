import type { Version } from '../../src/shared/version.js'
import type { StoredRecord } from '../../src/store/record.js'

/**
 * A record for `key` expiring at `expiresAt`, with a value of `value` (string → UTF-8 bytes), written
 * `ttlSeconds` before it expires (so createdAt + TTL = expiresAt, as a writer makes it).
 */
export function rec(key: string, expiresAt: number, value: string | Uint8Array = 'v', version: Version = { hlc: 1, node: 1 }, ttlSeconds = 60): StoredRecord {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value
  return { key, version, createdAt: expiresAt - ttlSeconds * 1000, ttlSeconds, expiresAt, size: bytes.byteLength, value: bytes }
}

/** Sorts JS strings by the byte order of their UTF-8 encodings (the reference order). */
export function byteOrder(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
}
