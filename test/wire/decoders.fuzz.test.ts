/**
 * Fuzzing every decoder a peer can reach: the protobuf codecs of the store/fetch/directory protocols
 * (through their descriptors), the frame codec, the wire engine's inbound and outbound paths (driven
 * through a fake host, no network), and the gossip announcement validator. Inputs are random bytes and
 * mutated valid frames (bit flips, truncation, insertions, deletions, length-prefix lies, huge varints).
 *
 * What must hold: a raw codec either decodes to a well-formed message (no larger than its input,
 * stable under re-encoding) or throws one of protons' own decode errors; everything above the codecs
 * turns that into our named errors or statuses (ProtocolError and an aborted stream, a Reject verdict);
 * a length prefix over the limit is refused from the prefix alone, before anything is buffered or
 * allocated for it. Fixed seed: a failure is reproducible with the seed and path fast-check prints.
 */
import type { Connection, Stream } from '@libp2p/interface'
import fc from 'fast-check'
import { Uint8ArrayList } from 'uint8arraylist'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ANNOUNCE_MAX_ENTRIES, ANNOUNCE_MAX_MESSAGE_BYTES } from '../../protocols/ids.js'
import {
  Announcement,
  type DirectoryEntry,
  type DirectoryRequest,
  type DirectoryResponse,
  DirectoryStatus,
  type FetchRequest,
  type FetchResponse,
  FetchStatus,
  type StoreRequest,
  type StoreResponse,
  StoreStatus,
  type WireRecord,
} from '../../protocols/messages.js'
import { Announcements, Verdict } from '../../src/replication/announcements.js'
import { Directory } from '../../src/replication/directory.js'
import { ManualClock } from '../../src/shared/clock.js'
import { ProtocolError, RepramError } from '../../src/shared/errors.js'
import { silentLogger } from '../../src/shared/logger.js'
import { HLC_EPOCH_MS, MAX_FUTURE_SKEW_MS, versionWallMs } from '../../src/shared/version.js'
import { encodeFrame, FRAME_ID_BYTES, FrameDecoder } from '../../src/wire/frame-codec.js'
import type { ProtocolDescriptor } from '../../src/wire/protocol.js'
import { repramProtocols } from '../../src/wire/repram-protocols.js'
import { WireEngine, type WireHost } from '../../src/wire/wire-engine.js'

const SEED = 0x12_2026
const LIMITS = { maxKeyBytes: 64, maxValueBytes: 1_024, maxTtlSeconds: 3_600 }
const PAGE_ENTRIES = 8
const protocols = repramProtocols({ ...LIMITS, directoryPageEntries: PAGE_ENTRIES })
const U32 = 0xffff_ffff
const U64 = 2n ** 64n - 1n
const GIB = 2 ** 30
/** Any real peer id: the engine parses the peer it dials. */
const PEER = '12D3KooWSiN7hATCMN8he1jGLfZB6tqxRRbrxPiBvgaAjCC2AoCj'

/** What protons' reader and codecs throw on bad input (index out of range, bad wire type or varint, enum, repeated-field limit). */
const PROTONS_ERRORS = new Set(['Error', 'RangeError', 'MaxLengthError'])

// ---------------------------------------------------------------------------------------------------
// Bytes: LEB128 varints, flattening, mutations, chunking
// ---------------------------------------------------------------------------------------------------

function varint(v: bigint | number): Uint8Array {
  let n = BigInt(v)
  const out: number[] = []
  while (n >= 0x80n) {
    out.push(Number(n & 0x7fn) | 0x80)
    n >>= 7n
  }
  out.push(Number(n))
  return Uint8Array.from(out)
}

function flat(x: Uint8Array | Uint8ArrayList): Uint8Array {
  return x instanceof Uint8Array ? x : x.subarray()
}

function concat(...parts: Uint8Array[]): Uint8Array {
  return Buffer.concat(parts)
}

type Mutation =
  | { t: 'flip'; at: number; bit: number }
  | { t: 'truncate'; at: number }
  | { t: 'insert'; at: number; bytes: Uint8Array }
  | { t: 'delete'; at: number; n: number }
  | { t: 'varint'; at: number; value: bigint }
  | { t: 'prefix'; value: bigint }

/** Huge and boundary varint values a lying peer would send. */
const hugeValue = fc.oneof(
  fc.constantFrom(0n, 1n, 3n, 4n, 127n, 128n, BigInt(GIB), BigInt(U32), 2n ** 35n - 1n, 2n ** 53n, 2n ** 63n, U64),
  fc.bigInt({ min: 0n, max: U64 }),
)

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ t: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ t: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ t: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
  fc.record({ t: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ t: fc.constant('varint' as const), at: fc.nat(), value: hugeValue }),
  fc.record({ t: fc.constant('prefix' as const), value: hugeValue }),
)

/** Length of the varint at the start of `b` (1 when it is not terminated within 10 bytes). */
function leadingVarintLength(b: Uint8Array): number {
  for (let i = 0; i < Math.min(b.length, 10); i++) if ((b[i] & 0x80) === 0) return i + 1
  return Math.min(1, b.length)
}

