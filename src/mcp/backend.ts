/**
 * What the MCP tools need from REPRAM, as one small interface with two implementations: the
 * embedded node's facade (node-backend.ts) and a remote gateway through the typed client
 * (client-backend.ts). Each tool is written once, against this.
 */

export interface BackendCallOptions {
  signal?: AbortSignal
}

export interface BackendPutResult {
  key: string
  /** TTL actually applied after clamping, seconds. */
  ttl: number
  /** ms since the epoch. */
  expiresAt: number
  /** Replicas holding the value when the write returned. */
  replicas: number
  /** W replicas confirmed in time (else still replicating). */
  confirmed: boolean
}

export interface BackendRecordInfo {
  key: string
  /** ms since the epoch. */
  createdAt: number
  /** ms since the epoch. */
  expiresAt: number
  /** Whole seconds left, floored, never negative. */
  remainingSeconds: number
}

export interface BackendRecord extends BackendRecordInfo {
  value: Uint8Array
}

export interface BackendListOptions extends BackendCallOptions {
  prefix?: string
  limit?: number
  cursor?: string
}

export interface BackendListResult {
  keys: string[]
  nextCursor?: string
}

export interface RepramBackend {
  /** `embedded`: a node in this process; `remote`: the gateway at REPRAM_URL. */
  readonly kind: 'embedded' | 'remote'
  put(key: string, value: Uint8Array, ttlSeconds: number | undefined, options?: BackendCallOptions): Promise<BackendPutResult>
  /** NotFoundError when absent or expired. */
  get(key: string, options?: BackendCallOptions): Promise<BackendRecord>
  /** NotFoundError when absent or expired. */
  head(key: string, options?: BackendCallOptions): Promise<BackendRecordInfo>
  list(options?: BackendListOptions): Promise<BackendListResult>
}
