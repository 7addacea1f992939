/**
 * A real node + gateway on 127.0.0.1, port 0, in this process, with a ManualClock so expiry and
 * remaining TTLs are tested without sleeping; plus a raw-socket client for requests fetch refuses
 * to send (invalid bytes, unknown methods, floods).
 */
import net from 'node:net'
import { createNode } from '../../src/create-node.js'
import { Gateway, type GatewayInit } from '../../src/gateway/gateway.js'
import type { RepramNode } from '../../src/node/repram-node.js'
import { ManualClock } from '../../src/shared/clock.js'
import { makeConfig, type NodeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'

export const T0 = Date.UTC(2026, 0, 1, 12, 0, 0)

export interface Harness {
  node: RepramNode
  gateway: Gateway
  clock: ManualClock
  url: string
  port: number
  stop(): Promise<void>
}

export async function startHarness(config: Partial<NodeConfig> = {}, init: GatewayInit = {}): Promise<Harness> {
  const clock = new ManualClock(T0)
  const node = createNode(makeConfig({ httpHost: '127.0.0.1', httpPort: 0, gossipPort: 0, logLevel: 'error', ...config }), { clock, logger: silentLogger })
  await node.start()
  const gateway = new Gateway({ node, logger: silentLogger }, { host: '127.0.0.1', port: 0, ...init })
  await gateway.start()
  return {
    node,
    gateway,
    clock,
    url: gateway.url,
    port: gateway.port,
    async stop() {
      await gateway.stop()
      await node.stop()
    },
  }
}

export interface RawResponse {
  status: number
  headers: Record<string, string>
  body: string
  /** The connection was closed by the server (or reset) after or instead of answering. */
  closed: boolean
}

/** Parses the first HTTP response in `data` (status, headers, body by Content-Length). */
export function parseResponse(data: Buffer): RawResponse | undefined {
  const end = data.indexOf('\r\n\r\n')
  if (end === -1) return undefined
  const lines = data.subarray(0, end).toString('latin1').split('\r\n')
  const status = Number(lines[0].split(' ')[1])
  const headers: Record<string, string> = {}
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':')
    headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
  }
  const len = Number(headers['content-length'] ?? 0)
  if (data.length < end + 4 + len) return undefined
  return { status, headers, body: data.subarray(end + 4, end + 4 + len).toString('utf8'), closed: false }
}

/** Sends raw bytes on a fresh connection; resolves with the first response (or rejects on close without one). */
export function rawRequest(port: number, request: Buffer | string, options: { timeoutMs?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    let data = Buffer.alloc(0)
    let answered: RawResponse | undefined
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error('rawRequest: no response in time'))
    }, options.timeoutMs ?? 10_000)
    socket.on('connect', () => socket.write(request))
    socket.on('data', (d) => {
      data = Buffer.concat([data, d])
      answered ??= parseResponse(data)
      if (answered) {
        clearTimeout(timer)
        socket.destroy()
        resolve(answered)
      }
    })
    socket.on('error', () => {})
    socket.on('close', () => {
      clearTimeout(timer)
      const r = answered ?? parseResponse(data)
      if (r) resolve({ ...r, closed: true })
      else reject(new Error(`rawRequest: connection closed without a response (${data.length} bytes)`))
    })
  })
}

/** Stores a sentinel value and returns a checker that it is still there, unchanged. */
export async function plantSentinel(url: string): Promise<() => Promise<void>> {
  const value = new Uint8Array(300)
  for (let i = 0; i < value.length; i++) value[i] = (i * 7) & 0xff
  const put = await fetch(`${url}/v1/data/sentinel%2Fkey?ttl=3600`, { method: 'PUT', body: value })
  if (put.status !== 201) throw new Error(`sentinel PUT answered ${put.status}`)
  const etag = put.headers.get('etag')
  return async () => {
    const res = await fetch(`${url}/v1/data/sentinel%2Fkey`)
    if (res.status !== 200) throw new Error(`sentinel GET answered ${res.status}`)
    const got = new Uint8Array(await res.arrayBuffer())
    if (res.headers.get('etag') !== etag) throw new Error('sentinel ETag changed')
    if (Buffer.compare(Buffer.from(got), Buffer.from(value)) !== 0) throw new Error('sentinel value changed')
  }
}
