/**
 * The MCP backend of remote mode (REPRAM_URL): the typed client against a running gateway.
 */
import type { RepramClient } from '../client/repram-client.js'
import type { BackendCallOptions, BackendListOptions, BackendListResult, BackendPutResult, BackendRecord, BackendRecordInfo, RepramBackend } from './backend.js'

export class ClientBackend implements RepramBackend {
  readonly kind = 'remote' as const
  private readonly client: RepramClient

  constructor(components: { client: RepramClient }) {
    this.client = components.client
  }

  async put(key: string, value: Uint8Array, ttlSeconds: number | undefined, options: BackendCallOptions = {}): Promise<BackendPutResult> {
    const r = await this.client.put(key, value, { ttl: ttlSeconds, signal: options.signal })
    return { key: r.key, ttl: r.ttl, expiresAt: r.expiresAt, replicas: r.replicas, confirmed: r.confirmed }
  }

  async get(key: string, options: BackendCallOptions = {}): Promise<BackendRecord> {
    const r = await this.client.get(key, { signal: options.signal })
    return { key: r.key, createdAt: r.createdAt, expiresAt: r.expiresAt, remainingSeconds: r.remainingTtl, value: r.value }
  }

  async head(key: string, options: BackendCallOptions = {}): Promise<BackendRecordInfo> {
    const r = await this.client.head(key, { signal: options.signal })
    return { key: r.key, createdAt: r.createdAt, expiresAt: r.expiresAt, remainingSeconds: r.remainingTtl }
  }

  async list(options: BackendListOptions = {}): Promise<BackendListResult> {
    const page = await this.client.list({ prefix: options.prefix, limit: options.limit, cursor: options.cursor, signal: options.signal })
    return page.nextCursor === undefined ? { keys: page.keys } : { keys: page.keys, nextCursor: page.nextCursor }
  }
}
