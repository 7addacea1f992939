/**
 * `SimClient` over a node's HTTP gateway (the v1 contract in docs/http-api.md), with the global
 * fetch. Used for `--processes` (the only way in) and `--http`.
 */
import type { StatusReport } from '../../src/node/types.js'
import { errorText, type GetAnswer, type ListAnswer, OP_TIMEOUT_MS, type PutAnswer, type SimClient } from './client.js'

/** expires_at as the gateway gives it: ms or s since the epoch, or an ISO-8601 string. */
export function parseInstant(raw: unknown): number | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw < 1e12 ? raw * 1000 : raw
  if (typeof raw === 'string' && raw.trim() !== '') {
    if (/^\d+(\.\d+)?$/.test(raw.trim())) return parseInstant(Number(raw))
    const t = Date.parse(raw)
    return Number.isNaN(t) ? undefined : t
  }
  return undefined
}

async function errorCode(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: unknown }
    return typeof body.error === 'string' ? body.error : `http_${res.status}`
  } catch {
    return `http_${res.status}`
  }
}

export class HttpClient implements SimClient {
  private readonly base: string

  constructor(init: { url: string }) {
    this.base = init.url.replace(/\/+$/, '')
  }

  private dataUrl(key: string): string {
    return `${this.base}/v1/data/${encodeURIComponent(key)}`
  }

  async put(key: string, value: Uint8Array, ttlSeconds: number): Promise<PutAnswer> {
    try {
      const res = await fetch(`${this.dataUrl(key)}?ttl=${ttlSeconds}`, {
        method: 'PUT',
        body: value,
        headers: { 'content-type': 'application/octet-stream' },
        signal: AbortSignal.timeout(OP_TIMEOUT_MS),
      })
      if (res.status !== 201 && res.status !== 202) return { status: res.status, error: await errorCode(res) }
      const body = (await res.json()) as { expires_at?: unknown; etag?: unknown }
      const etag = res.headers.get('etag') ?? (typeof body.etag === 'string' ? body.etag : undefined)
      return { status: res.status, etag, expiresAt: parseInstant(body.expires_at) }
    } catch (err) {
      return { status: 0, error: errorText(err) }
    }
  }

  async get(key: string): Promise<GetAnswer> {
    try {
      const res = await fetch(this.dataUrl(key), { signal: AbortSignal.timeout(OP_TIMEOUT_MS) })
      if (res.status !== 200) {
        await res.arrayBuffer().catch(() => undefined)
        return { status: res.status, error: res.status === 404 ? undefined : `http_${res.status}` }
      }
      const value = new Uint8Array(await res.arrayBuffer())
      const createdAt = parseInstant(res.headers.get('x-created-at') ?? undefined)
      const ttl = Number(res.headers.get('x-original-ttl'))
      const expiresAt = createdAt !== undefined && Number.isFinite(ttl) && ttl > 0 ? createdAt + ttl * 1000 : undefined
      return { status: 200, value, etag: res.headers.get('etag') ?? undefined, createdAt, expiresAt }
    } catch (err) {
      return { status: 0, error: errorText(err) }
    }
  }

  async list(prefix: string): Promise<ListAnswer> {
    try {
      const keys: string[] = []
      let cursor: string | undefined
      for (;;) {
        const q = new URLSearchParams({ prefix })
        if (cursor !== undefined) q.set('cursor', cursor)
        const res = await fetch(`${this.base}/v1/keys?${q}`, { signal: AbortSignal.timeout(OP_TIMEOUT_MS) })
        if (res.status !== 200) return { status: res.status, error: await errorCode(res) }
        const body = (await res.json()) as { keys?: unknown; next_cursor?: unknown }
        if (!Array.isArray(body.keys)) return { status: 502, error: 'bad_listing' }
        keys.push(...(body.keys as string[]))
        if (typeof body.next_cursor !== 'string' || body.next_cursor === '') return { status: 200, keys }
        cursor = body.next_cursor
      }
    } catch (err) {
      return { status: 0, error: errorText(err) }
    }
  }

  async status(): Promise<StatusReport | undefined> {
    try {
      const res = await fetch(`${this.base}/v1/status`, { signal: AbortSignal.timeout(OP_TIMEOUT_MS) })
      if (res.status !== 200 && res.status !== 503) return undefined
      return (await res.json()) as StatusReport
    } catch {
      return undefined
    }
  }

  async metricsText(): Promise<string | undefined> {
    try {
      const res = await fetch(`${this.base}/v1/metrics`, { signal: AbortSignal.timeout(OP_TIMEOUT_MS) })
      return res.status === 200 ? await res.text() : undefined
    } catch {
      return undefined
    }
  }
}
