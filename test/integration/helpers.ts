/** HTTP helpers for the integration suites (real gateways, real TCP); waits are in ../helpers/wait-for.ts. */
import type { Testnet, TestnetNode } from '../../src/testnet.js'

export async function put(url: string, key: string, value: string | Uint8Array, ttl?: number): Promise<{ status: number; body: Record<string, unknown> }> {
  const q = ttl === undefined ? '' : `?ttl=${ttl}`
  const r = await fetch(`${url}/v1/data/${encodeURIComponent(key)}${q}`, { method: 'PUT', body: value })
  return { status: r.status, body: (await r.json()) as Record<string, unknown> }
}

export async function get(url: string, key: string): Promise<{ status: number; text: string; etag: string | null; remaining: string | null }> {
  const r = await fetch(`${url}/v1/data/${encodeURIComponent(key)}`)
  const text = await r.text()
  return { status: r.status, text, etag: r.headers.get('etag'), remaining: r.headers.get('x-remaining-ttl') }
}

export async function statusKeys(url: string): Promise<number> {
  const r = await fetch(`${url}/v1/status`)
  return ((await r.json()) as { keys: number }).keys
}

export async function listKeys(url: string, prefix = ''): Promise<string[]> {
  const r = await fetch(`${url}/v1/keys?prefix=${encodeURIComponent(prefix)}`)
  return ((await r.json()) as { keys: string[] }).keys
}

export async function totalKeys(net: Testnet | TestnetNode[]): Promise<number> {
  const nodes = Array.isArray(net) ? net : net.nodes
  let sum = 0
  for (const n of nodes) sum += await statusKeys(n.url)
  return sum
}