function mutate(input: Uint8Array, mutations: Mutation[]): Uint8Array {
  let b: Uint8Array = Uint8Array.from(input)
  for (const m of mutations) {
    const at = 'at' in m ? m.at % (b.length + 1) : 0
    switch (m.t) {
      case 'flip':
        if (b.length > 0) b[at % b.length] ^= 1 << m.bit
        break
      case 'truncate':
        b = b.subarray(0, at)
        break
      case 'insert':
        b = concat(b.subarray(0, at), m.bytes, b.subarray(at))
        break
      case 'delete':
        b = concat(b.subarray(0, at), b.subarray(at + m.n))
        break
      case 'varint': {
        const v = varint(m.value)
        b = concat(b.subarray(0, at), v, b.subarray(at + v.length))
        break
      }
      case 'prefix':
        // A length-prefix lie: the leading varint (a frame's length, or a message's first tag) replaced.
        b = concat(varint(m.value), b.subarray(leadingVarintLength(b)))
        break
    }
  }
  return b
}

/** `bytes` cut at the given points (each taken modulo its length): how a transport may deliver them. */
function chunk(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].filter((c) => c > 0).sort((a, b) => a - b)
  const out: Uint8Array[] = []
  let prev = 0
  for (const p of points) {
    out.push(bytes.subarray(prev, p))
    prev = p
  }
  out.push(bytes.subarray(prev))
  return out.filter((c) => c.length > 0)
}

/** A Uint8ArrayList of several chunks, as the engine hands bodies to the codecs. */
function listOf(bytes: Uint8Array, cuts: number[]): Uint8ArrayList {
  const list = new Uint8ArrayList()
  for (const c of chunk(bytes, cuts)) list.append(c)
  return list
}

// ---------------------------------------------------------------------------------------------------
// Valid messages
// ---------------------------------------------------------------------------------------------------

/**
 * protons-runtime 7.1.2 encodes a uint64 in [2^31, 2^32) wrongly (see the BUG test at the end of this
 * block): valid-message generators stay out of that range so the other properties test the rest.
 */
const BROKEN_U64_MIN = 2n ** 31n
const BROKEN_U64_MAX = 2n ** 32n - 1n
const inBrokenRange = (v: bigint): boolean => v >= BROKEN_U64_MIN && v <= BROKEN_U64_MAX

const str = (maxLength: number) => fc.oneof(fc.string({ maxLength }), fc.string({ unit: 'binary', maxLength }))
const u32 = fc.integer({ min: 0, max: U32 })
const u64 = fc.oneof(fc.bigInt({ min: 0n, max: U64 }), fc.bigInt({ min: 0n, max: 2n ** 40n })).filter((v) => !inBrokenRange(v))

/** Whether a decoded message holds a bigint protons cannot re-encode (the known bug). */
function holdsBrokenU64(m: unknown): boolean {
  if (typeof m === 'bigint') return inBrokenRange(m)
  if (m instanceof Uint8Array || m === null || typeof m !== 'object') return false
  return Object.values(m).some(holdsBrokenU64)
}

const wireRecordArb: fc.Arbitrary<WireRecord> = fc.record({
  key: str(20),
  value: fc.uint8Array({ maxLength: 48 }) as fc.Arbitrary<WireRecord['value']>,
  hlc: u64,
  node: u32,
  createdAt: u64,
  ttlSeconds: u32,
  remainingMs: u64,
  size: u32,
})
const entryArb: fc.Arbitrary<DirectoryEntry> = fc.record({ key: str(20), hlc: u64, node: u32, remainingMs: u64, size: u32, ttlSeconds: u32 })
const storeStatus = fc.constantFrom(...Object.values(StoreStatus).filter((v): v is StoreStatus => typeof v === 'string'))
const fetchStatus = fc.constantFrom(...Object.values(FetchStatus).filter((v): v is FetchStatus => typeof v === 'string'))
const directoryStatus = fc.constantFrom(...Object.values(DirectoryStatus).filter((v): v is DirectoryStatus => typeof v === 'string'))

const storeRequestArb: fc.Arbitrary<StoreRequest> = fc.record({ record: fc.option(wireRecordArb, { nil: undefined }), handoff: fc.boolean(), enclave: str(12) })
const storeResponseArb = fc.record({ status: storeStatus, message: str(30) }) as fc.Arbitrary<StoreResponse>
const fetchRequestArb: fc.Arbitrary<FetchRequest> = fc.record({ key: str(20), metaOnly: fc.boolean(), enclave: str(12) })
const fetchResponseArb: fc.Arbitrary<FetchResponse> = fc.record({ status: fetchStatus, record: fc.option(wireRecordArb, { nil: undefined }) })
const directoryRequestArb: fc.Arbitrary<DirectoryRequest> = fc.record({ after: str(20), limit: u32, enclave: str(12) })
const directoryResponseArb: fc.Arbitrary<DirectoryResponse> = fc.record({
  status: directoryStatus,
  entries: fc.array(entryArb, { maxLength: PAGE_ENTRIES }),
  more: fc.boolean(),
})

// biome-ignore lint/suspicious/noExplicitAny: one table of codecs of different message types
type AnyDescriptor = ProtocolDescriptor<any, any>

