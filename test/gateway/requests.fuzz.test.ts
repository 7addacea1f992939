/**
 * Fuzzing the HTTP gateway with raw requests over a socket (what fetch refuses to send): methods,
 * percent-escaped and raw-byte paths (invalid UTF-8 included), headers, bodies, TTLs in the query and
 * X-TTL, Content-Length lies, chunked bodies, half-closes and pipelined garbage.
 *
 * Two generators. Well-formed requests are checked against a reference model of the contract
 * (http-api.md): the status each input must get, the effective TTL, and every value stored by the fuzz
 * read back byte for byte. Chaos requests are checked only for what the contract promises of anything:
 * a status from its table (never a 5xx), a JSON error body, the process alive. Before and after, a few
 * known keys are read back unchanged (value, ETag). Fixed seed; a failure prints its input.
 */
import net from 'node:net'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ERROR_TABLE } from '../../src/shared/error-table.js'
import { type Harness, startHarness } from './harness.js'

const SEED = 0x12_0412
const MAX_VALUE = 2_048
const MAX_KEY = 1_024
const MIN_TTL = 300
const MAX_TTL = 86_400
const DEFAULT_TTL = 3_600
/** Every status the contract's tables give (100 is HTTP's interim answer to `Expect: 100-continue`). */
const CONTRACT_STATUSES = new Set([200, 201, 202, 204, 400, 404, 405, 408, 413, 414, 431])
const ERROR_CODES = new Set(Object.keys(ERROR_TABLE))
const DATA_ALLOW = 'GET, HEAD, PUT, OPTIONS'

let h: Harness

// ---------------------------------------------------------------------------------------------------
// A raw HTTP/1.1 exchange and a tolerant response parser
// ---------------------------------------------------------------------------------------------------

interface Resp {
  status: number
  headers: Record<string, string>
  body: Buffer
}

/** Every complete response in `data` (interim 1xx skipped); `firstIsHead`: the first has no body. */
function parseResponses(data: Buffer, firstIsHead: boolean, closed: boolean): { responses: Resp[]; complete: boolean } {
  const responses: Resp[] = []
  let off = 0
  for (;;) {
    const end = data.indexOf('\r\n\r\n', off)
    if (end === -1) return { responses, complete: off === data.length && responses.length > 0 }
    const lines = data.subarray(off, end).toString('latin1').split('\r\n')
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0])
    if (!m) return { responses, complete: false }
    const status = Number(m[1])
    const headers: Record<string, string> = {}
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':')
      if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim()
    }
    off = end + 4
    if (status >= 100 && status < 200) continue
    const noBody = (responses.length === 0 && firstIsHead) || status === 204 || status === 304
    let len = 0
    if (!noBody) {
      if (headers['content-length'] !== undefined) len = Number(headers['content-length'])
      else if (closed) len = data.length - off
      else return { responses, complete: false }
    }
    if (data.length < off + len) return { responses, complete: false }
    responses.push({ status, headers, body: data.subarray(off, off + len) })
    off += len
  }
}

interface Exchange {
  responses: Resp[]
  raw: Buffer
}

/** A client that got no answer this long after its request stops sending (half-closes): the server must then decide. */
const GIVE_UP_SENDING_MS = 150

/**
 * Sends `request` on a fresh connection; `halfClose` ends our side once it is written (a client that
 * sends no more), otherwise it is ended after GIVE_UP_SENDING_MS without an answer (an incomplete
 * request or a Content-Length lie would else wait for the server's timeouts). Done when the server
 * closes, or once a complete response has been followed by a short silence, or at the deadline.
 */
function exchange(request: Buffer, options: { head: boolean; halfClose: boolean; deadlineMs?: number }): Promise<Exchange> {
  return new Promise((resolve) => {
    const socket = net.connect(h.port, '127.0.0.1')
    let data = Buffer.alloc(0)
    let quiet: NodeJS.Timeout | undefined
    let giveUp: NodeJS.Timeout | undefined
    let finished = false
    const finish = (closed: boolean): void => {
      if (finished) return
      finished = true
      clearTimeout(deadline)
      clearTimeout(quiet)
      clearTimeout(giveUp)
      socket.destroy()
      resolve({ responses: parseResponses(data, options.head, closed).responses, raw: data })
    }
    const deadline = setTimeout(() => finish(false), options.deadlineMs ?? 1_500)
    socket.on('connect', () => {
      socket.write(request)
      if (options.halfClose) socket.end()
      else giveUp = setTimeout(() => socket.end(), GIVE_UP_SENDING_MS)
    })
    socket.on('data', (d) => {
      data = Buffer.concat([data, d])
      clearTimeout(quiet)
      clearTimeout(giveUp)
      if (parseResponses(data, options.head, false).complete) quiet = setTimeout(() => finish(false), 30)
    })
    socket.on('error', () => {})
    socket.on('close', () => finish(true))
  })
}

