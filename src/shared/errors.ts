/**
 * Every error a front door can show, as a small named class carrying a stable code. How each maps
 * outward (HTTP status, CLI exit code, MCP tool error) lives in one table: `error-table.ts`.
 * Tests assert `code` or the class, never the message.
 */
export type ErrorCode =
  | 'invalid_key'
  | 'key_too_long'
  | 'invalid_ttl'
  | 'invalid_request'
  | 'value_too_large'
  | 'not_found'
  | 'method_not_allowed'
  | 'rate_limited'
  | 'insufficient_storage'
  | 'unavailable'
  | 'clock_skew'
  | 'replica_timeout'
  | 'protocol_error'
  | 'config_invalid'
  | 'unreachable'
  | 'internal'

export class RepramError extends Error {
  readonly code: ErrorCode

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.code = code
    this.name = new.target.name
  }
}

/** Malformed percent-escape, invalid UTF-8, or an empty key. */
export class InvalidKeyError extends RepramError {
  constructor(message = 'The key must be 1 or more bytes of valid UTF-8 with well-formed percent-escapes.') {
    super('invalid_key', message)
  }
}

export class KeyTooLongError extends RepramError {
  constructor(maxBytes: number) {
    super('key_too_long', `The key is longer than the limit of ${maxBytes} bytes.`)
  }
}

export class InvalidTtlError extends RepramError {
  constructor(raw: string) {
    super('invalid_ttl', `TTL must be a positive whole number of seconds; got ${JSON.stringify(raw.slice(0, 40))}.`)
  }
}

export class InvalidRequestError extends RepramError {
  constructor(message: string) {
    super('invalid_request', message)
  }
}

export class ValueTooLargeError extends RepramError {
  constructor(maxBytes: number) {
    super('value_too_large', `The value is larger than the limit of ${maxBytes} bytes.`)
  }
}

export class NotFoundError extends RepramError {
  constructor(message = 'No live value is stored under this key (it never existed or has expired).') {
    super('not_found', message)
  }
}

export class MethodNotAllowedError extends RepramError {
  readonly allow: string
  constructor(method: string, allow: string) {
    super('method_not_allowed', `Method ${method.slice(0, 20)} is not allowed here; allowed: ${allow}. There is no DELETE: values expire on their own.`)
    this.allow = allow
  }
}

export class RateLimitedError extends RepramError {
  readonly retryAfterSeconds: number
  constructor(retryAfterSeconds = 1) {
    super('rate_limited', 'Too many requests from this client; slow down and retry shortly.')
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** No replica (or, on one node, this node) has room under REPRAM_MAX_STORAGE_MB. */
export class InsufficientStorageError extends RepramError {
  constructor(message = 'No replica has room for this value (storage cap reached).') {
    super('insufficient_storage', message)
  }
}

/** The node cannot serve at all (stopping, or no replica reachable for a read). */
export class UnavailableError extends RepramError {
  constructor(message = 'The node cannot serve this request right now.') {
    super('unavailable', message)
  }
}

/** A remote replica did not answer in time (libp2p TimeoutError/AbortError translated at the boundary). */
/**
 * A write could not become the newest version: the mesh holds versions from more than the skew
 * tolerance ahead of this node's clock, so this node cannot issue a version that outranks them.
 */
export class ClockSkewError extends RepramError {
  constructor(toleranceMs: number, message?: string) {
    super(
      'clock_skew',
      message ??
        `This node's clock is behind the mesh's by more than ${Math.round(toleranceMs / 1000)} s: a write here would be older than what the mesh holds. Fix the clock (NTP) or write through another node.`,
    )
  }
}

export class ReplicaTimeoutError extends RepramError {
  constructor(message = 'A replica did not answer in time.') {
    super('replica_timeout', message)
  }
}

/** A peer spoke our wire protocol badly: oversized frame, undecodable message, wrong record. */
export class ProtocolError extends RepramError {
  constructor(message: string) {
    super('protocol_error', message)
  }
}

export class ConfigError extends RepramError {
  readonly variable: string
  constructor(variable: string, message: string) {
    super('config_invalid', `${variable}: ${message}`)
    this.variable = variable
  }
}

/** A client could not reach the gateway at all. */
export class UnreachableError extends RepramError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('unreachable', message, options)
  }
}

export class InternalError extends RepramError {
  constructor(message = 'Internal error.', options?: { cause?: unknown }) {
    super('internal', message, options)
  }
}

/** Any thrown value → a RepramError (foreign errors become `internal`, keeping the cause). */
export function toRepramError(err: unknown): RepramError {
  if (err instanceof RepramError) return err
  return new InternalError('Internal error.', { cause: err })
}