interface CodecCase {
  name: string
  // biome-ignore lint/suspicious/noExplicitAny: see AnyDescriptor
  valid: fc.Arbitrary<any>
  encode(m: unknown): Uint8Array
  decode(b: Uint8ArrayList): unknown
}

const CODECS: CodecCase[] = [
  { name: 'store request', valid: storeRequestArb, encode: (m) => protocols.store.encodeRequest(m as StoreRequest), decode: protocols.store.decodeRequest },
  {
    name: 'store response',
    valid: storeResponseArb,
    encode: (m) => protocols.store.encodeResponse(m as StoreResponse),
    decode: protocols.store.decodeResponse,
  },
  { name: 'fetch request', valid: fetchRequestArb, encode: (m) => protocols.fetch.encodeRequest(m as FetchRequest), decode: protocols.fetch.decodeRequest },
  {
    name: 'fetch response',
    valid: fetchResponseArb,
    encode: (m) => protocols.fetch.encodeResponse(m as FetchResponse),
    decode: protocols.fetch.decodeResponse,
  },
  {
    name: 'directory request',
    valid: directoryRequestArb,
    encode: (m) => protocols.directory.encodeRequest(m as DirectoryRequest),
    decode: protocols.directory.decodeRequest,
  },
  {
    name: 'directory response',
    valid: directoryResponseArb,
    encode: (m) => protocols.directory.encodeResponse(m as DirectoryResponse),
    decode: protocols.directory.decodeResponse,
  },
  {
    name: 'announcement',
    valid: fc.record({ enclave: str(12), entries: fc.array(entryArb, { maxLength: 6 }) }),
    encode: (m) => Announcement.encode(m as Announcement),
    decode: (b) => Announcement.decode(b, { limits: { entries: ANNOUNCE_MAX_ENTRIES } }),
  },
]

/** The bytes a decoded message holds (strings as UTF-16 code units; enum names don't count), to bound it by its input. */
function weight(m: unknown): number {
  if (typeof m === 'string') return m.length
  if (m instanceof Uint8Array) return m.byteLength
  if (Array.isArray(m)) return m.reduce((s: number, x) => s + weight(x), 0)
  if (m !== null && typeof m === 'object') return Object.entries(m).reduce((s: number, [k, x]) => s + (k === 'status' ? 0 : weight(x)), 0)
  return 0
}

/**
 * Buffers (what protons hands back for Buffer input) and Uint8Arrays compared by content; strings in
 * their well-formed form: protons' decoder turns invalid UTF-8 into lone surrogates, which its encoder
 * (like Buffer.from, and so the store's byte keys) writes as U+FFFD.
 */
function norm(m: unknown): unknown {
  if (typeof m === 'string') return (m as string & { toWellFormed(): string }).toWellFormed()
  if (m instanceof Uint8Array) return { bytes: Array.from(m) }
  if (Array.isArray(m)) return m.map(norm)
  if (m !== null && typeof m === 'object') return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, norm(v)]))
  return m
}

/** Every scalar of a decoded message has its proto type's range; statuses are known enum names. */
function expectWellFormed(m: unknown, path = 'msg'): void {
  if (m === undefined || typeof m === 'boolean' || typeof m === 'string' || m instanceof Uint8Array) return
  if (typeof m === 'bigint') {
    expect(m >= 0n && m <= U64, path).toBe(true)
    return
  }
  if (typeof m === 'number') {
    expect(Number.isInteger(m) && m >= 0 && m <= U32, path).toBe(true)
    return
  }
  if (Array.isArray(m)) {
    m.forEach((x, i) => {
      expectWellFormed(x, `${path}[${i}]`)
    })
    return
  }
  expect(m !== null && typeof m === 'object', path).toBe(true)
  for (const [k, v] of Object.entries(m as object)) expectWellFormed(v, `${path}.${k}`)
}

/** Decodes; a throw must be one of protons' decode errors (anything else, e.g. a TypeError, is a bug). */
function decodeOrProtonsError(c: CodecCase, bytes: Uint8Array, cuts: number[]): unknown {
  try {
    return c.decode(listOf(bytes, cuts))
  } catch (err) {
    expect(err).toBeInstanceOf(Error)
    expect(PROTONS_ERRORS, `${c.name}: ${(err as Error).name}: ${(err as Error).message}`).toContain((err as Error).name)
    expect(err).not.toBeInstanceOf(TypeError)
    return undefined
  }
}

function checkDecoded(c: CodecCase, bytes: Uint8Array, m: unknown): void {
  if (m === undefined) return
  expectWellFormed(m)
  // Nothing decoded is larger than what arrived (an invalid UTF-8 tail may add one code unit).
  expect(weight(m)).toBeLessThanOrEqual(bytes.length + 1)
  // A decoded message is stable: it encodes and decodes back to itself (except for the known uint64 bug).
  if (holdsBrokenU64(m)) return
  const again = c.decode(new Uint8ArrayList(c.encode(m)))
  expect(norm(again)).toEqual(norm(m))
}

const cutsArb = fc.array(fc.nat(), { maxLength: 4 })

