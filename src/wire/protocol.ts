/**
 * A protocol descriptor: everything the engine needs to speak one request/response protocol —
 * its id, limits, timeout and codecs, and how a failure becomes a response status. Handlers are
 * `(peer, request, { signal }) → response` and never see a stream.
 */
import type { Uint8ArrayList } from 'uint8arraylist'

export interface ProtocolDescriptor<Req, Res> {
  readonly id: string
  readonly maxRequestBytes: number
  readonly maxResponseBytes: number
  /** Deadline of one request, caller side; the handler gets the same as its signal. */
  readonly timeoutMs: number
  encodeRequest(req: Req): Uint8Array
  decodeRequest(bytes: Uint8ArrayList): Req
  encodeResponse(res: Res): Uint8Array
  decodeResponse(bytes: Uint8ArrayList): Res
  /** The response that reports a handler failure (status ERROR etc.). */
  errorResponse(err: unknown): Res
}

export type Handler<Req, Res> = (peer: string, request: Req, options: { signal: AbortSignal }) => Promise<Res> | Res
