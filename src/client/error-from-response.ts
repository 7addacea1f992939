/**
 * Turns what went wrong on the wire back into the node's own named errors, so a program using the
 * typed client catches the same classes (and reads the same `code`) as one embedding a node:
 * a gateway's `{"error","message"}` body → its class; a refused connection or unknown host →
 * UnreachableError; the client's own deadline → ReplicaTimeoutError.
 */

import { codeForHttpStatus } from '../shared/error-table.js'
import {
  ClockSkewError,
  ConfigError,
  type ErrorCode,
  InsufficientStorageError,
  InternalError,
  InvalidKeyError,
  InvalidRequestError,
  InvalidTtlError,
  KeyTooLongError,
  MethodNotAllowedError,
  NotFoundError,
  ProtocolError,
  RateLimitedError,
  ReplicaTimeoutError,
  type RepramError,
  UnavailableError,
  UnreachableError,
  ValueTooLargeError,
} from '../shared/errors.js'

/** Most of an error body we read: a gateway's error JSON is a few hundred bytes. */
export const MAX_ERROR_BODY_BYTES = 16 * 1024

const FACTORIES: Record<ErrorCode, (message: string, res: Response) => RepramError> = {
  invalid_key: (m) => new InvalidKeyError(m),
  key_too_long: () => new KeyTooLongError(0),
  invalid_ttl: () => new InvalidTtlError(''),
  invalid_request: (m) => new InvalidRequestError(m),
  value_too_large: () => new ValueTooLargeError(0),
  not_found: (m) => new NotFoundError(m),
  method_not_allowed: (_m, res) => new MethodNotAllowedError('', res.headers.get('allow') ?? ''),
  rate_limited: (_m, res) => new RateLimitedError(retryAfterSeconds(res.headers.get('retry-after'))),
  insufficient_storage: (m) => new InsufficientStorageError(m),
  unavailable: (m) => new UnavailableError(m),
  clock_skew: (m) => new ClockSkewError(0, m),
  replica_timeout: (m) => new ReplicaTimeoutError(m),
  protocol_error: (m) => new ProtocolError(m),
  config_invalid: (m) => new ConfigError('gateway', m),
  unreachable: (m) => new UnreachableError(m),
  internal: (m) => new InternalError(m),
}

function retryAfterSeconds(raw: string | null): number {
  const n = raw === null ? Number.NaN : Number(raw)
  return Number.isFinite(n) && n >= 0 ? n : 1
}

function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(FACTORIES, code)
}

/** Reads a bounded error body and builds the named error it names (or the one its status implies). */
export async function errorFromResponse(res: Response): Promise<RepramError> {
  let code: ErrorCode = codeForHttpStatus(res.status)
  let message = `The gateway answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}.`
  const text = await readBounded(res, MAX_ERROR_BODY_BYTES).catch(() => '')
  try {
    const body = JSON.parse(text) as { error?: unknown; message?: unknown }
    if (isErrorCode(body.error)) code = body.error
    if (typeof body.message === 'string' && body.message.length > 0) message = body.message
  } catch {
    // Not JSON (a proxy's HTML page, an empty 502): keep the status-derived code and message.
  }
  const err = FACTORIES[code](message, res)
  // Keep the gateway's own sentence: it names the actual limit or input, which the client cannot know.
  err.message = message
  return err
}

async function readBounded(res: Response, maxBytes: number): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let n = 0
  try {
    while (n < maxBytes) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      n += value.byteLength
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8')
}

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
])

/** The system error code buried in undici's `TypeError: fetch failed` (cause, or cause's cause). */
function systemCode(err: unknown): string | undefined {
  let e: unknown = err
  for (let depth = 0; depth < 4 && e !== null && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && code.length > 0) return code
    const errors = (e as { errors?: unknown }).errors
    if (Array.isArray(errors) && errors.length > 0) {
      e = errors[0]
      continue
    }
    e = (e as { cause?: unknown }).cause
  }
  return undefined
}

/** A fetch that threw (no response at all) → UnreachableError naming the URL and the system reason. */
export function errorFromFetchFailure(err: unknown, url: string): RepramError {
  const code = systemCode(err)
  if (code === undefined || UNREACHABLE_CODES.has(code) || err instanceof TypeError) {
    return new UnreachableError(`Cannot reach the REPRAM gateway at ${url}${code ? ` (${code})` : ''}. Is a node running there? Set REPRAM_URL or --url.`, {
      cause: err,
    })
  }
  return new InternalError(`Request to ${url} failed: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
}

export function timeoutError(url: string, timeoutMs: number): RepramError {
  return new ReplicaTimeoutError(`The REPRAM gateway at ${url} did not answer within ${timeoutMs} ms.`)
}
