/**
 * How tool answers look: a success carries the result both as JSON text (for any client) and as
 * structured content (for clients that read the output schema); a failure is a tool error
 * (`isError: true`) whose text starts with the stable error code and says what to do next, so a
 * model can recover instead of the server crashing.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { type ErrorCode, toRepramError } from '../shared/errors.js'

export function toolOk(result: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(result) }], structuredContent: result }
}

/** What a model should do about each failure, appended to the error's own sentence. */
const NEXT_STEP: Partial<Record<ErrorCode, string>> = {
  not_found:
    'Expired values cannot be recovered; check the key spelling, or treat absence as the signal (an expired lock is free, a missing heartbeat means the writer stopped).',
  invalid_key: 'Use a non-empty UTF-8 key such as "scratch:<uuid>" or "handoff:<task>:<from>-><to>".',
  key_too_long: 'Shorten the key, e.g. derive it with SHA-256 of the shared context (handoff:<hex digest>).',
  invalid_ttl: 'Pass ttl_seconds as a positive whole number of seconds, e.g. 600, or omit it for the default.',
  invalid_request: 'Fix the argument named above and call again.',
  value_too_large: 'Store a smaller value, or split it under keys like "<key>:part-1", "<key>:part-2".',
  rate_limited: 'Wait a second and retry.',
  insufficient_storage: 'The nodes are full; retry later or store a smaller value with a shorter TTL.',
  unavailable: 'The node cannot serve right now; retry in a few seconds.',
  replica_timeout: 'The storage network did not answer in time; retry shortly.',
  protocol_error: 'The storage network answered badly; retry shortly.',
  unreachable: 'The REPRAM gateway (REPRAM_URL) is not reachable; tell the user to start it or fix REPRAM_URL.',
  internal: 'Retry once; if it persists, report it to the user.',
}

export function toolError(code: ErrorCode | string, message: string): CallToolResult {
  const next = NEXT_STEP[code as ErrorCode]
  return { content: [{ type: 'text', text: `${code}: ${message}${next ? ` ${next}` : ''}` }], isError: true }
}

/** Any thrown value → a tool error; never rethrows, so a failing call cannot take the server down. */
export function toolErrorFrom(err: unknown): CallToolResult {
  if (err instanceof Error && err.name === 'AbortError') return toolError('unavailable', 'The call was cancelled.')
  const e = toRepramError(err)
  return toolError(e.code, e.message)
}

/** Runs a tool body and turns any failure into a tool error. */
export async function guarded(body: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await body()
  } catch (err) {
    return toolErrorFrom(err)
  }
}
