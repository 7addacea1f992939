/**
 * The typed client of a REPRAM gateway (HTTP v1): put/get/head/list/listAll/status/health over the
 * global fetch. Errors are the node's own named classes (see error-from-response.ts). Every call takes
 * `{ signal, timeoutMs }`: aborting through `signal` rejects with the signal's reason (an AbortError
 * by default); the client's own deadline rejects with ReplicaTimeoutError (code `replica_timeout`,
 * the same code a gateway's 504 carries), so callers handle "too slow" in one place.
 */

import { isWellFormed } from '../node/schemas.js'
import type { HealthReport, StatusReport } from '../node/types.js'
import { ConfigError, InvalidKeyError, InvalidRequestError, ProtocolError } from '../shared/errors.js'
import type {
  CallOptions,
  ClientListOptions,
  ClientListResult,
  ClientPutOptions,
  ClientPutResult,
  ClientRecord,
  ClientRecordInfo,
  ListAllOptions,
  RepramClientInit,
} from './client-types.js'
import { errorFromFetchFailure, errorFromResponse, timeoutError } from './error-from-response.js'

export type * from './client-types.js'

/** Long enough for a 10 MiB value on a slow link plus the gateway's 5 s write quorum wait. */
export const DEFAULT_CLIENT_TIMEOUT_MS = 30_000
/** Keys per page that `listAll` asks for: a few hundred KB of JSON at most. */
export const DEFAULT_LIST_PAGE_SIZE = 1_000

const encoder = new TextEncoder()

function checkKey(key: string): string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError('The key must be a non-empty string.')
  if (!isWellFormed(key)) throw new InvalidKeyError('The key contains an unpaired surrogate and is not valid Unicode.')
  // URL parsers (fetch included) resolve a "." or ".." path segment, even percent-encoded, so these two
  // keys would reach another route; every other key travels intact.
  if (key === '.' || key === '..') throw new InvalidKeyError(`The key ${JSON.stringify(key)} cannot travel in a URL path; choose another key.`)
  return key
}

function intHeader(res: Response, name: string): number {
  const n = Number(res.headers.get(name))
  return Number.isFinite(n) ? n : 0
}

function timeFromJson(v: unknown): number {
  if (typeof v === 'number') return v
  if (typeof v === 'string') {
    const t = Date.parse(v)
    if (Number.isFinite(t)) return t
  }
  return Number.NaN
}

export class RepramClient {
  /** The gateway's base URL, without a trailing slash. */
  readonly url: string
  private readonly timeoutMs: number
  private readonly fetchFn: typeof fetch

  constructor(url: string | URL, init: RepramClientInit = {}) {
    let parsed: URL
    try {
      parsed = new URL(String(url))
    } catch {
      throw new ConfigError('REPRAM_URL', `expected an http(s) URL such as http://127.0.0.1:8080, got ${JSON.stringify(String(url))}`)
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new ConfigError('REPRAM_URL', `expected an http(s) URL such as http://127.0.0.1:8080, got ${JSON.stringify(String(url))}`)
    }
    this.url = parsed.href.replace(/\/+$/, '')
    this.timeoutMs = init.timeoutMs ?? DEFAULT_CLIENT_TIMEOUT_MS
    this.fetchFn = init.fetch ?? globalThis.fetch
  }

  /** Stores `value` under `key`; overwriting is silent and restarts the TTL. */
  async put(key: string, value: Uint8Array | string, options: ClientPutOptions = {}): Promise<ClientPutResult> {
    const body = typeof value === 'string' ? encoder.encode(value) : value
    let query = ''
    if (options.ttl !== undefined) {
      if (!Number.isSafeInteger(options.ttl) || options.ttl <= 0)
        throw new InvalidRequestError(`ttl must be a positive whole number of seconds; got ${options.ttl}.`)
      query = `?ttl=${options.ttl}`
    }
    return this.call('PUT', this.dataPath(key) + query, options, body, async (res) => {
      const json = (await res.json()) as { key?: unknown; ttl?: unknown; expires_at?: unknown; replicas?: unknown; quorum?: unknown }
      return {
        key: typeof json.key === 'string' ? json.key : key,
        ttl: Number(json.ttl),
        expiresAt: timeFromJson(json.expires_at),
        replicas: Number(json.replicas),
        quorum: Number(json.quorum),
        confirmed: res.status === 201,
      }
    })
  }

  /** The live value and its metadata; NotFoundError when absent or expired. */
  async get(key: string, options: CallOptions = {}): Promise<ClientRecord> {
    return this.call('GET', this.dataPath(key), options, undefined, async (res) => {
      const value = new Uint8Array(await res.arrayBuffer())
      return { ...this.info(key, res, value.byteLength), value }
    })
  }

