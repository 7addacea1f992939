/**
 * The shapes the facade speaks in. Every front door (HTTP gateway, MCP, CLI) uses these and nothing
 * below the facade.
 */
export interface PutOptions {
  /** Requested TTL in seconds (a positive integer); clamped to [min, max]; absent → default. */
  ttlSeconds?: number
  signal?: AbortSignal
}

export interface PutResult {
  key: string
  /** Effective TTL applied, seconds. */
  ttl: number
  /** ms since epoch. */
  expiresAt: number
  /** Replicas that confirmed holding the value when the answer was given. */
  replicas: number
  /** W: confirmations needed for `confirmed`. */
  quorum: number
  /** true → HTTP 201 (W confirmed in time); false → 202 (stored somewhere, still replicating). */
  confirmed: boolean
  /** ETag form of the version. */
  etag: string
}

export interface ReadOptions {
  signal?: AbortSignal
}

export interface RecordInfo {
  key: string
  /** ms since epoch. */
  createdAt: number
  /** Effective TTL applied at write, seconds. */
  ttl: number
  /** ms since epoch. */
  expiresAt: number
  /** Value size, bytes. */
  size: number
  etag: string
}

export interface RecordView extends RecordInfo {
  value: Uint8Array
}

export interface ListOptions {
  prefix?: string
  /** Absent → the node's maxListKeys. */
  limit?: number
  /** Keys strictly after this one. */
  cursor?: string
  signal?: AbortSignal
}

export interface ListResult {
  keys: string[]
  /** Present only when more keys remain; pass as `cursor` for the next page. */
  nextCursor?: string
}

export interface HealthReport {
  status: 'healthy' | 'unhealthy'
  node_id: string
  network: string
  enclave: string
}

export interface PeerView {
  /** The peer's node name (REPRAM_NODE_ID or its peer id). */
  id: string
  peer_id: string
  addresses: string[]
  enclave: string
  latency_ms: number | null
}

export interface StatusReport {
  status: 'healthy' | 'unhealthy'
  node_id: string
  peer_id: string
  multiaddrs: string[]
  network: string
  enclave: string
  peers: number
  keys: number
  bytes: number
  uptime: number
  memory: { rss: number; heap_used: number; heap_total: number; external: number }
  /**
   * The version clock against the mesh: `skew_suspected` while versions from more than
   * `tolerance_ms` ahead of this node's clock were seen in the last minute (this clock or a peer's is
   * off; writes here may be refused with clock_skew).
   */
  clock: { skew_suspected: boolean; ahead_ms: number; refused_versions: number; tolerance_ms: number }
}

export interface TopologyReport {
  node_id: string
  peer_id: string
  enclave: string
  peers: PeerView[]
}
