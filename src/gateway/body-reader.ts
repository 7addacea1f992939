/**
 * Reads a request body into one exactly-sized buffer, never holding more than `maxBytes`:
 * a `Content-Length` above the limit is refused before a byte is read, and a body of unknown
 * length (chunked) is refused as soon as the streamed bytes pass the limit. The result is a copy,
 * never a view of the socket's read buffer (which would pin 64 KiB). It comes from
 * `Buffer.allocUnsafe` — for a small body a slice of Node's shared 8 KiB pool: `new Uint8Array(1 KiB)`
 * (its own zero-filled ArrayBuffer) costs ~2.8 µs here against ~0.45 µs, on every PUT. Only the bytes
 * received are ever exposed. The store copies the value; what else holds it is transient (a write in
 * flight, the retry queue, which copies views, and the one most recent push the pusher keeps for reuse).
 * A client that goes away mid-body rejects with `ClientGoneError`, which has no answer to send.
 */
import type { Readable } from 'node:stream'
import { InvalidRequestError, ValueTooLargeError } from '../shared/errors.js'

export class ClientGoneError extends Error {
  constructor() {
    super('The client closed the connection before its request body was complete.')
    this.name = 'ClientGoneError'
  }
}

export interface BodySource extends Readable {
  headers: Record<string, string | string[] | undefined>
}

const EMPTY = new Uint8Array(0)

export function declaredLength(req: { headers: Record<string, string | string[] | undefined> }): number {
  const cl = req.headers['content-length']
  if (typeof cl !== 'string') return -1
  // node:http has already rejected malformed or conflicting Content-Length; be strict anyway.
  if (!/^\d{1,16}$/.test(cl)) throw new InvalidRequestError('Content-Length must be a whole number of bytes.')
  return Number(cl)
}

/** Throws ValueTooLargeError when the declared length alone is over the limit. */
export function checkDeclaredLength(req: { headers: Record<string, string | string[] | undefined> }, maxBytes: number): number {
  const n = declaredLength(req)
  if (n > maxBytes) throw new ValueTooLargeError(maxBytes)
  return n
}

export function readBody(req: BodySource, maxBytes: number): Promise<Uint8Array> {
  let expected: number
  try {
    expected = checkDeclaredLength(req, maxBytes)
  } catch (err) {
    return Promise.reject(err)
  }
  if (expected === 0) return Promise.resolve(EMPTY)
  return new Promise<Uint8Array>((resolve, reject) => {
    let fixed: Uint8Array | undefined = expected > 0 ? Buffer.allocUnsafe(expected) : undefined
    let chunks: Buffer[] | undefined = expected > 0 ? undefined : []
    let total = 0
    let done = false

    const finish = (err: Error | undefined, value?: Uint8Array): void => {
      if (done) return
      done = true
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('error', onError)
      req.off('close', onClose)
      // Drop what we held at once; any rest of the body is read and discarded by node:http.
      fixed = undefined
      chunks = undefined
      // On refusal stop pulling: whoever answers decides whether the rest is discarded or the socket cut.
      if (err) req.pause()
      if (err) reject(err)
      else resolve(value as Uint8Array)
    }
    const onData = (chunk: Buffer): void => {
      const next = total + chunk.length
      if (next > maxBytes || (fixed !== undefined && next > fixed.length)) {
        finish(new ValueTooLargeError(maxBytes))
        return
      }
      if (fixed !== undefined) fixed.set(chunk, total)
      else chunks?.push(chunk)
      total = next
    }
    const onEnd = (): void => {
      if (fixed !== undefined) {
        finish(undefined, total === fixed.length ? fixed : fixed.subarray(0, total))
        return
      }
      const out = Buffer.allocUnsafe(total)
      let off = 0
      for (const c of chunks ?? []) {
        out.set(c, off)
        off += c.length
      }
      finish(undefined, out)
    }
    const onError = (): void => finish(new ClientGoneError())
    const onClose = (): void => finish(new ClientGoneError())
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('error', onError)
    req.on('close', onClose)
  })
}
