import { compareVersions, type Version } from '../shared/version.js'
import type { RecordStore } from '../store/types.js'

/**
 * What a push to one replica came to, as one word, and which of those words mean the replica holds
 * the pushed version or a newer one. The write path, retry queue and rebalancer count on these; the
 * metrics export them as labels.
 */
export const PUSH_OUTCOMES = ['ok', 'stale', 'expired', 'full', 'refused', 'invalid', 'failed'] as const
export type PushOutcome = (typeof PUSH_OUTCOMES)[number]
export const PUSH_KINDS = ['write', 'handoff'] as const
export type PushKind = (typeof PUSH_KINDS)[number]

/**
 * 'ok': the replica's current version is now the pushed one (stored, or already held). 'stale': it
 * holds (or remembers) a newer one — enough for a handoff or repair, but a write that only got
 * 'stale' answers lost to a newer version and is not confirmed.
 */

/** Outcomes after which the replica holds this version or a newer one (handoff, repair, retries). */
export function holds(o: PushOutcome): boolean {
  return o === 'ok' || o === 'stale'
}

/** Outcomes that confirm a write: the replica's current version is the one written. */
export function accepted(o: PushOutcome): boolean {
  return o === 'ok'
}

/**
 * Why a store refused a record as stale: 'held' when it holds exactly that version, live (a repeated
 * push: the replica's current version IS the pushed one, so the answer is 'ok'); otherwise the newer
 * version it holds, which the writer must move past (undefined if none is known). The replica
 * handler and the local push both answer from this.
 */
export function staleAgainst(store: Pick<RecordStore, 'versionOf' | 'meta'>, key: string, version: Version): 'held' | Version | undefined {
  const held = store.versionOf(key)
  if (held && compareVersions(held, version) === 0 && store.meta(key)) return 'held'
  return held
}
