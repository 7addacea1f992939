/**
 * Answers requests node:http could not parse (its `clientError` event), so even garbage gets a
 * clear JSON answer instead of a silent close, and nothing here can throw:
 * - headers (request line included) over the limit → 431 `invalid_request`. A key too long for
 *   REPRAM_MAX_KEY_BYTES but within the header limit is a normal request and gets 414; a key so long
 *   that the request line itself overflows (e.g. 100 KB) gets 431 — the parser stops before it
 *   knows the path, and raising the header limit to fit would hand every connection a big buffer.
 * - headers not received in time (slow-loris) → 408 `invalid_request`, connection closed.
 * - a method the parser does not know (`BREW`) → 405 with `Allow` on our routes, 404 elsewhere.
 * - an unparsable target (raw bytes ≥ 0x80, controls) → 400 `invalid_key` on data paths, else `invalid_request`.
 * The answer is written with `Connection: close`; the socket is half-closed so the client can read
 * it, and destroyed after a short linger.
 */
import { STATUS_CODES } from 'node:http'
import type { Duplex } from 'node:stream'
import type { ErrorCode } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { CORS_EXPOSE, CORS_ORIGIN, EXPOSED_HEADERS, JSON_TYPE } from './respond.js'
import { allowOf, routeOf } from './router.js'

/** How long a refused client may take to read our answer before the socket is destroyed. */
export const CLIENT_ERROR_LINGER_MS = 1_000
/** We look at most this much of the bytes that failed to parse to find the method and path. */
const MAX_SNIFF_BYTES = 4_096

const answered = new WeakSet<Duplex>()
/** An HTTP method token as clients write them; anything else is not an HTTP request at all. */
const METHOD_TOKEN = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/

interface ParserError extends Error {
  code?: string
  rawPacket?: Buffer
}

/** An `Origin` header line among the bytes that failed to parse (the answer then carries the CORS pair, as routed ones do). */
const ORIGIN_LINE = /\r\norigin:/i

function rawAnswer(status: number, code: ErrorCode, message: string, extra: string, cors: boolean): string {
  const body = JSON.stringify({ error: code, message })
  return (
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n` +
    (cors ? `${CORS_ORIGIN}: *\r\n${CORS_EXPOSE}: ${EXPOSED_HEADERS}\r\n` : '') +
    `Content-Type: ${JSON_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n${body}`
  )
}

/** Method and path of a request line at the start of `raw`, if it has one. */
function sniff(raw: Buffer | undefined): { method: string; path: string } | undefined {
  if (!raw) return undefined
  const head = raw.toString('latin1', 0, Math.min(raw.length, MAX_SNIFF_BYTES))
  const sp1 = head.indexOf(' ')
  if (sp1 <= 0 || sp1 > 32) return undefined
  const sp2 = head.indexOf(' ', sp1 + 1)
  const target = head.slice(sp1 + 1, sp2 === -1 ? undefined : sp2)
  const q = target.indexOf('?')
  return { method: head.slice(0, sp1), path: q === -1 ? target : target.slice(0, q) }
}

/** True when the bytes that failed to parse carry an `Origin` header (within the sniffed head). */
function hasOrigin(raw: Buffer | undefined): boolean {
  return raw !== undefined && ORIGIN_LINE.test(raw.toString('latin1', 0, Math.min(raw.length, MAX_SNIFF_BYTES)))
}

function answerFor(err: ParserError, maxHeaderBytes: number): string | undefined {
  const cors = hasOrigin(err.rawPacket)
  const rawResponse = (status: number, code: ErrorCode, message: string, extra = ''): string => rawAnswer(status, code, message, extra, cors)
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return rawResponse(
        431,
        'invalid_request',
        `The request line and headers exceed ${maxHeaderBytes} bytes (keys longer than REPRAM_MAX_KEY_BYTES get 414 when they fit).`,
      )
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return rawResponse(408, 'invalid_request', 'The request was not received in time.')
    case 'HPE_INVALID_METHOD': {
      const line = sniff(err.rawPacket)
      if (!line || !METHOD_TOKEN.test(line.method)) return rawResponse(400, 'invalid_request', 'The request could not be parsed as HTTP/1.1.')
      const route = routeOf(line.path)
      const allow = allowOf(route)
      if (allow === undefined) return rawResponse(404, 'not_found', 'No such route.')
      const method = JSON.stringify(line.method.slice(0, 20))
      return rawResponse(
        405,
        'method_not_allowed',
        `Method ${method} is not allowed here; allowed: ${allow}. There is no DELETE: values expire on their own.`,
        `Allow: ${allow}\r\n`,
      )
    }
    case 'HPE_INVALID_URL': {
      const line = sniff(err.rawPacket)
      if (line && routeOf(line.path) === 'data')
        return rawResponse(400, 'invalid_key', 'The key must be valid UTF-8 sent percent-encoded; raw bytes are not allowed in the request line.')
      return rawResponse(400, 'invalid_request', 'The request target is not a valid URL path.')
    }
    default:
      return rawResponse(400, 'invalid_request', 'The request could not be parsed as HTTP/1.1.')
  }
}

export function handleClientError(err: ParserError, socket: Duplex, log: Logger, maxHeaderBytes: number): void {
  try {
    if (answered.has(socket)) return
    answered.add(socket)
    const pending = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage
    if (err.code === 'ECONNRESET' || err.code === 'EPIPE' || !socket.writable || pending?.headersSent) {
      socket.destroy()
      return
    }
    log.debug('client error', { code: err.code ?? err.name })
    const response = answerFor(err, maxHeaderBytes)
    const timer = setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS)
    timer.unref()
    socket.once('close', () => clearTimeout(timer))
    socket.end(response)
  } catch {
    socket.destroy()
  }
}
