/**
 * CORS: any origin may call the gateway (as the older REPRAM allowed); every answer to a request
 * that carries `Origin` has `Access-Control-Allow-Origin: *` and exposes the record headers (see
 * respond.ts); answers to other clients go without them. This file answers preflights (`OPTIONS`,
 * any path), always with the full set, as before.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { CORS_EXPOSE, CORS_ORIGIN, EXPOSED_HEADERS } from './respond.js'

export const ALLOWED_METHODS = 'GET, HEAD, PUT, OPTIONS'
/** Request headers a browser may send when it does not name its own. */
export const DEFAULT_ALLOWED_HEADERS = 'Content-Type, X-TTL'
/** Browsers may cache a preflight for a day: the policy never changes while a node runs. */
export const PREFLIGHT_MAX_AGE_SECONDS = 86_400
/** Echo the browser's requested header list when it is plain header names and reasonably short. */
const SAFE_HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/
const MAX_ECHOED_HEADER_LIST_CHARS = 1_024

export function sendPreflight(req: IncomingMessage, res: ServerResponse): void {
  const asked = req.headers['access-control-request-headers']
  const allowHeaders =
    typeof asked === 'string' && asked.length <= MAX_ECHOED_HEADER_LIST_CHARS && SAFE_HEADER_LIST.test(asked.trim()) ? asked.trim() : DEFAULT_ALLOWED_HEADERS
  res.writeHead(204, [
    CORS_ORIGIN,
    '*',
    CORS_EXPOSE,
    EXPOSED_HEADERS,
    'Access-Control-Allow-Methods',
    ALLOWED_METHODS,
    'Access-Control-Allow-Headers',
    allowHeaders,
    'Access-Control-Max-Age',
    String(PREFLIGHT_MAX_AGE_SECONDS),
    'Allow',
    ALLOWED_METHODS,
    'Content-Length',
    '0',
  ])
  res.end()
}