describe('protobuf decoders of every REPRAM message', () => {
  for (const c of CODECS) {
    it(`${c.name}: random bytes decode to a well-formed message or a protons decode error`, () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 200 }), cutsArb, (bytes, cuts) => {
          checkDecoded(c, bytes, decodeOrProtonsError(c, bytes, cuts))
        }),
        { seed: SEED, numRuns: 2_000 },
      )
    })

    it(`${c.name}: valid messages round-trip; mutated ones decode well-formed or fail cleanly`, () => {
      fc.assert(
        fc.property(c.valid, fc.array(mutationArb, { maxLength: 4 }), cutsArb, (msg, mutations, cuts) => {
          const bytes = c.encode(msg)
          if (mutations.length === 0) {
            expect(norm(c.decode(listOf(bytes, cuts)))).toEqual(norm(c.decode(new Uint8ArrayList(bytes))))
            return
          }
          const bad = mutate(bytes, mutations)
          checkDecoded(c, bad, decodeOrProtonsError(c, bad, cuts))
        }),
        { seed: SEED, numRuns: 2_000 },
      )
    })
  }

  it('a length-delimited field claiming 1 GiB or 2^64 is refused without allocating it', () => {
    const before = process.memoryUsage().arrayBuffers
    for (const claim of [BigInt(GIB), BigInt(U32), U64]) {
      // StoreRequest.record (field 1) → WireRecord.value (field 2) claiming `claim` bytes, 3 present.
      const inner = concat(Uint8Array.of(0x12), varint(claim), Uint8Array.of(1, 2, 3))
      const outer = concat(Uint8Array.of(0x0a), varint(inner.length), inner)
      expect(() => protocols.store.decodeRequest(new Uint8ArrayList(outer))).toThrow(RangeError)
      // FetchRequest.key claiming it.
      expect(() => protocols.fetch.decodeRequest(new Uint8ArrayList(concat(Uint8Array.of(0x0a), varint(claim), Uint8Array.of(0x61))))).toThrow(RangeError)
    }
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * 1024 * 1024)
  })

  it('more repeated entries than the page or batch limit are refused by the decoder (MaxLengthError)', () => {
    const entry = { key: 'k', hlc: 1n, node: 1, remainingMs: 1n, size: 1, ttlSeconds: 1 }
    const page = protocols.directory.encodeResponse({ status: DirectoryStatus.DIRECTORY_OK, entries: Array(PAGE_ENTRIES + 1).fill(entry), more: false })
    expect(() => protocols.directory.decodeResponse(new Uint8ArrayList(page))).toThrowError(expect.objectContaining({ name: 'MaxLengthError' }))
    const batch = Announcement.encode({ enclave: 'default', entries: Array(ANNOUNCE_MAX_ENTRIES + 1).fill(entry) })
    expect(() => Announcement.decode(batch, { limits: { entries: ANNOUNCE_MAX_ENTRIES } })).toThrowError(expect.objectContaining({ name: 'MaxLengthError' }))
  })

  it('deeply nested unknown groups (wire type 3) end in a catchable RangeError, not a crash', () => {
    // Field 15, wire type 3 (start group), repeated: protons skips groups recursively.
    const nested = new Uint8Array(200_000).fill((15 << 3) | 3)
    expect(() => protocols.store.decodeRequest(new Uint8ArrayList(nested))).toThrow(RangeError)
  })

  it('uint64 values outside [2^31, 2^32) round-trip exactly through every uint64 field', () => {
    fc.assert(
      fc.property(u64, (v) => {
        const e = { key: 'k', hlc: v, node: 1, remainingMs: v, size: 1, ttlSeconds: 1 }
        const back = Announcement.decode(Announcement.encode({ enclave: 'e', entries: [e] })).entries[0]
        expect([back.hlc, back.remainingMs]).toEqual([v, v])
      }),
      { seed: SEED, numRuns: 2_000 },
    )
  })

  // BUG (protons-runtime 7.1.2, used by protocols/messages.ts): a uint64 in [2^31, 2^32) is encoded
  // wrongly. LongBits keeps `lo | 0` (signed), so writeVarint64's `while (val.lo > 127)` stops at once
  // for lo ≥ 2^31: one byte is written where length() reserved five, the other four stay 0x00. 2^31
  // arrives as 0 (silently: the zero bytes parse as field-0 varints), other values as garbage or an
  // undecodable message (the receiver strikes and cuts the honest sender). REPRAM hits it for a
  // remainingMs between 24.9 and 49.7 days: REPRAM_MAX_TTL accepts up to 365 days. Remove `.fails`
  // once the encoder is fixed (or the TTL bound keeps remainingMs below 2^31 ms).
  it('a remaining lifetime of 2^31 ms or more (below 2^32) survives encoding (src/wire/uint64-encoding-fix.ts)', () => {
    for (const remainingMs of [2n ** 31n, 2n ** 31n + 128n, 30n * 86_400_000n, 2n ** 32n - 1n]) {
      const req: StoreRequest = {
        record: {
          key: 'k',
          value: Uint8Array.of(1) as WireRecord['value'],
          hlc: 1n << 50n,
          node: 1,
          createdAt: 1_800_000_000_000n,
          ttlSeconds: 40 * 86_400,
          remainingMs,
          size: 1,
        },
        handoff: false,
        enclave: 'default',
      }
      let back: StoreRequest | undefined
      try {
        back = protocols.store.decodeRequest(new Uint8ArrayList(protocols.store.encodeRequest(req)))
      } catch {
        back = undefined
      }
      expect(back?.record?.remainingMs).toBe(remainingMs)
    }
  })
})

