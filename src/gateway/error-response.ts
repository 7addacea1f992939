/**
 * Any thrown value → an HTTP answer, through the one error table (src/node/error-table.ts):
 * `{"error":"<code>","message":"<sentence>"}`. Foreign errors become 500 `internal` with a generic
 * message (no stack or internals leak) and are logged; a client that is already gone gets nothing.
 */
import type { ServerResponse } from 'node:http'
import { ERROR_TABLE } from '../shared/error-table.js'
import { MethodNotAllowedError, RateLimitedError, type RepramError, toRepramError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { sendJson } from './respond.js'

export function errorBody(err: RepramError): { error: string; message: string } {
  return { error: err.code, message: err.code === 'internal' ? 'Internal error.' : err.message }
}

/** Extra headers an error carries: `Allow` on 405, `Retry-After` on 429. */
export function errorHeaders(err: RepramError): string[] | undefined {
  if (err instanceof MethodNotAllowedError) return ['Allow', err.allow]
  if (err instanceof RateLimitedError) return ['Retry-After', String(err.retryAfterSeconds)]
  return undefined
}

export function sendError(res: ServerResponse, thrown: unknown, log: Logger): void {
  const err = toRepramError(thrown)
  if (err.code === 'internal') {
    const cause = err.cause ?? err
    log.error('request failed', { err: cause instanceof Error ? cause : String(cause), stack: cause instanceof Error ? cause.stack : undefined })
  }
  if (res.destroyed || res.writableEnded) return
  if (res.headersSent) {
    // Headers are out: the only honest signal left is to cut the connection.
    res.destroy()
    return
  }
  sendJson(res, ERROR_TABLE[err.code].httpStatus, errorBody(err), errorHeaders(err))
}