/** What the contract promises of any answer: a status from its tables; errors as JSON with a stable code. */
function expectContractAnswer(r: Exchange, firstIsHead: boolean, what: string): void {
  for (const [i, res] of r.responses.entries()) {
    expect(CONTRACT_STATUSES, `${what}: status ${res.status}`).toContain(res.status)
    if (res.status >= 400 && !(i === 0 && firstIsHead) && res.body.length > 0) {
      const body = JSON.parse(res.body.toString('utf8')) as { error: unknown; message: unknown }
      expect(ERROR_CODES, what).toContain(body.error)
      expect(typeof body.message, what).toBe('string')
    }
    if (res.status === 405) expect(res.headers.allow, what).toBeDefined()
  }
  // Nothing but HTTP responses ever comes back (no stack trace, no half-written answer).
  if (r.raw.length > 0) expect(r.raw.subarray(0, 9).toString('latin1'), what).toBe('HTTP/1.1 ')
}

function requestBytes(method: string, target: Buffer | string, headers: Array<[string, string | Buffer]>, body: Buffer, version = 'HTTP/1.1'): Buffer {
  const head: Buffer[] = [Buffer.from(`${method} `, 'latin1'), Buffer.isBuffer(target) ? target : Buffer.from(target, 'latin1'), Buffer.from(` ${version}\r\n`)]
  for (const [n, v] of headers) head.push(Buffer.from(`${n}: `, 'latin1'), Buffer.isBuffer(v) ? v : Buffer.from(v, 'latin1'), Buffer.from('\r\n'))
  head.push(Buffer.from('\r\n'))
  return Buffer.concat([...head, body])
}

// ---------------------------------------------------------------------------------------------------
// The known keys, planted before any fuzzing
// ---------------------------------------------------------------------------------------------------

const KNOWN: Array<{ key: string; value: Buffer }> = [
  { key: 'known/plain', value: Buffer.from('the truth') },
  { key: 'known/a b+c', value: Buffer.from('spaces and plus') },
  { key: 'known/é✓/\u{1F600}', value: Buffer.from('unicode key') },
  { key: 'known/empty', value: Buffer.alloc(0) },
  { key: 'known/binary', value: Buffer.from(Array.from({ length: 256 }, (_, i) => i)) },
  { key: 'known/max', value: Buffer.alloc(MAX_VALUE, 0x5a) },
]
const knownEtags = new Map<string, string>()

async function expectKnownIntact(): Promise<void> {
  for (const k of KNOWN) {
    const res = await fetch(`${h.url}/v1/data/${encodeURIComponent(k.key)}`)
    expect(res.status, k.key).toBe(200)
    expect(Buffer.from(await res.arrayBuffer()).equals(k.value), k.key).toBe(true)
    expect(res.headers.get('etag'), k.key).toBe(knownEtags.get(k.key))
    expect(res.headers.get('x-original-ttl'), k.key).toBe('3600')
  }
  const listed = (await (await fetch(`${h.url}/v1/keys?prefix=known%2F`)).json()) as { keys: string[] }
  expect(listed.keys).toEqual(byteOrder(KNOWN.map((k) => k.key)))
  expect((await fetch(`${h.url}/v1/health`)).status).toBe(200)
}

