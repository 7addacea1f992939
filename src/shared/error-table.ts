/**
 * The one table that maps each error code outward: HTTP status for the gateway, process exit code
 * for the CLI verbs. The MCP front door turns any of them into a tool error carrying the message.
 */
import type { ErrorCode } from './errors.js'

export interface ErrorMapping {
  readonly httpStatus: number
  readonly exitCode: number
}

/** CLI exit codes: 0 ok, 1 internal, 2 usage, 3 not found, 4 rejected input, 5 refused by the mesh, 6 unreachable. */
export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorMapping>> = {
  invalid_key: { httpStatus: 400, exitCode: 4 },
  key_too_long: { httpStatus: 414, exitCode: 4 },
  invalid_ttl: { httpStatus: 400, exitCode: 4 },
  invalid_request: { httpStatus: 400, exitCode: 4 },
  value_too_large: { httpStatus: 413, exitCode: 4 },
  not_found: { httpStatus: 404, exitCode: 3 },
  method_not_allowed: { httpStatus: 405, exitCode: 2 },
  rate_limited: { httpStatus: 429, exitCode: 5 },
  insufficient_storage: { httpStatus: 507, exitCode: 5 },
  unavailable: { httpStatus: 503, exitCode: 5 },
  clock_skew: { httpStatus: 503, exitCode: 5 },
  replica_timeout: { httpStatus: 504, exitCode: 5 },
  protocol_error: { httpStatus: 502, exitCode: 5 },
  config_invalid: { httpStatus: 500, exitCode: 2 },
  unreachable: { httpStatus: 502, exitCode: 6 },
  internal: { httpStatus: 500, exitCode: 1 },
}

export const EXIT_OK = 0
export const EXIT_USAGE = 2

/** HTTP status → code, for the typed client reading a gateway's error body without a known code. */
export function codeForHttpStatus(status: number): ErrorCode {
  for (const [code, m] of Object.entries(ERROR_TABLE) as [ErrorCode, ErrorMapping][]) {
    if (m.httpStatus === status) return code
  }
  return status >= 500 ? 'internal' : 'invalid_request'
}
