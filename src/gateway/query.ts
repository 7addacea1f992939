/**
 * A strict query-string reader: `a=1&b=%E2%9C%93`, `+` as space, each component decoded once.
 * Malformed escapes or invalid UTF-8 → InvalidRequestError (URLSearchParams would silently
 * substitute U+FFFD). First occurrence of a name wins.
 */
import { InvalidRequestError } from '../shared/errors.js'

function decode(raw: string, name: string): string {
  if (raw.indexOf('%') === -1 && raw.indexOf('+') === -1) return raw
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '))
  } catch {
    throw new InvalidRequestError(`The query parameter ${JSON.stringify(name.slice(0, 40))} has a malformed percent-escape or invalid UTF-8.`)
  }
}

/** The decoded value of `name` in `query` (without the leading `?`), or undefined when absent. */
export function queryParam(query: string, name: string): string | undefined {
  if (query.length === 0) return undefined
  let start = 0
  while (start <= query.length) {
    let end = query.indexOf('&', start)
    if (end === -1) end = query.length
    const eq = query.indexOf('=', start)
    const nameEnd = eq === -1 || eq > end ? end : eq
    if (nameEnd - start === name.length && query.startsWith(name, start)) {
      return nameEnd === end ? '' : decode(query.slice(nameEnd + 1, end), name)
    }
    start = end + 1
  }
  return undefined
}
