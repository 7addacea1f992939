/**
 * Writing responses: the CORS headers, precomputed once, and a JSON sender. The CORS pair goes only
 * on answers to requests that carry `Origin` (a browser's cross-origin call): other clients never
 * read it, and strict header readers tripped on it. No answer carries Cache-Control or Last-Modified,
 * so no shared cache stores one and `Vary: Origin` is not needed.
 * Headers go to `res.writeHead(status, flatArray)` in one call: no per-header setHeader bookkeeping.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'

/** Headers a browser script may read from our answers (the record metadata and rate-limit hint). */
export const EXPOSED_HEADERS = 'X-Created-At, X-Original-TTL, X-Remaining-TTL, ETag, Retry-After, Content-Length'

export const CORS_ORIGIN = 'Access-Control-Allow-Origin'
export const CORS_EXPOSE = 'Access-Control-Expose-Headers'

export const JSON_TYPE = 'application/json; charset=utf-8'

/** True when the request is a browser's cross-origin call, so the answer needs the CORS headers. */
export function wantsCors(req: IncomingMessage): boolean {
  return req.headers.origin !== undefined
}

/** Sends `body` as JSON (with the CORS headers when the request carries `Origin`) and any `extra` header pairs (flat: name, value, …). */
export function sendJson(res: ServerResponse, status: number, body: unknown, extra?: readonly string[]): void {
  const payload = JSON.stringify(body)
  const length = String(Buffer.byteLength(payload))
  const headers = wantsCors(res.req)
    ? [CORS_ORIGIN, '*', CORS_EXPOSE, EXPOSED_HEADERS, 'Content-Type', JSON_TYPE, 'Content-Length', length]
    : ['Content-Type', JSON_TYPE, 'Content-Length', length]
  if (extra) for (let i = 0; i < extra.length; i++) headers.push(extra[i])
  res.writeHead(status, headers)
  res.end(payload)
}
