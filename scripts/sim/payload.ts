/**
 * Values the workload writes: `sim|<runId>|<writeId>|<payload>` so any value read back names the
 * write that produced it (even one whose answer was lost), plus a digest to detect corruption.
 */
import { createHash } from 'node:crypto'
import type { Rng } from './prng.js'

const HEADER = 'sim|'
const encoder = new TextEncoder()
const decoder = new TextDecoder()

export function makeValue(runId: string, writeId: number, payload: string, padBytes: number, rng: Rng): Uint8Array {
  const head = `${HEADER}${runId}|${writeId}|${payload}|`
  const pad = padBytes > 0 ? rng.hex(Math.ceil(padBytes / 2)).slice(0, padBytes) : ''
  return encoder.encode(head + pad)
}

export function digest(value: Uint8Array): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16)
}

export interface DecodedValue {
  runId: string
  writeId: number
  payload: string
}

/** The write a value came from; undefined for bytes this simulation did not write. */
export function decodeValue(value: Uint8Array): DecodedValue | undefined {
  const head = decoder.decode(value.subarray(0, Math.min(value.byteLength, 256)))
  if (!head.startsWith(HEADER)) return undefined
  const parts = head.slice(HEADER.length).split('|')
  if (parts.length < 3) return undefined
  const writeId = Number(parts[1])
  if (!Number.isSafeInteger(writeId) || writeId < 0) return undefined
  return { runId: parts[0], writeId, payload: parts[2] }
}