function byteOrder(keys: string[]): string[] {
  return [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
}

beforeAll(async () => {
  h = await startHarness(
    { maxValueBytes: MAX_VALUE, maxKeyBytes: MAX_KEY },
    { headersTimeoutMs: 1_000, requestTimeoutMs: 3_000, connectionsCheckIntervalMs: 100, oversizeLingerMs: 200, keepAliveTimeoutMs: 300 },
  )
  for (const k of KNOWN) {
    const res = await fetch(`${h.url}/v1/data/${encodeURIComponent(k.key)}?ttl=3600`, { method: 'PUT', body: k.value })
    expect(res.status).toBe(201)
    knownEtags.set(k.key, res.headers.get('etag') ?? '')
  }
  await expectKnownIntact()
})

afterAll(async () => {
  await h?.stop()
})

describe('gateway: requests node:http itself would refuse', () => {
  it('an HTTP/1.1 request without Host gets a JSON 400 invalid_request, like every other error', async () => {
    for (const target of ['/v1/health', '/v1/data/known%2Fplain', '/nowhere']) {
      const r = await exchange(Buffer.from(`GET ${target} HTTP/1.1\r\n\r\n`), { head: false, halfClose: false })
      expect(r.responses.length).toBe(1)
      expect(r.responses[0].status).toBe(400)
      expect(r.responses[0].headers['access-control-allow-origin']).toBeUndefined()
      expect(JSON.parse(r.responses[0].body.toString()).error).toBe('invalid_request')
      const cross = await exchange(Buffer.from(`GET ${target} HTTP/1.1\r\nOrigin: https://example.org\r\n\r\n`), { head: false, halfClose: false })
      expect(cross.responses[0].status).toBe(400)
      expect(cross.responses[0].headers['access-control-allow-origin']).toBe('*')
    }
    // HTTP/1.0 has no Host requirement.
    const r = await exchange(Buffer.from('GET /v1/health HTTP/1.0\r\n\r\n'), { head: false, halfClose: false })
    expect(r.responses[0]?.status).toBe(200)
  })

  it('an expectation other than 100-continue is ignored (node:http would answer a bare 417)', async () => {
    const r = await exchange(Buffer.from('GET /v1/data/known%2Fplain HTTP/1.1\r\nHost: x\r\nExpect: a b c\r\n\r\n'), { head: false, halfClose: false })
    expect(r.responses[0]?.status).toBe(200)
    expect(r.responses[0].body.toString()).toBe('the truth')
    const put = await exchange(Buffer.from('PUT /v1/data/m-expect HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\nhi'), {
      head: false,
      halfClose: false,
    })
    expect(put.responses[0]?.status).toBe(201)
    model.set('m-expect', { value: Buffer.from('hi'), ttl: DEFAULT_TTL, etag: put.responses[0].headers.etag })
  })

  it('CONNECT gets a JSON answer (405 with Allow on a data path, else 404), not a silent close', async () => {
    const data = await exchange(Buffer.from('CONNECT /v1/data/c1 HTTP/1.1\r\nHost: x\r\n\r\n'), { head: false, halfClose: false })
    expect(data.responses[0]?.status).toBe(405)
    expect(data.responses[0].headers.allow).toBe(DATA_ALLOW)
    expect(JSON.parse(data.responses[0].body.toString()).error).toBe('method_not_allowed')
    const proxy = await exchange(Buffer.from('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n'), { head: false, halfClose: false })
    expect(proxy.responses[0]?.status).toBe(404)
    expect(JSON.parse(proxy.responses[0].body.toString()).error).toBe('not_found')
  })
})

// ---------------------------------------------------------------------------------------------------
// Well-formed requests against a reference model of the contract
// ---------------------------------------------------------------------------------------------------

const hex2 = (b: number, lower: boolean): string => {
  const s = b.toString(16).padStart(2, '0')
  return lower ? s : s.toUpperCase()
}

/** Pieces of a raw key path; every oracle key starts with a literal `m` (never a known or chaos key). */
const cleanPiece = fc.oneof(
  { weight: 4, arbitrary: fc.stringMatching(/^[a-zA-Z0-9._~+!$&'()*,;=:@-]{1,6}$/) },
  { weight: 1, arbitrary: fc.constant('/') },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 3 }).map((s) => encodeURIComponent(s)) },
)
/** A percent-escape of any byte: valid UTF-8 only by luck. */
const byteEscape = fc.tuple(fc.nat(255), fc.boolean()).map(([b, lower]) => `%${hex2(b, lower)}`)
const badPiece = fc.constantFrom('%', '%G1', '%4', '%%', '%2', '%zz', '%E0%A4%A', '%C3%28', '%ED%A0%80', '%F4%90%80%80', '%C0%AF', '%FF')
const rawKeyArb = fc.oneof(
  { weight: 8, arbitrary: fc.array(cleanPiece, { maxLength: 20 }).map((p) => `m${p.join('')}`) },
  { weight: 2, arbitrary: fc.array(fc.oneof(cleanPiece, byteEscape), { maxLength: 10 }).map((p) => `m${p.join('')}`) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.array(cleanPiece, { maxLength: 8 }), badPiece, fc.array(cleanPiece, { maxLength: 8 }))
      .map(([a, b, c]) => `m${a.join('')}${b}${c.join('')}`),
  },
  // Too long, plainly or once decoded, but within the header limit.
  { weight: 1, arbitrary: fc.integer({ min: MAX_KEY, max: 3 * MAX_KEY + 200 }).map((n) => `m${'k'.repeat(n)}`) },
  { weight: 1, arbitrary: fc.integer({ min: 342, max: 1_100 }).map((n) => `m${'%C3%A9'.repeat(Math.ceil(n / 2))}`) },
)