  /** As get, without transferring the value. */
  async head(key: string, options: CallOptions = {}): Promise<ClientRecordInfo> {
    return this.call('HEAD', this.dataPath(key), options, undefined, async (res) => this.info(key, res, intHeader(res, 'content-length')))
  }

  /** One page of live keys, sorted by byte order. */
  async list(options: ClientListOptions = {}): Promise<ClientListResult> {
    const q = new URLSearchParams()
    if (options.prefix) q.set('prefix', options.prefix)
    if (options.limit !== undefined) q.set('limit', String(options.limit))
    if (options.cursor) q.set('cursor', options.cursor)
    const qs = q.toString()
    return this.call('GET', `/v1/keys${qs ? `?${qs}` : ''}`, options, undefined, async (res) => {
      const json = (await res.json()) as { keys?: unknown; next_cursor?: unknown }
      const keys = Array.isArray(json.keys) ? json.keys.filter((k): k is string => typeof k === 'string') : []
      const out: ClientListResult = { keys }
      if (typeof json.next_cursor === 'string' && json.next_cursor.length > 0) out.nextCursor = json.next_cursor
      return out
    })
  }

  /** Every live key (optionally under a prefix), following cursors page by page. */
  async *listAll(options: ListAllOptions = {}): AsyncGenerator<string, void, undefined> {
    let cursor: string | undefined
    const limit = options.pageSize ?? DEFAULT_LIST_PAGE_SIZE
    do {
      const page = await this.list({ prefix: options.prefix, limit, cursor, signal: options.signal, timeoutMs: options.timeoutMs })
      yield* page.keys
      // A cursor that does not advance would loop forever: stop rather than trust it.
      if (page.nextCursor !== undefined && page.nextCursor === cursor) return
      cursor = page.nextCursor
    } while (cursor !== undefined)
  }

  /** Alias of listAll: `for await (const key of client.keys({ prefix: 'lock:' }))`. */
  keys(options: ListAllOptions = {}): AsyncGenerator<string, void, undefined> {
    return this.listAll(options)
  }

  async status(options: CallOptions = {}): Promise<StatusReport> {
    return this.call('GET', '/v1/status', options, undefined, async (res) => (await res.json()) as StatusReport)
  }

  /** The node's health; an unhealthy node (HTTP 503 with a health body) is a report, not an error. */
  async health(options: CallOptions = {}): Promise<HealthReport> {
    return this.call(
      'GET',
      '/v1/health',
      options,
      undefined,
      async (res) => (await res.json()) as HealthReport,
      (res) => res.status === 503,
    )
  }

  private dataPath(key: string): string {
    return `/v1/data/${encodeURIComponent(checkKey(key))}`
  }

  private info(key: string, res: Response, size: number): ClientRecordInfo {
    const createdAt = Date.parse(res.headers.get('x-created-at') ?? '')
    const originalTtl = intHeader(res, 'x-original-ttl')
    return {
      key,
      createdAt,
      originalTtl,
      remainingTtl: intHeader(res, 'x-remaining-ttl'),
      expiresAt: createdAt + originalTtl * 1000,
      etag: res.headers.get('etag') ?? '',
      size,
    }
  }

  /**
   * One request: deadline and caller's signal combined, fetch failures and error statuses translated,
   * and the body read (by `read`) under the same deadline.
   */
  private async call<T>(
    method: string,
    path: string,
    options: CallOptions,
    body: Uint8Array | undefined,
    read: (res: Response) => Promise<T>,
    acceptStatus: (res: Response) => boolean = () => false,
  ): Promise<T> {
    const url = this.url + path
    const timeoutMs = options.timeoutMs ?? this.timeoutMs
    const controller = new AbortController()
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      controller.abort()
    }, timeoutMs)
    const onAbort = (): void => controller.abort()
    options.signal?.addEventListener('abort', onAbort, { once: true })
    try {
      options.signal?.throwIfAborted()
      let res: Response
      try {
        res = await this.fetchFn(url, { method, body, signal: controller.signal, headers: body ? { 'content-type': 'application/octet-stream' } : undefined })
      } catch (err) {
        throw this.translate(err, timeoutMs, timedOut, options.signal)
      }
      if (!res.ok && !acceptStatus(res)) throw await errorFromResponse(res)
      try {
        return await read(res)
      } catch (err) {
        throw this.translate(err, timeoutMs, timedOut, options.signal)
      }
    } finally {
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
    }
  }

  private translate(err: unknown, timeoutMs: number, timedOut: boolean, signal: AbortSignal | undefined): unknown {
    if (signal?.aborted) return signal.reason
    if (timedOut) return timeoutError(this.url, timeoutMs)
    if (err instanceof SyntaxError) return new ProtocolError(`The server at ${this.url} did not answer like a REPRAM gateway (malformed JSON).`)
    return errorFromFetchFailure(err, this.url)
  }
}
