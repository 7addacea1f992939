/**
 * How the simulation talks to one node: the same five calls whether it goes through the node's facade
 * (in-process) or its HTTP gateway (`--processes`, `--http`). Answers are plain data with the HTTP
 * status the gateway would give (201/202/200/404/…; 0 = no answer at all), so every check reads one
 * shape. Calls never throw.
 */
import type { StatusReport } from '../../src/node/types.js'

/** A single call's deadline: longer than the node's 5 s write timeout, short enough to see a hang. */
export const OP_TIMEOUT_MS = 15_000

export interface PutAnswer {
  status: number
  etag?: string
  /** Writer-side expiry, ms since the epoch (the PUT answer's expires_at). */
  expiresAt?: number
  error?: string
}

export interface GetAnswer {
  status: number
  value?: Uint8Array
  etag?: string
  /** ms since the epoch (X-Created-At). */
  createdAt?: number
  /** ms since the epoch (created + original TTL), when the node says. */
  expiresAt?: number
  error?: string
}

export interface ListAnswer {
  status: number
  keys?: string[]
  error?: string
}

export interface SimClient {
  put(key: string, value: Uint8Array, ttlSeconds: number): Promise<PutAnswer>
  get(key: string): Promise<GetAnswer>
  list(prefix: string): Promise<ListAnswer>
  status(): Promise<StatusReport | undefined>
  /** Prometheus text of the node's /v1/metrics (its registry, libp2p's counters included). */
  metricsText(): Promise<string | undefined>
}

export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return typeof code === 'string' ? `${err.name}(${code})` : err.name
  }
  return String(err)
}