// ---------------------------------------------------------------------------------------------------
// Frame codec
// ---------------------------------------------------------------------------------------------------

describe('frame codec under hostile input', () => {
  const MAX = 1_000
  /** What a decoder may hold between pushes: at most one incomplete frame (prefix, id and a body within the limit). */
  const MAX_BUFFERED = 5 + FRAME_ID_BYTES + MAX

  function pushAll(dec: FrameDecoder, chunks: Uint8Array[]): { frames: Array<{ id: number; body: Uint8Array }>; error?: unknown } {
    const frames: Array<{ id: number; body: Uint8Array }> = []
    for (const c of chunks) {
      try {
        for (const f of dec.push(c)) frames.push({ id: f.id, body: f.body.subarray() })
      } catch (error) {
        return { frames, error }
      }
      expect(dec.buffered).toBeLessThan(MAX_BUFFERED)
    }
    return { frames }
  }

  it('random byte streams yield frames within the limit or a ProtocolError, never more buffered than one frame', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const r = pushAll(new FrameDecoder(MAX), chunks)
        if (r.error !== undefined) expect(r.error).toBeInstanceOf(ProtocolError)
        for (const f of r.frames) expect(f.body.length).toBeLessThanOrEqual(MAX)
      }),
      { seed: SEED, numRuns: 3_000 },
    )
  })

  it('valid frames split anywhere decode to exactly what was sent; mutated ones to frames within the limit or a ProtocolError', () => {
    const framesArb = fc.array(fc.record({ id: u32, body: fc.uint8Array({ maxLength: 120 }) }), { minLength: 1, maxLength: 5 })
    fc.assert(
      fc.property(framesArb, fc.array(mutationArb, { maxLength: 3 }), fc.array(fc.nat(), { maxLength: 6 }), (frames, mutations, cuts) => {
        const bytes = concat(...frames.map((f) => flat(encodeFrame(f.id, f.body))))
        const r = pushAll(new FrameDecoder(MAX), chunk(mutate(bytes, mutations), cuts))
        if (mutations.length === 0) {
          expect(r.error).toBeUndefined()
          expect(r.frames.map((f) => ({ id: f.id, body: Uint8Array.from(f.body) }))).toEqual(frames.map((f) => ({ id: f.id, body: Uint8Array.from(f.body) })))
          return
        }
        if (r.error !== undefined) expect(r.error).toBeInstanceOf(ProtocolError)
        for (const f of r.frames) expect(f.body.length).toBeLessThanOrEqual(MAX)
      }),
      { seed: SEED, numRuns: 3_000 },
    )
  })

  it('a prefix claiming more than the limit (up to 1 GiB and beyond) is refused from the prefix alone', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX + FRAME_ID_BYTES + 1, max: 2 ** 35 - 1 }), (claim) => {
        const dec = new FrameDecoder(MAX)
        const prefix = varint(claim)
        expect(() => dec.push(prefix)).toThrow(ProtocolError)
        expect(dec.buffered).toBeLessThanOrEqual(prefix.length)
      }),
      { seed: SEED, numRuns: 1_000 },
    )
    const before = process.memoryUsage().arrayBuffers
    const dec = new FrameDecoder(10 * 1024 * 1024)
    expect(() => dec.push(varint(GIB))).toThrowError(expect.objectContaining({ code: 'protocol_error' }))
    expect(dec.buffered).toBe(varint(GIB).length)
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024)
  })

  it('a varint longer than 5 bytes, or a frame too short for its id, is a ProtocolError', () => {
    expect(() => new FrameDecoder(MAX).push(Uint8Array.of(0x80, 0x80, 0x80, 0x80, 0x80))).toThrow(ProtocolError)
    for (let len = 0; len < FRAME_ID_BYTES; len++) expect(() => new FrameDecoder(MAX).push(varint(len))).toThrow(ProtocolError)
  })
})

// ---------------------------------------------------------------------------------------------------
// The wire engine over a fake host: inbound (serve) and outbound (request) paths
// ---------------------------------------------------------------------------------------------------

/** A scripted libp2p stream: the test pushes what the remote "sends"; what the engine sends is recorded. */
class FakeStream {
  readonly sent: Uint8Array[] = []
  aborted: Error | undefined
  closed = false
  writeStatus: 'writable' | 'closed' = 'writable'
  pulled = 0
  onSend: ((bytes: Uint8Array) => void) | undefined
  private readonly queue: Uint8Array[] = []
  private ended = false
  private wake: (() => void) | undefined

  constructor(readonly protocol: string) {}

  push(...chunks: Uint8Array[]): void {
    this.queue.push(...chunks)
    this.wake?.()
  }

