/**
 * Protocol ids, message size limits and timeouts of REPRAM's wire contracts (messages.proto).
 * An id carries its version; a breaking change of a message gets a new id.
 */

export const KAD_PROTOCOL = '/repram/kad/1.0.0'
export const STORE_PROTOCOL = '/repram/store/1.0.0'
export const FETCH_PROTOCOL = '/repram/fetch/1.0.0'
export const DIRECTORY_PROTOCOL = '/repram/directory/1.0.0'
export const MEMBERS_PROTOCOL = '/repram/members/1.0.0'
export const ANNOUNCE_TOPIC = '/repram/announce/1.0.0'

/** Everything in a store/fetch message besides key and value (version, times, status, framing). */
export const RECORD_OVERHEAD_BYTES = 256
/** Small control messages (fetch requests, store responses). */
export const SMALL_MESSAGE_BYTES = 4 * 1024
/** A directory page: entries of at most max-key bytes each; the page size keeps it ≲ 1 MiB. */
export const DIRECTORY_PAGE_ENTRIES = 500
export const DIRECTORY_MAX_MESSAGE_BYTES = 1024 * 1024
/** A members answer: at most this many members, each with at most MEMBERS_MAX_ADDRS addresses (≲ 512 KiB). */
export const MEMBERS_MAX_ENTRIES = 2_048
export const MEMBERS_MAX_ADDRS = 8
export const MEMBERS_MAX_MESSAGE_BYTES = 512 * 1024
export const MEMBERS_TIMEOUT_MS = 5_000
/** One gossip announcement batch: metadata only, far below gossipsub's 4 MiB RPC cap. */
export const ANNOUNCE_MAX_ENTRIES = 64
export const ANNOUNCE_MAX_MESSAGE_BYTES = 128 * 1024

/** A replica that has not answered a store in this long is retried in the background. */
export const STORE_TIMEOUT_MS = 10_000
/** Reads are hedged long before this; it only bounds a stuck replica. */
export const FETCH_TIMEOUT_MS = 5_000
export const DIRECTORY_TIMEOUT_MS = 10_000

/** The largest store/fetch message for a node's value and key limits. */
export function recordMessageBytes(maxKeyBytes: number, maxValueBytes: number): number {
  return maxKeyBytes + maxValueBytes + RECORD_OVERHEAD_BYTES
}