type KeyOutcome = { ok: true; key: string } | { ok: false; status: 400 | 414; code: string }

/** The contract's key rule, stated independently of src/gateway/key-path.ts. */
function refKey(raw: string): KeyOutcome {
  if (raw.length > 3 * MAX_KEY) return { ok: false, status: 414, code: 'key_too_long' }
  if (/%(?![0-9A-Fa-f]{2})/.test(raw)) return { ok: false, status: 400, code: 'invalid_key' }
  const bytes = Buffer.from(
    raw.replace(/%([0-9A-Fa-f]{2})|([^%])/g, (_m, hx: string | undefined, ch: string | undefined) =>
      hx ? String.fromCharCode(Number.parseInt(hx, 16)) : (ch ?? ''),
    ),
    'latin1',
  )
  if (bytes.length > MAX_KEY) return { ok: false, status: 414, code: 'key_too_long' }
  try {
    return { ok: true, key: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    return { ok: false, status: 400, code: 'invalid_key' }
  }
}

const ttlText = fc.oneof(
  fc.constantFrom(
    '1',
    '299',
    '300',
    '301',
    '3600',
    '86400',
    '86401',
    '999999999999999',
    '0',
    '-1',
    '1.5',
    'abc',
    '1e3',
    '0x10',
    ' ',
    '9999999999999999',
    '007',
  ),
  fc.integer({ min: 1, max: 200_000 }).map(String),
)
/** How a TTL text travels in a query: plain, percent-encoded, with `+`, or padded with encoded spaces. */
const noSpace = ttlText.filter((t) => !t.includes(' '))
const ttlInQuery = fc.oneof(
  noSpace,
  ttlText.map((t) => encodeURIComponent(t)),
  noSpace.map((t) => `%20${t}%20`),
  noSpace.map((t) => `+${t}`),
  fc.constantFrom('%ZZ', '%', '%E2%82', ''),
)
const queryArb = fc
  .array(
    fc.oneof(
      ttlInQuery.map((v) => `ttl=${v}`),
      fc.constant('ttl'),
      fc.constantFrom('x=1', 'TTL=5', 'ttlx=7', '', 'a=%ZZ'),
    ),
    { maxLength: 3 },
  )
  .map((parts) => parts.join('&'))

/** The contract's TTL rule for one raw text: undefined = use the next source; a number; or invalid. */
function refTtlText(text: string | undefined): number | 'invalid' | undefined {
  if (text === undefined || text === '') return undefined
  const s = text.trim()
  if (!/^\d{1,15}$/.test(s) || Number(s) <= 0) return 'invalid'
  return Number(s)
}

type TtlOutcome = { ok: true; ttl: number } | { ok: false; code: 'invalid_ttl' | 'invalid_request' }

function refTtl(query: string, xTtl: readonly string[]): TtlOutcome {
  let fromQuery: string | undefined
  for (const part of query.split('&')) {
    const eq = part.indexOf('=')
    if ((eq === -1 ? part : part.slice(0, eq)) !== 'ttl') continue
    const raw = eq === -1 ? '' : part.slice(eq + 1)
    try {
      fromQuery = decodeURIComponent(raw.replaceAll('+', ' '))
    } catch {
      return { ok: false, code: 'invalid_request' }
    }
    break
  }
  let t = refTtlText(fromQuery)
  // node:http joins repeated X-TTL headers with ", " and trims each value's surrounding whitespace.
  if (t === undefined && xTtl.length > 0) t = refTtlText(xTtl.map((v) => v.trim()).join(', '))
  if (t === 'invalid') return { ok: false, code: 'invalid_ttl' }
  return { ok: true, ttl: Math.min(MAX_TTL, Math.max(MIN_TTL, t ?? DEFAULT_TTL)) }
}

type BodyPlan = { t: 'exact'; value: Uint8Array } | { t: 'chunked'; value: Uint8Array; cuts: number[] } | { t: 'declared-too-big'; declared: number }

const bodyArb: fc.Arbitrary<BodyPlan> = fc.oneof(
  { weight: 6, arbitrary: fc.uint8Array({ maxLength: 64 }).map((value) => ({ t: 'exact' as const, value })) },
  {
    weight: 2,
    arbitrary: fc.integer({ min: MAX_VALUE - 2, max: MAX_VALUE + 2 }).map((n) => ({ t: 'exact' as const, value: new Uint8Array(n).fill(n & 0xff) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({ n: fc.oneof(fc.nat(200), fc.integer({ min: MAX_VALUE - 1, max: MAX_VALUE + 300 })), cuts: fc.array(fc.nat(), { maxLength: 4 }) })
      .map(({ n, cuts }) => ({ t: 'chunked' as const, value: new Uint8Array(n).fill(0x61), cuts })),
  },
  { weight: 1, arbitrary: fc.integer({ min: MAX_VALUE + 1, max: 10 * 1024 * 1024 * 1024 }).map((declared) => ({ t: 'declared-too-big' as const, declared })) },
)

function chunkedBody(value: Uint8Array, cuts: number[]): Buffer {
  const points = [...new Set(cuts.map((c) => (value.length === 0 ? 0 : c % value.length)))].filter((c) => c > 0).sort((a, b) => a - b)
  const parts: Buffer[] = []
  let prev = 0
  for (const p of [...points, value.length]) {
    if (p > prev) parts.push(Buffer.from(`${(p - prev).toString(16)}\r\n`), Buffer.from(value.subarray(prev, p)), Buffer.from('\r\n'))
    prev = p
  }
  parts.push(Buffer.from('0\r\n\r\n'))
  return Buffer.concat(parts)
}

const oracleArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      op: fc.constant('put' as const),
      rawKey: rawKeyArb,
      query: fc.oneof(fc.constant(''), queryArb),
      xTtl: fc.oneof(
        fc.constant<string[]>([]),
        fc.array(
          fc.oneof(
            ttlText,
            ttlText.map((t) => ` ${t} `),
          ),
          { maxLength: 2 },
        ),
      ),
      body: bodyArb,
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('get' as const, 'head' as const), rawKey: rawKeyArb, query: queryArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reread' as const), pick: fc.nat(), method: fc.constantFrom('GET', 'HEAD') }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant('other' as const),
      rawKey: rawKeyArb,
      method: fc.constantFrom('POST', 'DELETE', 'PATCH', 'PURGE', 'BREW', 'OPTIONS'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('list' as const), prefix: fc.string({ maxLength: 3 }).map((s) => `m${s}`), pick: fc.nat() }) },
)

/** What the fuzz stored: decoded key → value, effective TTL and ETag. */
const model = new Map<string, { value: Buffer; ttl: number; etag: string }>()

/** The key a raw segment reaches (or the error it must get), stated through the model's own key space. */
async function checkRead(method: 'GET' | 'HEAD', rawKey: string, outcome: KeyOutcome, query = ''): Promise<void> {
  const r = await exchange(
    requestBytes(
      method,
      `/v1/data/${rawKey}${query ? `?${query}` : ''}`,
      [
        ['Host', 'x'],
        ['Connection', 'close'],
      ],
      Buffer.alloc(0),
    ),
    {
      head: method === 'HEAD',
      halfClose: false,
    },
  )
  const what = `${method} ${rawKey.slice(0, 80)}`
  expectContractAnswer(r, method === 'HEAD', what)
  expect(r.responses.length, what).toBeGreaterThanOrEqual(1)
  const res = r.responses[0]
  if (!outcome.ok) {
    expect(res.status, what).toBe(outcome.status)
    if (method === 'GET') expect(JSON.parse(res.body.toString()).error, what).toBe(outcome.code)
    return
  }
  const held = model.get(outcome.key)
  if (!held) {
    expect(res.status, what).toBe(404)
    return
  }
  expect(res.status, what).toBe(200)
  expect(res.headers.etag, what).toBe(held.etag)
  expect(res.headers['x-original-ttl'], what).toBe(String(held.ttl))
  expect(res.headers['content-length'], what).toBe(String(held.value.length))
  if (method === 'GET') expect(res.body.equals(held.value), what).toBe(true)
}

describe('gateway: well-formed requests against the contract', () => {
  it('answers each as the contract says and stores exactly what a 201 acknowledged', async () => {
    await fc.assert(
      fc.asyncProperty(oracleArb, async (o) => {
        if (o.op === 'put') {
          const headers: Array<[string, string]> = [['Host', 'x']]
          for (const v of o.xTtl) headers.push(['X-TTL', v])
          let body: Buffer = Buffer.alloc(0)
          let value: Buffer | undefined
          if (o.body.t === 'exact') {
            value = Buffer.from(o.body.value)
            headers.push(['Content-Length', String(value.length)])
            body = value
          } else if (o.body.t === 'chunked') {
            value = Buffer.from(o.body.value)
            headers.push(['Transfer-Encoding', 'chunked'])
            body = chunkedBody(o.body.value, o.body.cuts)
          } else headers.push(['Content-Length', String(o.body.declared)])
          headers.push(['Connection', 'close'])
          const target = `/v1/data/${o.rawKey}${o.query ? `?${o.query}` : ''}`
          const r = await exchange(requestBytes('PUT', target, headers, body), { head: false, halfClose: false })
          const what = `PUT ${target.slice(0, 100)} ${JSON.stringify(o.xTtl)} ${o.body.t}`
          expectContractAnswer(r, false, what)
          expect(r.responses.length, what).toBeGreaterThanOrEqual(1)
          const res = r.responses[0]
          const error = res.status >= 400 ? (JSON.parse(res.body.toString()) as { error: string }).error : undefined
          const key = refKey(o.rawKey)
          const ttl = refTtl(o.query, o.xTtl)
          if (!key.ok) expect([res.status, error], what).toEqual([key.status, key.code])
          else if (!ttl.ok) expect([res.status, error], what).toEqual([400, ttl.code])
          else if (value === undefined || value.length > MAX_VALUE) expect([res.status, error], what).toEqual([413, 'value_too_large'])
          else {
            expect(res.status, what).toBe(201)
            const out = JSON.parse(res.body.toString()) as { key: string; ttl: number; replicas: number; quorum: number }
            expect({ key: out.key, ttl: out.ttl, replicas: out.replicas, quorum: out.quorum }, what).toEqual({
              key: key.key,
              ttl: ttl.ttl,
              replicas: 1,
              quorum: 1,
            })
            expect(res.headers.etag, what).toMatch(/^"[0-9a-f]+-[0-9a-f]{8}"$/)
            model.set(key.key, { value, ttl: ttl.ttl, etag: res.headers.etag })
          }
          // Whatever the answer, the key now reads as the model says.
          if (key.ok) await checkRead('GET', o.rawKey, key)
        } else if (o.op === 'get' || o.op === 'head') {
          await checkRead(o.op === 'get' ? 'GET' : 'HEAD', o.rawKey, refKey(o.rawKey), o.query)
        } else if (o.op === 'reread') {
          const keys = [...model.keys()]
          if (keys.length === 0) return
          const key = keys[o.pick % keys.length]
          await checkRead(o.method as 'GET' | 'HEAD', encodeURIComponent(key), { ok: true, key })
        } else if (o.op === 'other') {
          const r = await exchange(
            requestBytes(
              o.method,
              `/v1/data/${o.rawKey}`,
              [
                ['Host', 'x'],
                ['Content-Length', '0'],
                ['Connection', 'close'],
              ],
              Buffer.alloc(0),
            ),
            {
              head: false,
              halfClose: false,
            },
          )
          const what = `${o.method} ${o.rawKey.slice(0, 80)}`
          expectContractAnswer(r, false, what)
          const res = r.responses[0]
          if (o.method === 'OPTIONS') expect(res?.status, what).toBe(204)
          else {
            // No DELETE (or any other method) on a data path, whatever the key: 405 with Allow.
            expect(res?.status, what).toBe(405)
            expect(res.headers.allow, what).toBe(DATA_ALLOW)
          }
          const key = refKey(o.rawKey)
          if (key.ok) await checkRead('GET', o.rawKey, key)
        } else if (o.op === 'list') {
          const keys = [...model.keys()]
          const prefix = keys.length > 0 && o.pick % 2 === 0 ? keys[o.pick % keys.length].slice(0, 1 + (o.pick % 4)) : o.prefix
          const res = await fetch(`${h.url}/v1/keys?prefix=${encodeURIComponent(prefix)}`)
          expect(res.status).toBe(200)
          const want = byteOrder(keys.filter((k) => Buffer.from(k).subarray(0, Buffer.byteLength(prefix)).equals(Buffer.from(prefix))))
          expect(((await res.json()) as { keys: string[] }).keys).toEqual(want)
        }
      }),
      { seed: SEED, numRuns: 400 },
    )
    // Every value the fuzz stored is still there, unchanged, and so is every known key.
    for (const key of model.keys()) await checkRead('GET', encodeURIComponent(key), { ok: true, key })
    await expectKnownIntact()
  })
})

// ---------------------------------------------------------------------------------------------------
// Chaos: anything at all on the socket
// ---------------------------------------------------------------------------------------------------

const anyBytes = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b))
const methodArb = fc.oneof(
  { weight: 8, arbitrary: fc.constantFrom('GET', 'HEAD', 'PUT', 'PUT', 'PUT') },
  { weight: 2, arbitrary: fc.constantFrom('POST', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE', 'PURGE', 'get', 'BREW', 'X'.repeat(40), '', 'G ET') },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z]{1,10}$/) },
)
/** A chaos path segment: starts with a literal `c` (never an oracle or known key), then anything. */
const chaosPiece = fc.oneof(
  fc.stringMatching(/^[a-z0-9/._~-]{1,5}$/).map((s) => Buffer.from(s)),
  fc.nat(255).map((b) => Buffer.from(`%${hex2(b, false)}`)),
  fc.constantFrom('%', '%G', '%%', '#frag', '?', '?ttl=%FF', '..', '//', ' ', '\t', '\x00', '\r\n').map((s) => Buffer.from(s, 'latin1')),
  fc.uint8Array({ minLength: 1, maxLength: 3 }).map((b) => Buffer.from(b)),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 2 }).map((s) => Buffer.from(s, 'utf8')),
)
const targetArb: fc.Arbitrary<Buffer> = fc.oneof(
  { weight: 4, arbitrary: fc.array(cleanPiece, { maxLength: 6 }).map((p) => Buffer.from(`/v1/data/c${p.join('')}`)) },
  { weight: 2, arbitrary: fc.array(chaosPiece, { maxLength: 8 }).map((p) => Buffer.concat([Buffer.from('/v1/data/c'), ...p])) },
  { weight: 2, arbitrary: fc.tuple(fc.array(cleanPiece, { maxLength: 6 }), queryArb).map(([p, q]) => Buffer.from(`/v1/data/c${p.join('')}?${q}`)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom('/v1/keys', '/v1/health', '/v1/status', '/v1/topology', '/v1/metrics', '/v1/data/', '/v1/data', '/', '*', '/v1/keys/'),
        fc.array(chaosPiece, { maxLength: 4 }),
      )
      .map(([p, q]) => Buffer.concat([Buffer.from(p), Buffer.from('?'), ...q])),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('http://x/v1/data/c1', '/v1/data/c%00', '', '/v1/keys?prefix=%FF&limit=-1&cursor=%C3%28').map((s) => Buffer.from(s)),
  },
  { weight: 1, arbitrary: fc.integer({ min: 3_000, max: 20_000 }).map((n) => Buffer.from(`/v1/data/c${'x'.repeat(n)}`)) },
)
const headerArb: fc.Arbitrary<[string, Buffer]> = fc.oneof(
  fc.tuple(
    fc.constant('Content-Length'),
    fc
      .oneof(fc.nat(5_000).map(String), fc.constantFrom('-1', 'abc', '1e3', '99999999999999999999', '', ' 5', '0x10', '1, 2', String(2 ** 53)))
      .map((s) => Buffer.from(s)),
  ),
  fc.tuple(
    fc.constant('Transfer-Encoding'),
    fc.constantFrom('chunked', 'gzip', 'chunked, gzip', 'identity', 'xchunked', '').map((s) => Buffer.from(s)),
  ),
  fc.tuple(
    fc.constantFrom('X-TTL', 'x-ttl'),
    fc.oneof(ttlText, fc.string({ maxLength: 6 })).map((s) => Buffer.from(s, 'utf8')),
  ),
  fc.tuple(
    fc.constantFrom('Expect', 'Connection', 'Upgrade', 'Origin', 'X-Forwarded-For', 'Access-Control-Request-Headers'),
    fc
      .constantFrom('100-continue', 'close', 'keep-alive', 'upgrade', 'websocket', 'h2c', '1.2.3.4', 'null', 'X-TTL, Content-Type', 'a b c')
      .map((s) => Buffer.from(s)),
  ),
  fc.tuple(
    fc.stringMatching(/^[A-Za-z-]{1,12}$/),
    fc.stringMatching(/^[ -~]{0,12}$/).map((v) => Buffer.from(v)),
  ),
  fc.tuple(fc.stringMatching(/^[A-Za-z-]{1,12}$/), anyBytes(12)),
  fc.tuple(fc.constantFrom('', ' Host', 'Bad Name', 'X:Y', 'Ünï'), anyBytes(6)),
)
/** Mostly plausible headers, now and then garbage. */
const headersArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.array(
      headerArb.filter(([n, v]) => /^[A-Za-z-]+$/.test(n) && /^[ -~]*$/.test(v.toString('latin1'))),
      { maxLength: 4 },
    ),
  },
  { weight: 1, arbitrary: fc.array(headerArb, { maxLength: 5 }) },
)
const chaosArb = fc.record({
  method: methodArb,
  target: targetArb,
  version: fc.oneof(
    { weight: 8, arbitrary: fc.constant('HTTP/1.1') },
    { weight: 1, arbitrary: fc.constant('HTTP/1.0') },
    { weight: 1, arbitrary: fc.constantFrom('HTTP/2.0', 'HTTP/1.2', 'http/1.1', 'HTTP/1.1x', '') },
  ),
  host: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  headers: headersArb,
  body: fc.oneof(
    anyBytes(64),
    fc.constant(Buffer.alloc(0)),
    fc.integer({ min: 1, max: MAX_VALUE + 500 }).map((n) => Buffer.alloc(n, 0x62)),
  ),
  /** Pipelined after the request: nothing, garbage, or a second request. */
  tail: fc.oneof(fc.constant(Buffer.alloc(0)), anyBytes(40), fc.constant(Buffer.from('GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n'))),
  /** Cut the request short (a client that stops mid-request), one time in five. */
  truncate: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.nat() }),
  halfClose: fc.boolean(),
})

describe('gateway: chaos on the socket', () => {
  it('answers anything with a status from the contract, never a 5xx, and never loses or changes a stored value', async () => {
    await fc.assert(
      fc.asyncProperty(chaosArb, async (c) => {
        const headers: Array<[string, Buffer]> = c.host ? [['Host', Buffer.from('x')], ...c.headers] : c.headers
        let bytes = Buffer.concat([requestBytes(c.method, c.target, headers, c.body, c.version), c.tail])
        if (c.truncate !== undefined) bytes = bytes.subarray(0, c.truncate % (bytes.length + 1))
        const head = c.method === 'HEAD'
        const r = await exchange(bytes, { head, halfClose: c.halfClose, deadlineMs: 1_200 })
        expectContractAnswer(r, head, `${JSON.stringify(bytes.subarray(0, 200).toString('latin1'))}`)
      }),
      { seed: SEED, numRuns: 300 },
    )
    await expectKnownIntact()
    for (const key of model.keys()) await checkRead('GET', encodeURIComponent(key), { ok: true, key })
  })
})
