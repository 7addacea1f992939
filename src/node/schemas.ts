/**
 * Input validation shared by every front door: one function per input, each throwing the named error
 * the error table maps outward. The gateway, MCP tools and CLI verbs all call these.
 */
import { InvalidKeyError, InvalidRequestError, InvalidTtlError, KeyTooLongError } from '../shared/errors.js'

/** UTF-8 byte length of a JS string without allocating. Lone surrogates count as 3 (U+FFFD). */
export function utf8Length(s: string): number {
  let n = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4
      i++
    } else n += 3
  }
  return n
}

/** True when the string has no lone surrogates (so it round-trips through UTF-8). */
export function isWellFormed(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdfff) {
      if (c > 0xdbff || i + 1 >= s.length || (s.charCodeAt(i + 1) & 0xfc00) !== 0xdc00) return false
      i++
    }
  }
  return true
}

/** Checks a key given as a JS string (MCP, CLI, client): non-empty, well-formed, within maxBytes. */
export function validateKey(key: unknown, maxBytes: number): string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidKeyError('The key must be a non-empty string.')
  if (!isWellFormed(key)) throw new InvalidKeyError('The key contains an unpaired surrogate and is not valid Unicode.')
  if (utf8Length(key) > maxBytes) throw new KeyTooLongError(maxBytes)
  return key
}

/**
 * Parses a TTL as given by a client (`?ttl=`, `X-TTL`, a CLI flag): a positive whole number of
 * seconds, at most 15 digits. Anything else → InvalidTtlError. Clamping is the node's job.
 */
export function parseTtl(raw: string): number {
  const s = raw.trim()
  if (!/^\d{1,15}$/.test(s)) throw new InvalidTtlError(raw)
  const n = Number(s)
  if (n <= 0) throw new InvalidTtlError(raw)
  return n
}

/** A TTL given as a number (MCP arguments, the typed client). */
export function validateTtlNumber(ttl: unknown): number {
  if (typeof ttl !== 'number' || !Number.isSafeInteger(ttl) || ttl <= 0) throw new InvalidTtlError(String(ttl))
  return ttl
}

/** Clamps a requested TTL into [min, max]; absent → the default. */
export function effectiveTtl(requested: number | undefined, bounds: { minTtlSeconds: number; maxTtlSeconds: number; defaultTtlSeconds: number }): number {
  const t = requested ?? bounds.defaultTtlSeconds
  return Math.min(bounds.maxTtlSeconds, Math.max(bounds.minTtlSeconds, t))
}

/** A listing limit: positive integer up to `max`; anything else (absent, invalid) → max. */
export function parseLimit(raw: string | number | undefined | null, max: number): number {
  if (raw === undefined || raw === null || raw === '') return max
  const n = typeof raw === 'number' ? raw : /^\d{1,9}$/.test(raw.trim()) ? Number(raw.trim()) : Number.NaN
  if (!Number.isSafeInteger(n) || n <= 0) return max
  return Math.min(n, max)
}

/** A listing prefix or cursor: must be well-formed Unicode and within the key limit. */
export function validateKeyFragment(value: unknown, name: string, maxBytes: number): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value !== 'string' || !isWellFormed(value)) throw new InvalidRequestError(`${name} must be a valid Unicode string.`)
  if (utf8Length(value) > maxBytes) throw new InvalidRequestError(`${name} is longer than the key limit of ${maxBytes} bytes.`)
  return value
}
