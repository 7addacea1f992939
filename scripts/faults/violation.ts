/** Invariant violations found by the checker or a scenario, each with the history lines that show it. */

export const VIOLATION_KINDS = {
  missing: 'a GET/HEAD that started after a 201 answered 404 before the value could have expired',
  stale: 'a read returned a version older than one acknowledged (201) before the read started, while that one was live',
  resurrected: 'a read returned a value overwritten by an acknowledged write that has since expired (an overwritten value came back)',
  expired_read: 'a GET/HEAD that started after the value expired (writer-side, + tolerance) returned it',
  expired_listed: '/v1/keys listed a key after every write of it expired (+ tolerance)',
  corrupt: 'a read returned bytes no write of this key produced',
  copies_not_restored: 'fewer than R copies (sum of /v1/status keys) within the bound after a kill -9 or a join',
  copies_not_exact: 'not exactly R copies per key (sum of /v1/status keys ≠ R × keys) within the exactness bound',
  not_converged: 'after a heal, nodes did not agree on the newest version of every key within the bound',
  quorum_201: 'a 201 from a partition side that holds fewer than W of the key’s replicas (no real quorum)',
  identity_changed: 'a node restarted with the same --key-file came back with another peer id',
} as const

export type ViolationKind = keyof typeof VIOLATION_KINDS

export interface Violation {
  kind: ViolationKind
  key?: string
  node?: string
  /** ms since the epoch (harness clock). */
  atMs: number
  message: string
  /** History lines (ops on the key, faults) around it. */
  excerpt: string[]
}

export function countByKind(vs: readonly Violation[]): Partial<Record<ViolationKind, number>> {
  const out: Partial<Record<ViolationKind, number>> = {}
  for (const v of vs) out[v.kind] = (out[v.kind] ?? 0) + 1
  return out
}
