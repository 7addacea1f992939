/**
 * autocannon setupClient for HEAD: autocannon's parser does not know that an answer to HEAD has no
 * body, so it waits for Content-Length bytes that never come and every request times out. This tells
 * the parser to skip the body, as Node's own HTTP client does for HEAD.
 */
import { createRequire } from 'node:module'

interface Parser {
  [k: number]: unknown
}

const requireFromAutocannon = createRequire(createRequire(import.meta.url).resolve('autocannon'))
const { HTTPParser } = requireFromAutocannon('http-parser-js') as { HTTPParser: { kOnHeadersComplete: number } }
/** http-parser-js: a truthy return from onHeadersComplete means "this response has no body". */
const SKIP_BODY = 1

export function setupHeadClient(client: { parser: Parser }): void {
  let handler: ((...args: unknown[]) => unknown) | undefined
  // autocannon assigns its handler after calling setupClient; intercept the assignment.
  Object.defineProperty(client.parser, HTTPParser.kOnHeadersComplete, {
    configurable: true,
    set(fn: (...args: unknown[]) => unknown) {
      handler = fn
    },
    get() {
      return (...args: unknown[]) => {
        handler?.(...args)
        return SKIP_BODY
      }
    },
  })
}