  end(): void {
    this.ended = true
    this.wake?.()
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Uint8Array> {
    for (;;) {
      if (this.aborted) throw this.aborted
      const next = this.queue.shift()
      if (next) {
        this.pulled++
        yield next
        continue
      }
      if (this.ended) return
      await new Promise<void>((resolve) => {
        this.wake = resolve
      })
      this.wake = undefined
    }
  }

  send(bytes: Uint8Array | Uint8ArrayList): boolean {
    const b = Uint8Array.from(flat(bytes))
    this.sent.push(b)
    this.onSend?.(b)
    return true
  }

  onDrain(): Promise<void> {
    return Promise.resolve()
  }

  async close(): Promise<void> {
    this.closed = true
    this.writeStatus = 'closed'
  }

  abort(err: Error): void {
    this.aborted ??= err
    this.writeStatus = 'closed'
    this.wake?.()
  }
}

class FakeHost implements WireHost {
  readonly handlers = new Map<string, (stream: Stream, connection: Connection) => void | Promise<void>>()
  dialed: FakeStream | undefined
  onDial: ((s: FakeStream) => void) | undefined

  async handle(protocol: string, handler: (stream: Stream, connection: Connection) => void | Promise<void>): Promise<void> {
    this.handlers.set(protocol, handler)
  }
  async unhandle(protocol: string): Promise<void> {
    this.handlers.delete(protocol)
  }
  async dialProtocol(_peer: unknown, protocol: string): Promise<Stream> {
    const s = new FakeStream(protocol)
    this.dialed = s
    this.onDial?.(s)
    return s as unknown as Stream
  }
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

interface ProtocolCase {
  desc: AnyDescriptor
  // biome-ignore lint/suspicious/noExplicitAny: see AnyDescriptor
  request: fc.Arbitrary<any>
  // biome-ignore lint/suspicious/noExplicitAny: see AnyDescriptor
  response: fc.Arbitrary<any>
  answer: unknown
}

const PROTOCOLS: ProtocolCase[] = [
  { desc: protocols.store, request: storeRequestArb, response: storeResponseArb, answer: { status: StoreStatus.STORE_OK, message: '' } },
  { desc: protocols.fetch, request: fetchRequestArb, response: fetchResponseArb, answer: { status: FetchStatus.FETCH_NOT_FOUND } },
  {
    desc: protocols.directory,
    request: directoryRequestArb,
    response: directoryResponseArb,
    answer: { status: DirectoryStatus.DIRECTORY_OK, entries: [], more: false },
  },
]

describe('wire engine: what a peer sends on each REPRAM protocol', () => {
  const engines: WireEngine[] = []
  afterEach(async () => {
    for (const e of engines.splice(0)) await e.stop()
  })

  async function server(p: ProtocolCase, seen: unknown[]): Promise<{ engine: WireEngine; serve: (s: FakeStream) => Promise<void> }> {
    const host = new FakeHost()
    const engine = new WireEngine({ host, logger: silentLogger })
    engines.push(engine)
    engine.register(p.desc, (_peer, req) => {
      seen.push(req)
      if ((req as { enclave?: string }).enclave === 'throw') throw new Error('handler failed')
      return p.answer
    })
    await engine.start()
    const handler = host.handlers.get(p.desc.id)
    if (!handler) throw new Error('not registered')
    const conn = { remotePeer: { toString: () => PEER } } as unknown as Connection
    return { engine, serve: async (s) => handler(s as unknown as Stream, conn) }
  }

  for (const p of PROTOCOLS) {
    it(`${p.desc.id} inbound: requests are answered in order of ids, garbage aborts the stream with a ProtocolError and a strike`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ id: u32, req: p.request }), { minLength: 1, maxLength: 4 }),
          fc.array(mutationArb, { maxLength: 3 }),
          fc.array(fc.nat(), { maxLength: 5 }),
          async (frames, mutations, cuts) => {
            const seen: unknown[] = []
            const { engine, serve } = await server(p, seen)
            const stream = new FakeStream(p.desc.id)
            const bytes = concat(...frames.map((f) => flat(encodeFrame(f.id, p.desc.encodeRequest(f.req)))))
            stream.push(...chunk(mutate(bytes, mutations), cuts))
            const served = serve(stream)
            // Let the handlers answer before the remote half-closes (the engine then flushes and closes).
            await turn()
            await turn()
            stream.end()
            await served
            await turn()
            if (stream.aborted) {
              expect(stream.aborted).toBeInstanceOf(ProtocolError)
              expect(engine.strikesOf(PEER)).toBe(1)
            } else {
              expect(stream.closed).toBe(true)
              expect(engine.strikesOf(PEER)).toBe(0)
            }
            // Every answer is a well-formed response frame to a request that was decoded and handled.
            const answers = new FrameDecoder(p.desc.maxResponseBytes).push(concat(...stream.sent))
            expect(answers.length).toBeLessThanOrEqual(seen.length)
            for (const a of answers) p.desc.decodeResponse(a.body)
            if (mutations.length === 0) {
              expect(stream.aborted).toBeUndefined()
              expect(norm(seen)).toEqual(norm(frames.map((f) => p.desc.decodeRequest(new Uint8ArrayList(p.desc.encodeRequest(f.req))))))
              expect(answers.map((a) => a.id)).toEqual(frames.map((f) => f.id >>> 0))
            }
            await engine.stop()
          },
        ),
        { seed: SEED, numRuns: 250 },
      )
    })

    it(`${p.desc.id} inbound: random bytes never reach the handler undecoded and never crash the engine`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.uint8Array({ minLength: 1, maxLength: 48 }), { minLength: 1, maxLength: 4 }), async (chunks) => {
          const seen: unknown[] = []
          const { engine, serve } = await server(p, seen)
          const stream = new FakeStream(p.desc.id)
          stream.push(...chunks)
          const served = serve(stream)
          await turn()
          await turn()
          stream.end()
          await served
          if (stream.aborted) expect(stream.aborted).toBeInstanceOf(ProtocolError)
          for (const r of seen) expect(typeof r).toBe('object')
          await engine.stop()
        }),
        { seed: SEED, numRuns: 250 },
      )
    })

    it(`${p.desc.id} inbound: a frame claiming 1 GiB is refused from its prefix, before more of it is read`, async () => {
      const { engine, serve } = await server(p, [])
      const stream = new FakeStream(p.desc.id)
      const before = process.memoryUsage().arrayBuffers
      stream.push(concat(varint(GIB), new Uint8Array(16)), new Uint8Array(64 * 1024), new Uint8Array(64 * 1024))
      await serve(stream)
      expect(stream.aborted).toBeInstanceOf(ProtocolError)
      // Only the chunk holding the prefix was pulled; nothing was allocated for the claimed body.
      expect(stream.pulled).toBe(1)
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024)
      expect(engine.strikesOf(PEER)).toBe(1)
    })

    it(`${p.desc.id} outbound: a mutated or lying response resolves decoded or rejects with a named error, never hangs`, async () => {
      await fc.assert(
        fc.asyncProperty(
          p.request,
          p.response,
          fc.array(mutationArb, { maxLength: 3 }),
          fc.array(fc.nat(), { maxLength: 4 }),
          async (req, res, mutations, cuts) => {
            const host = new FakeHost()
            const engine = new WireEngine({ host, logger: silentLogger })
            await engine.start()
            // The first request on a fresh channel has id 1; the remote answers it (mutated) and half-closes.
            const bytes = mutate(flat(encodeFrame(1, p.desc.encodeResponse(res))), mutations)
            host.onDial = (s) => {
              s.onSend = () => {
                s.push(...chunk(bytes, cuts))
                s.end()
              }
            }
            let outcome: { ok: true; value: unknown } | { ok: false; err: unknown }
            try {
              outcome = { ok: true, value: await engine.request(PEER, p.desc, req, { timeoutMs: 2_000 }) }
            } catch (err) {
              outcome = { ok: false, err }
            }
            await engine.stop()
            if (mutations.length === 0) {
              expect(norm(outcome)).toEqual(norm({ ok: true, value: p.desc.decodeResponse(new Uint8ArrayList(p.desc.encodeResponse(res))) }))
              return
            }
            if (outcome.ok) expectWellFormed(outcome.value)
            else {
              expect(outcome.err).toBeInstanceOf(RepramError)
              expect(['protocol_error', 'unavailable']).toContain((outcome.err as RepramError).code)
            }
          },
        ),
        { seed: SEED, numRuns: 250 },
      )
    })
  }

  it('an outbound response frame claiming 1 GiB fails the request with a ProtocolError and aborts the stream', async () => {
    const host = new FakeHost()
    const engine = new WireEngine({ host, logger: silentLogger })
    engines.push(engine)
    await engine.start()
    host.onDial = (s) => {
      s.onSend = () => s.push(concat(varint(GIB), new Uint8Array(8)), new Uint8Array(64 * 1024))
    }
    await expect(engine.request(PEER, protocols.fetch, { key: 'k', metaOnly: false, enclave: 'default' }, { timeoutMs: 2_000 })).rejects.toBeInstanceOf(
      ProtocolError,
    )
    expect(host.dialed?.aborted).toBeInstanceOf(ProtocolError)
    expect(host.dialed?.pulled).toBe(1)
  })
})

