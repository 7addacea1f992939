/**
 * The harness's client of one node incarnation: PUT/GET/HEAD/LIST through the HTTP gateway over a
 * keep-alive agent, each recorded in the history with what was sent and what came back. Values name
 * the write that produced them (scripts/sim/payload.ts), so a read says which write it saw even when
 * that write's answer was lost.
 */
import type { Agent } from 'node:http'
import { parseInstant } from '../sim/http-client.js'
import { decodeValue, digest, makeValue } from '../sim/payload.js'
import type { Rng } from '../sim/prng.js'
import type { FaultNode } from './fault-node.js'
import { type History, now, type Op } from './history.js'
import { httpRequest, newAgent } from './http.js'

/** Bytes of padding after each value's header: small values keep the load light on 2 cores. */
const VALUE_PAD_BYTES = 64

/** What every client of a run shares: the history, the run id, the write ids and their digests. */
export class Recorder {
  readonly history: History
  readonly runId: string
  private readonly rng: Rng
  private nextWrite = 1
  /** writeId → digest and key of the value sent. */
  readonly sent = new Map<number, { key: string; digest: string }>()

  constructor(init: { history: History; runId: string; rng: Rng }) {
    this.history = init.history
    this.runId = init.runId
    this.rng = init.rng
  }

  newValue(key: string): { writeId: number; value: Uint8Array } {
    const writeId = this.nextWrite++
    const value = makeValue(this.runId, writeId, key, VALUE_PAD_BYTES, this.rng)
    this.sent.set(writeId, { key, digest: digest(value) })
    return { writeId, value }
  }
}

function header(h: string | string[] | undefined): string | undefined {
  return Array.isArray(h) ? h[0] : h
}

export class NodeClient {
  readonly node: FaultNode
  readonly incarnation: number
  private readonly base: string
  private readonly agent: Agent
  private readonly rec: Recorder

  constructor(node: FaultNode, rec: Recorder) {
    this.node = node
    this.incarnation = node.incarnation
    this.base = node.url
    this.agent = newAgent()
    this.rec = rec
  }

  close(): void {
    this.agent.destroy()
  }

  private dataUrl(key: string): string {
    return `${this.base}/v1/data/${encodeURIComponent(key)}`
  }

  private begin(init: Omit<Op, 'id' | 'invokeMs' | 'completeMs' | 'status' | 'node' | 'incarnation'>): Op {
    return this.rec.history.begin({ ...init, node: this.node.name, incarnation: this.incarnation })
  }

  async put(key: string, ttlS: number): Promise<Op> {
    const { writeId, value } = this.rec.newValue(key)
    const op = this.begin({ kind: 'put', key, writeId, ttlS })
    const a = await httpRequest(this.agent, `${this.dataUrl(key)}?ttl=${ttlS}`, { method: 'PUT', body: value })
    op.completeMs = now()
    op.status = a.status
    if (a.error) op.error = a.error
    op.etag = header(a.headers.etag)
    if (a.status === 201 || a.status === 202) {
      try {
        const body = JSON.parse(a.body.toString('utf8')) as { ttl?: number; expires_at?: unknown; replicas?: number }
        op.appliedTtlS = body.ttl
        op.nodeExpiresAtMs = parseInstant(body.expires_at)
        op.replicas = body.replicas
      } catch {
        op.error = 'bad_put_body'
      }
    } else if (a.status !== 0) op.error = a.body.toString('utf8').slice(0, 120)
    return op
  }

  async read(kind: 'get' | 'head', key: string): Promise<Op> {
    const op = this.begin({ kind, key })
    const a = await httpRequest(this.agent, this.dataUrl(key), { method: kind === 'get' ? 'GET' : 'HEAD' })
    op.completeMs = now()
    op.status = a.status
    if (a.error) op.error = a.error
    if (a.status === 200) {
      op.etag = header(a.headers.etag)
      const rem = Number(header(a.headers['x-remaining-ttl']))
      if (Number.isFinite(rem)) op.remainingTtlS = rem
      if (kind === 'get') {
        const dec = decodeValue(a.body)
        const sent = dec ? this.rec.sent.get(dec.writeId) : undefined
        if (!dec || dec.runId !== this.rec.runId) op.corrupt = 'bytes not written by this run'
        else if (!sent) op.corrupt = `unknown write w${dec.writeId}`
        else if (sent.key !== key) op.corrupt = `value of key ${sent.key}`
        else if (sent.digest !== digest(a.body)) op.corrupt = 'bytes differ from the write'
        if (dec) op.readWriteId = dec.writeId
      }
    } else if (a.status !== 404 && a.status !== 0) op.error = a.body.toString('utf8').slice(0, 120)
    return op
  }

  get(key: string): Promise<Op> {
    return this.read('get', key)
  }

  head(key: string): Promise<Op> {
    return this.read('head', key)
  }

  /** One page of the mesh's listing under `prefix` (the scenarios keep fewer keys than a page). */
  async list(prefix: string): Promise<Op> {
    const op = this.begin({ kind: 'list', prefix })
    const a = await httpRequest(this.agent, `${this.base}/v1/keys?prefix=${encodeURIComponent(prefix)}`)
    op.completeMs = now()
    op.status = a.status
    if (a.error) op.error = a.error
    if (a.status === 200) {
      try {
        const body = JSON.parse(a.body.toString('utf8')) as { keys?: string[] }
        op.listed = body.keys ?? []
      } catch {
        op.error = 'bad_listing'
      }
    }
    return op
  }
}
