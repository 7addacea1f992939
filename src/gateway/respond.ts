/**
 * Writing responses: the CORS headers every answer carries, precomputed once, and a JSON sender.
 * Headers go to `res.writeHead(status, flatArray)` in one call: no per-header setHeader bookkeeping.
 */
import type { ServerResponse } from 'node:http'

/** Headers a browser script may read from our answers (the record metadata and rate-limit hint). */
export const EXPOSED_HEADERS = 'X-Created-At, X-Original-TTL, X-Remaining-TTL, ETag, Retry-After, Content-Length'

export const CORS_ORIGIN = 'Access-Control-Allow-Origin'
export const CORS_EXPOSE = 'Access-Control-Expose-Headers'

export const JSON_TYPE = 'application/json; charset=utf-8'

/** Sends `body` as JSON with the CORS headers and any `extra` header pairs (flat: name, value, …). */
export function sendJson(res: ServerResponse, status: number, body: unknown, extra?: readonly string[]): void {
  const payload = JSON.stringify(body)
  const headers = [CORS_ORIGIN, '*', CORS_EXPOSE, EXPOSED_HEADERS, 'Content-Type', JSON_TYPE, 'Content-Length', String(Buffer.byteLength(payload))]
  if (extra) for (let i = 0; i < extra.length; i++) headers.push(extra[i])
  res.writeHead(status, headers)
  res.end(payload)
}
