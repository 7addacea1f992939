/** Small sequential HTTP helpers for the mesh scenarios (keep-alive through fetch's global agent). */

/** A single request that takes longer than this is a failure, not a latency. */
export const REQUEST_DEADLINE_MS = 10_000

export interface PutAnswer {
  status: number
  etag: string | null
}

export async function httpPut(base: string, key: string, value: Uint8Array): Promise<PutAnswer> {
  const res = await fetch(`${base}/v1/data/${encodeURIComponent(key)}?ttl=3600`, {
    method: 'PUT',
    body: value,
    headers: { 'content-type': 'application/octet-stream' },
    signal: AbortSignal.timeout(REQUEST_DEADLINE_MS),
  })
  await res.arrayBuffer()
  return { status: res.status, etag: res.headers.get('etag') }
}

export async function httpGet(base: string, key: string): Promise<{ status: number; etag: string | null; body: Buffer }> {
  const res = await fetch(`${base}/v1/data/${encodeURIComponent(key)}`, { signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) })
  const body = Buffer.from(await res.arrayBuffer())
  return { status: res.status, etag: res.headers.get('etag'), body }
}

export async function httpJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(REQUEST_DEADLINE_MS) })
  if (!res.ok) throw new Error(`${url} answered ${res.status}`)
  return (await res.json()) as T
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i]
}
