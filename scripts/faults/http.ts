/**
 * A minimal HTTP/1.1 client over node:http with one keep-alive agent per node incarnation (the load
 * reuses connections the way a real client would). Every request has a deadline; a call never throws:
 * no answer is status 0 with the error's name.
 */
import { Agent, type IncomingHttpHeaders, request } from 'node:http'

/** A data call's deadline: above the nodes' 2 s write timeout, short enough to notice a paused node. */
export const REQUEST_TIMEOUT_MS = 5_000
/** Idle sockets are dropped before the gateway's 5 s keep-alive closes them (a reused, just-closed socket resets). */
const IDLE_SOCKET_MS = 3_000

export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
  error?: string
}

export function newAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: 32, timeout: IDLE_SOCKET_MS })
}

function errorName(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code
    return typeof code === 'string' ? code : err.message || err.name
  }
  return String(err)
}

export function httpRequest(
  agent: Agent,
  url: string,
  init: { method?: string; body?: Uint8Array; timeoutMs?: number; headers?: Record<string, string> } = {},
): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false
    const done = (a: Answer): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve(a)
    }
    const headers: Record<string, string> = { ...init.headers }
    if (init.body) {
      headers['content-type'] = 'application/octet-stream'
      headers['content-length'] = String(init.body.byteLength)
    }
    const req = request(url, { method: init.method ?? 'GET', agent, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', (err) => done({ status: 0, headers: {}, body: Buffer.alloc(0), error: errorName(err) }))
    })
    const timer = setTimeout(() => {
      req.destroy(new Error('timeout'))
      done({ status: 0, headers: {}, body: Buffer.alloc(0), error: 'timeout' })
    }, init.timeoutMs ?? REQUEST_TIMEOUT_MS)
    req.on('error', (err) => done({ status: 0, headers: {}, body: Buffer.alloc(0), error: errorName(err) }))
    req.end(init.body)
  })
}

export async function getJson<T>(agent: Agent, url: string, timeoutMs = 2_000): Promise<T | undefined> {
  const a = await httpRequest(agent, url, { timeoutMs })
  if (a.status !== 200 && a.status !== 503) return undefined
  try {
    return JSON.parse(a.body.toString('utf8')) as T
  } catch {
    return undefined
  }
}