// ---------------------------------------------------------------------------------------------------
// Gossip announcements: Announcements.receive
// ---------------------------------------------------------------------------------------------------

describe('announcement validation (Announcements.receive) on hostile gossip', () => {
  const T0 = 1_800_000_000_000
  const SLACK_MS = 2_000
  const hlcAt = (wallMs: number, counter = 0): bigint => BigInt(wallMs - HLC_EPOCH_MS) * 4096n + BigInt(counter)

  function setup() {
    const clock = new ManualClock(T0)
    const directory = new Directory()
    const ann = new Announcements({ clock, logger: silentLogger, directory }, { enclave: 'default', limits: LIMITS })
    return { clock, directory, ann }
  }

  /** What the directory may ever hold: live, in-limit entries, none outliving its TTL, none from the future. */
  function expectDirectorySane(directory: Directory, now: number): void {
    const { entries } = directory.page(undefined, 1_000_000, now)
    expect(directory.size).toBeGreaterThanOrEqual(entries.length)
    for (const e of entries) {
      const kb = Buffer.byteLength(e.key)
      expect(kb >= 1 && kb <= LIMITS.maxKeyBytes).toBe(true)
      expect(e.size).toBeLessThanOrEqual(LIMITS.maxValueBytes)
      expect(e.expiresAt).toBeGreaterThan(now)
      expect(e.expiresAt).toBeLessThanOrEqual(now + LIMITS.maxTtlSeconds * 1000 + SLACK_MS)
      expect(e.version.hlc).toBeLessThanOrEqual(Number.MAX_SAFE_INTEGER)
      expect(versionWallMs(e.version.hlc)).toBeLessThanOrEqual(now + MAX_FUTURE_SKEW_MS)
    }
  }

  /** A plausible honest entry: written in the last 10 minutes, remaining lifetime within its TTL. */
  const honestEntry: fc.Arbitrary<DirectoryEntry> = fc
    .record({
      key: fc.string({ minLength: 1, maxLength: 16 }),
      age: fc.nat(600_000),
      counter: fc.nat(4095),
      node: u32,
      ttlSeconds: fc.integer({ min: 1, max: LIMITS.maxTtlSeconds }),
      size: fc.nat(LIMITS.maxValueBytes),
    })
    .map((e) => ({
      key: e.key,
      hlc: hlcAt(T0 - e.age, e.counter),
      node: e.node,
      remainingMs: BigInt(Math.max(0, e.ttlSeconds * 1000 - e.age)),
      size: e.size,
      ttlSeconds: e.ttlSeconds,
    }))
  const messageArb = fc.record({
    enclave: fc.constantFrom('default', 'default', 'other', ''),
    entries: fc.array(fc.oneof(honestEntry, entryArb), { maxLength: 6 }),
  })

  it('random bytes get a verdict, never a throw, and leave the directory sane', () => {
    const { clock, directory, ann } = setup()
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(Object.values(Verdict)).toContain(ann.receive(PEER, bytes))
        expectDirectorySane(directory, clock.now())
      }),
      { seed: SEED, numRuns: 3_000 },
    )
  })

  it('sequences of valid and mutated batches: accepted ones hold only valid entries, nothing outlives its TTL or comes from the future', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ msg: messageArb, mutations: fc.array(mutationArb, { maxLength: 3 }), advanceMs: fc.nat(400_000) }), {
          minLength: 1,
          maxLength: 6,
        }),
        (steps) => {
          const { clock, directory, ann } = setup()
          for (const s of steps) {
            clock.advance(s.advanceMs)
            const bytes = mutate(Announcement.encode(s.msg), s.mutations)
            let decoded: Announcement | undefined
            try {
              decoded = Announcement.decode(bytes, { limits: { entries: ANNOUNCE_MAX_ENTRIES } })
            } catch {
              decoded = undefined
            }
            const verdict = ann.receive(PEER, bytes)
            if (decoded === undefined) expect(verdict).toBe(Verdict.Reject)
            if (verdict === Verdict.Accept && decoded) {
              expect(decoded.enclave).toBe('default')
              for (const e of decoded.entries) {
                expect(e.ttlSeconds >= 1 && e.ttlSeconds <= LIMITS.maxTtlSeconds).toBe(true)
                expect(Number(e.remainingMs)).toBeLessThanOrEqual(e.ttlSeconds * 1000 + SLACK_MS)
                // Clamped to the writer's expiry: never past version wall time + TTL.
                const held = directory.get(e.key, clock.now())
                if (held) expect(held.expiresAt).toBeLessThanOrEqual(Math.max(versionWallMs(held.version.hlc) + LIMITS.maxTtlSeconds * 1000, clock.now()))
              }
            }
            if (s.mutations.length === 0 && s.msg.enclave !== 'default') expect(verdict).not.toBe(Verdict.Accept)
            expectDirectorySane(directory, clock.now())
          }
        },
      ),
      { seed: SEED, numRuns: 1_500 },
    )
  })

  it('a batch over the byte limit is rejected before it is decoded; one over the entry limit by the decoder', () => {
    const { ann, directory } = setup()
    const spy = vi.spyOn(Announcement, 'decode')
    try {
      expect(ann.receive(PEER, new Uint8Array(ANNOUNCE_MAX_MESSAGE_BYTES + 1))).toBe(Verdict.Reject)
      expect(spy).not.toHaveBeenCalled()
    } finally {
      spy.mockRestore()
    }
    const entry = { key: 'k', hlc: hlcAt(T0), node: 1, remainingMs: 1_000n, size: 1, ttlSeconds: 60 }
    expect(ann.receive(PEER, Announcement.encode({ enclave: 'default', entries: Array(ANNOUNCE_MAX_ENTRIES + 1).fill(entry) }))).toBe(Verdict.Reject)
    expect(ann.receive(PEER, Announcement.encode({ enclave: 'default', entries: Array(ANNOUNCE_MAX_ENTRIES).fill(entry) }))).toBe(Verdict.Accept)
    expect(directory.size).toBe(1)
    // Deeply nested groups within the byte limit: a catchable stack overflow inside the decoder, a Reject here.
    expect(ann.receive(PEER, new Uint8Array(ANNOUNCE_MAX_MESSAGE_BYTES).fill((15 << 3) | 3))).toBe(Verdict.Reject)
  })
})
