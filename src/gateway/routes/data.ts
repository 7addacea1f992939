/**
 * `PUT|GET|HEAD /v1/data/{key}`: the key is the raw path after the prefix, decoded exactly once by
 * the shared schema (malformed escapes / invalid UTF-8 → 400, too long → 414); the TTL comes from
 * `?ttl=` when non-empty, else `X-TTL`, else the node's default (clamping is the node's job and the
 * effective TTL is echoed); the body is streamed under the value limit (413 while reading).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { ValueTooLargeError } from '../../node/errors.js'
import type { Logger } from '../../node/logger.js'
import type { RepramNode } from '../../node/repram-node.js'
import { decodeKeyPath, parseTtl } from '../../node/schemas.js'
import type { RecordInfo } from '../../node/types.js'
import { readBody } from '../body-reader.js'
import { sendError } from '../error-response.js'
import { queryParam } from '../query.js'
import { CORS_EXPOSE, CORS_ORIGIN, EXPOSED_HEADERS, JSON_TYPE } from '../respond.js'

export const DATA_PREFIX = '/v1/data/'
export const DATA_ALLOW = 'GET, HEAD, PUT, OPTIONS'
/**
 * After refusing an oversized body, how long the rest of it may keep arriving (read and discarded,
 * never stored) before the connection is cut: long enough for the client to read the 413, short
 * enough that an endless upload cannot hold a socket.
 */
export const DEFAULT_OVERSIZE_LINGER_MS = 1_000

const OCTET_STREAM = 'application/octet-stream'

export interface DataRoutesInit {
  oversizeLingerMs?: number
}

export class DataRoutes {
  private readonly node: RepramNode
  private readonly log: Logger
  private readonly maxKeyBytes: number
  private readonly maxValueBytes: number
  private readonly lingerMs: number

  constructor(components: { node: RepramNode; logger: Logger }, init: DataRoutesInit = {}) {
    this.node = components.node
    this.log = components.logger
    this.maxKeyBytes = components.node.config.maxKeyBytes
    this.maxValueBytes = components.node.config.maxValueBytes
    this.lingerMs = init.oversizeLingerMs ?? DEFAULT_OVERSIZE_LINGER_MS
  }

  async get(res: ServerResponse, rawKey: string): Promise<void> {
    const rec = await this.node.get(decodeKeyPath(rawKey, this.maxKeyBytes))
    res.writeHead(200, this.recordHeaders(rec))
    res.end(rec.value)
  }

  async head(res: ServerResponse, rawKey: string): Promise<void> {
    const rec = await this.node.head(decodeKeyPath(rawKey, this.maxKeyBytes))
    res.writeHead(200, this.recordHeaders(rec))
    res.end()
  }

  private recordHeaders(rec: RecordInfo): string[] {
    const remaining = Math.max(0, Math.floor((rec.expiresAt - this.node.now()) / 1000))
    return [
      CORS_ORIGIN,
      '*',
      CORS_EXPOSE,
      EXPOSED_HEADERS,
      'Content-Type',
      OCTET_STREAM,
      'Content-Length',
      String(rec.size),
      'X-Created-At',
      new Date(rec.createdAt).toISOString(),
      'X-Original-TTL',
      String(rec.ttl),
      'X-Remaining-TTL',
      String(remaining),
      'ETag',
      rec.etag,
    ]
  }

  async put(req: IncomingMessage, res: ServerResponse, rawKey: string, query: string): Promise<void> {
    const key = decodeKeyPath(rawKey, this.maxKeyBytes)
    const ttlQuery = queryParam(query, 'ttl')
    let ttlSeconds: number | undefined
    if (ttlQuery !== undefined && ttlQuery !== '') ttlSeconds = parseTtl(ttlQuery)
    else {
      const h = req.headers['x-ttl']
      if (typeof h === 'string' && h !== '') ttlSeconds = parseTtl(h)
    }
    let value: Uint8Array
    try {
      value = await readBody(req, this.maxValueBytes)
    } catch (err) {
      if (err instanceof ValueTooLargeError) {
        this.lingerAfterRefusal(req)
        sendError(res, err, this.log)
        return
      }
      throw err
    }
    const out = await this.node.put(key, value, { ttlSeconds })
    const payload = JSON.stringify({
      key: out.key,
      ttl: out.ttl,
      expires_at: new Date(out.expiresAt).toISOString(),
      replicas: out.replicas,
      quorum: out.quorum,
    })
    res.writeHead(out.confirmed ? 201 : 202, [
      CORS_ORIGIN,
      '*',
      CORS_EXPOSE,
      EXPOSED_HEADERS,
      'Content-Type',
      JSON_TYPE,
      'Content-Length',
      String(Buffer.byteLength(payload)),
      'ETag',
      out.etag,
    ])
    res.end(payload)
  }

  /**
   * Lingering close after refusing a body still arriving (as nginx does): node:http would destroy the
   * socket right after the 413 is written, and a client still sending would then get a reset before
   * it reads the answer. Instead the socket is only half-closed (FIN after the 413), the rest of the
   * body is read and discarded — never stored — and the socket is destroyed when the linger is over.
   */
  private lingerAfterRefusal(req: IncomingMessage): void {
    if (req.complete) return
    const socket = req.socket as Socket & { destroySoon?: () => void }
    socket.destroySoon = () => {
      socket.end()
    }
    const timer = setTimeout(() => socket.destroy(), this.lingerMs)
    timer.unref()
    socket.once('close', () => clearTimeout(timer))
    req.resume()
  }
}
