/**
 * The MCP backend of embedded mode: calls the node facade directly (no HTTP in between).
 */
import type { RepramNode } from '../node/repram-node.js'
import type { BackendCallOptions, BackendListOptions, BackendListResult, BackendPutResult, BackendRecord, BackendRecordInfo, RepramBackend } from './backend.js'

export interface NodeBackendComponents {
  node: RepramNode
  /** Clock for remaining-TTL arithmetic; the node's own clock by default. */
  now?: () => number
}

export class NodeBackend implements RepramBackend {
  readonly kind = 'embedded' as const
  private readonly node: RepramNode
  private readonly now: () => number

  constructor(components: NodeBackendComponents) {
    this.node = components.node
    this.now = components.now ?? (() => components.node.now())
  }

  async put(key: string, value: Uint8Array, ttlSeconds: number | undefined, options: BackendCallOptions = {}): Promise<BackendPutResult> {
    const r = await this.node.put(key, value, { ttlSeconds, signal: options.signal })
    return { key: r.key, ttl: r.ttl, expiresAt: r.expiresAt, replicas: r.replicas, confirmed: r.confirmed }
  }

  async get(key: string, options: BackendCallOptions = {}): Promise<BackendRecord> {
    const r = await this.node.get(key, { signal: options.signal })
    return { key: r.key, createdAt: r.createdAt, expiresAt: r.expiresAt, remainingSeconds: this.remaining(r.expiresAt), value: r.value }
  }

  async head(key: string, options: BackendCallOptions = {}): Promise<BackendRecordInfo> {
    const r = await this.node.head(key, { signal: options.signal })
    return { key: r.key, createdAt: r.createdAt, expiresAt: r.expiresAt, remainingSeconds: this.remaining(r.expiresAt) }
  }

  async list(options: BackendListOptions = {}): Promise<BackendListResult> {
    // `await` keeps this correct whether the facade's list is synchronous (mesh of one) or not (mesh).
    const page = await this.node.list({ prefix: options.prefix, limit: options.limit, cursor: options.cursor, signal: options.signal })
    return page.nextCursor === undefined ? { keys: page.keys } : { keys: page.keys, nextCursor: page.nextCursor }
  }

  private remaining(expiresAt: number): number {
    return Math.max(0, Math.floor((expiresAt - this.now()) / 1000))
  }
}
