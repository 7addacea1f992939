/**
 * `PUT|GET|HEAD /v1/data/{key}`: the key is the raw path after the prefix, decoded exactly once by
 * the shared schema (malformed escapes / invalid UTF-8 → 400, too long → 414); the TTL comes from
 * `?ttl=` when non-empty, else `X-TTL`, else the node's default (clamping is the node's job and the
 * effective TTL is echoed); the body is streamed under the value limit (413 while reading).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { RepramNode } from '../../node/repram-node.js'
import { parseTtl } from '../../node/schemas.js'
import type { RecordInfo } from '../../node/types.js'
import { readBody } from '../body-reader.js'
import { isoTime } from '../iso-time.js'
import { decodeKeyPath } from '../key-path.js'
import { queryParam } from '../query.js'
import { CORS_EXPOSE, CORS_ORIGIN, EXPOSED_HEADERS, JSON_TYPE, wantsCors } from '../respond.js'

export const DATA_PREFIX = '/v1/data/'
export const DATA_ALLOW = 'GET, HEAD, PUT, OPTIONS'

const OCTET_STREAM = 'application/octet-stream'

export class DataRoutes {
  private readonly node: RepramNode
  private readonly maxKeyBytes: number
  private readonly maxValueBytes: number

  constructor(components: { node: RepramNode }) {
    this.node = components.node
    this.maxKeyBytes = components.node.config.maxKeyBytes
    this.maxValueBytes = components.node.config.maxValueBytes
  }

  /** Answers at once when this node alone holds the key's truth (no promise on that path); else asks the mesh. */
  get(res: ServerResponse, rawKey: string): Promise<void> | undefined {
    const rec = this.node.read(decodeKeyPath(rawKey, this.maxKeyBytes))
    if (!(rec instanceof Promise)) {
      this.sendRecord(res, rec, rec.value)
      return undefined
    }
    return rec.then((r) => this.sendRecord(res, r, r.value))
  }

  head(res: ServerResponse, rawKey: string): Promise<void> | undefined {
    const rec = this.node.read(decodeKeyPath(rawKey, this.maxKeyBytes), { metaOnly: true })
    if (!(rec instanceof Promise)) {
      this.sendRecord(res, rec, undefined)
      return undefined
    }
    return rec.then((r) => this.sendRecord(res, r, undefined))
  }

  private sendRecord(res: ServerResponse, rec: RecordInfo, value: Uint8Array | undefined): void {
    const headers = this.recordHeaders(rec)
    if (wantsCors(res.req)) headers.push(CORS_ORIGIN, '*', CORS_EXPOSE, EXPOSED_HEADERS)
    res.writeHead(200, headers)
    res.end(value)
  }

  private recordHeaders(rec: RecordInfo): string[] {
    const remaining = Math.max(0, Math.floor((rec.expiresAt - this.node.now()) / 1000))
    return [
      'Content-Type',
      OCTET_STREAM,
      'Content-Length',
      String(rec.size),
      'X-Created-At',
      isoTime(rec.createdAt),
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
    // Over the limit → ValueTooLargeError (413); the router lets the rest of the body drain (linger.ts).
    const value = await readBody(req, this.maxValueBytes)
    const out = await this.node.put(key, value, { ttlSeconds })
    // The same bytes as JSON.stringify({key, ttl, expires_at, replicas, quorum}), without the object walk.
    const payload = `{"key":${JSON.stringify(out.key)},"ttl":${out.ttl},"expires_at":"${isoTime(out.expiresAt)}","replicas":${out.replicas},"quorum":${out.quorum}}`
    const headers = ['Content-Type', JSON_TYPE, 'Content-Length', String(Buffer.byteLength(payload)), 'ETag', out.etag]
    if (wantsCors(req)) headers.push(CORS_ORIGIN, '*', CORS_EXPOSE, EXPOSED_HEADERS)
    res.writeHead(out.confirmed ? 201 : 202, headers)
    res.end(payload)
  }
}
