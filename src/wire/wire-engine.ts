/**
 * The one generic request/response engine. Per peer and protocol it keeps ONE long-lived outbound
 * stream and pipelines requests over it (request ids match responses, in any order): a stream per
 * request costs ~7× on this stack. It owns dialing, framing, size limits, timeouts and the bounded
 * number of requests in flight per peer; a peer that sends garbage or an oversized frame gets that
 * stream aborted and a strike, never a crash. libp2p's TimeoutError/AbortError become ReplicaTimeoutError.
 */
import { EventEmitter } from 'node:events'
import type { AbortOptions, Connection, PeerId, Stream, StreamHandlerOptions } from '@libp2p/interface'
import { peerIdFromString } from '@libp2p/peer-id'
import { BoundedMap, MAX_TRACKED_PEERS } from '../shared/bounded-map.js'
import { ProtocolError, ReplicaTimeoutError, UnavailableError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { encodeFrame, FrameDecoder } from './frame-codec.js'
import { FrameWriter } from './frame-writer.js'
import type { Handler, ProtocolDescriptor } from './protocol.js'
import { Semaphore } from './semaphore.js'

/** Requests in flight to one peer across protocols; more wait (bounded) for a slot. */
export const DEFAULT_MAX_INFLIGHT_PER_PEER = 256
/** Requests waiting for a slot per peer before a caller gets an error instead of a queue. */
export const DEFAULT_MAX_WAITING_PER_PEER = 4_096
/** Requests one inbound stream may have in its handlers at once; reading pauses beyond it. */
export const DEFAULT_MAX_INBOUND_CONCURRENCY = 256
/** Inbound streams per connection per protocol: we open one, a few more tolerate reconnect races. */
export const DEFAULT_MAX_INBOUND_STREAMS = 8

export interface WireHost {
  handle(protocol: string, handler: (stream: Stream, connection: Connection) => void | Promise<void>, options?: StreamHandlerOptions): Promise<void>
  unhandle(protocol: string): Promise<void>
  dialProtocol(peer: PeerId, protocols: string, options?: AbortOptions): Promise<Stream>
}

export interface WireEngineInit {
  maxInflightPerPeer?: number
  maxWaitingPerPeer?: number
  maxInboundConcurrency?: number
  maxInboundStreams?: number
}

export interface WireEngineEvents {
  /** A peer broke a protocol (garbage, oversized frame); `strikes` counts them. */
  'peer:misbehaved': (peer: string, strikes: number, reason: string) => void
}

interface Pending {
  resolve: (body: import('uint8arraylist').Uint8ArrayList) => void
  reject: (err: Error) => void
}

class OutboundChannel {
  private readonly pending = new Map<number, Pending>()
  private readonly writer: FrameWriter
  private nextId = 1
  closed = false

  constructor(
    readonly stream: Stream,
    maxResponseBytes: number,
    private readonly onClose: (err?: Error) => void,
  ) {
    this.writer = new FrameWriter(stream)
    void this.read(new FrameDecoder(maxResponseBytes))
  }

  private async read(decoder: FrameDecoder): Promise<void> {
    let failure: Error | undefined
    try {
      for await (const chunk of this.stream) {
        for (const f of decoder.push(chunk)) {
          const p = this.pending.get(f.id)
          if (!p) continue // answered after its timeout
          this.pending.delete(f.id)
          p.resolve(f.body)
        }
      }
    } catch (err) {
      failure = err as Error
      if (err instanceof ProtocolError) this.stream.abort(err)
    }
    this.shutdown(failure ?? new UnavailableError('The replica closed the stream.'))
  }

  shutdown(err: Error): void {
    if (this.closed) return
    this.closed = true
    for (const p of this.pending.values()) p.reject(err)
    this.pending.clear()
    this.onClose(err)
  }

  async request(body: Uint8Array, timeoutMs: number, signal?: AbortSignal): Promise<import('uint8arraylist').Uint8ArrayList> {
    if (this.closed) throw new UnavailableError('The stream to the replica is closed.')
    const id = this.nextId
    this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1
    let resolve!: Pending['resolve']
    let reject!: Pending['reject']
    const promise = new Promise<import('uint8arraylist').Uint8ArrayList>((res, rej) => {
      resolve = res
      reject = rej
    })
    const timer = setTimeout(() => {
      this.pending.delete(id)
      reject(new ReplicaTimeoutError())
    }, timeoutMs)
    const onAbort = (): void => {
      this.pending.delete(id)
      reject(new ReplicaTimeoutError('The request was aborted.'))
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    this.pending.set(id, { resolve, reject })
    try {
      this.writer.write(encodeFrame(id, body))
      return await promise
    } catch (err) {
      this.pending.delete(id)
      throw translate(err)
    } finally {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
  }
}

function translate(err: unknown): Error {
  const name = (err as Error)?.name
  if (name === 'TimeoutError' || name === 'AbortError') return new ReplicaTimeoutError()
  if (err instanceof Error && 'code' in err) return err
  return new UnavailableError(`The replica could not be reached: ${(err as Error)?.message ?? String(err)}`)
}

export class WireEngine {
  private readonly host: WireHost
  private readonly log: Logger
  private readonly events = new EventEmitter()
  // biome-ignore lint/suspicious/noExplicitAny: descriptors of different message types share one map
  private readonly protocols = new Map<string, { desc: ProtocolDescriptor<any, any>; handler: Handler<any, any> }>()
  private readonly channels = new Map<string, Promise<OutboundChannel>>()
  /** The channels of `channels` that are open, for the no-await fast path. */
  private readonly open = new Map<string, OutboundChannel>()
  private readonly slots = new Map<string, Semaphore>()
  /** Protocol violations per peer (the oldest peer forgotten first). */
  private readonly strikes = new BoundedMap<string, number>(MAX_TRACKED_PEERS)
  private readonly inbound = new Set<Stream>()
  private readonly maxInflightPerPeer: number
  private readonly maxWaitingPerPeer: number
  private readonly maxInboundConcurrency: number
  private readonly maxInboundStreams: number
  private running = false

  constructor(components: { host: WireHost; logger: Logger }, init: WireEngineInit = {}) {
    this.host = components.host
    this.log = components.logger
    this.maxInflightPerPeer = init.maxInflightPerPeer ?? DEFAULT_MAX_INFLIGHT_PER_PEER
    this.maxWaitingPerPeer = init.maxWaitingPerPeer ?? DEFAULT_MAX_WAITING_PER_PEER
    this.maxInboundConcurrency = init.maxInboundConcurrency ?? DEFAULT_MAX_INBOUND_CONCURRENCY
    this.maxInboundStreams = init.maxInboundStreams ?? DEFAULT_MAX_INBOUND_STREAMS
  }

  on<E extends keyof WireEngineEvents>(event: E, listener: WireEngineEvents[E]): this {
    this.events.on(event, listener)
    return this
  }

  /** Registers a handler; call before start(). */
  register<Req, Res>(desc: ProtocolDescriptor<Req, Res>, handler: Handler<Req, Res>): void {
    this.protocols.set(desc.id, { desc, handler })
  }

  async start(): Promise<void> {
    if (this.running) return
    this.running = true
    for (const { desc, handler } of this.protocols.values()) {
      await this.host.handle(desc.id, (stream, conn) => this.serve(desc, handler, stream, conn), { maxInboundStreams: this.maxInboundStreams })
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return
    this.running = false
    for (const id of this.protocols.keys()) await this.host.unhandle(id).catch(() => {})
    const err = new UnavailableError('The node is stopping.')
    for (const s of this.slots.values()) s.drain(err)
    for (const p of this.channels.values()) {
      p.then(
        (c) => {
          c.shutdown(err)
          c.stream.abort(err)
        },
        () => {},
      )
    }
    for (const s of this.inbound) s.abort(err)
    this.channels.clear()
    this.open.clear()
    this.slots.clear()
    this.inbound.clear()
  }

  strikesOf(peer: string): number {
    return this.strikes.get(peer) ?? 0
  }

  /**
   * Sends one request to `peer` and waits for its response (pipelined on the shared stream). `req` may
   * be a function: it is called once a slot and the stream are ready, right before the frame is queued,
   * so time-dependent fields (a record's remaining lifetime) are computed at send time, not at enqueue.
   */
  async request<Req, Res>(
    peer: string,
    desc: ProtocolDescriptor<Req, Res>,
    req: Req | (() => Req),
    options: { signal?: AbortSignal; timeoutMs?: number } = {},
  ): Promise<Res> {
    if (!this.running) throw new UnavailableError('The node is stopping.')
    const timeoutMs = options.timeoutMs ?? desc.timeoutMs
    if (options.signal?.aborted) throw new ReplicaTimeoutError('The request was aborted.')
    const started = performance.now()
    // Signals (and their timers) only when a request has to wait: the common path has a slot and an open stream.
    let lazy: AbortSignal | undefined
    const signalFor = (): AbortSignal => {
      if (!lazy) {
        const d = AbortSignal.timeout(Math.max(1, Math.ceil(timeoutMs - (performance.now() - started))))
        lazy = options.signal ? AbortSignal.any([options.signal, d]) : d
      }
      return lazy
    }
    let sem = this.slots.get(peer)
    if (!sem) {
      sem = new Semaphore(this.maxInflightPerPeer, this.maxWaitingPerPeer, () => new UnavailableError('Too many requests queued for this replica.'))
      this.slots.set(peer, sem)
    }
    if (!sem.tryAcquire()) {
      try {
        await sem.acquire(signalFor())
      } catch (err) {
        throw translate(err)
      }
    }
    try {
      const channel = this.open.get(`${peer} ${desc.id}`) ?? (await this.channel(peer, desc, signalFor()))
      const body = desc.encodeRequest(typeof req === 'function' ? (req as () => Req)() : req)
      if (body.byteLength > desc.maxRequestBytes) throw new ProtocolError(`request of ${body.byteLength} bytes exceeds ${desc.id}'s limit`)
      const resBody = await channel.request(body, Math.max(1, Math.ceil(timeoutMs - (performance.now() - started))), options.signal)
      try {
        return desc.decodeResponse(resBody)
      } catch (err) {
        this.strike(peer, `undecodable ${desc.id} response`)
        channel.stream.abort(new ProtocolError('undecodable response'))
        throw new ProtocolError(`undecodable ${desc.id} response: ${(err as Error).message}`)
      }
    } finally {
      sem.release()
    }
  }

  private channel<Req, Res>(peer: string, desc: ProtocolDescriptor<Req, Res>, signal: AbortSignal): Promise<OutboundChannel> {
    const key = `${peer} ${desc.id}`
    let p = this.channels.get(key)
    if (p) return p
    p = (async () => {
      let stream: Stream
      try {
        stream = await this.host.dialProtocol(peerIdFromString(peer), desc.id, { signal })
      } catch (err) {
        throw translate(err)
      }
      const ch: OutboundChannel = new OutboundChannel(stream, desc.maxResponseBytes, () => {
        if (this.channels.get(key) === p) this.channels.delete(key)
        if (this.open.get(key) === ch) this.open.delete(key)
      })
      if (!ch.closed) this.open.set(key, ch)
      return ch
    })()
    this.channels.set(key, p)
    p.catch(() => {
      if (this.channels.get(key) === p) this.channels.delete(key)
    })
    return p
  }

  private strike(peer: string, reason: string): void {
    const n = (this.strikes.get(peer) ?? 0) + 1
    this.strikes.set(peer, n)
    this.log.warn('peer broke a wire protocol', { peer, reason, strikes: n })
    this.events.emit('peer:misbehaved', peer, n, reason)
  }

  // biome-ignore lint/suspicious/noExplicitAny: see protocols map
  private async serve(desc: ProtocolDescriptor<any, any>, handler: Handler<any, any>, stream: Stream, conn: Connection): Promise<void> {
    const peer = conn.remotePeer.toString()
    this.inbound.add(stream)
    const decoder = new FrameDecoder(desc.maxRequestBytes)
    const sem = new Semaphore(this.maxInboundConcurrency, Number.MAX_SAFE_INTEGER, () => new Error('unreachable'))
    const writer = new FrameWriter(stream)
    const respond = (id: number, res: unknown): void => {
      if (stream.writeStatus !== 'writable') return
      try {
        writer.write(encodeFrame(id, desc.encodeResponse(res)))
      } catch (err) {
        stream.abort(err as Error)
      }
    }
    try {
      for await (const chunk of stream) {
        for (const f of decoder.push(chunk)) {
          let req: unknown
          try {
            req = desc.decodeRequest(f.body)
          } catch (err) {
            throw new ProtocolError(`undecodable ${desc.id} request: ${(err as Error).message}`)
          }
          if (!sem.tryAcquire()) await sem.acquire()
          // The handler's deadline, created only if the handler looks at it (store/fetch never wait).
          let signal: AbortSignal | undefined
          const ctx = {
            get signal(): AbortSignal {
              signal ??= AbortSignal.timeout(desc.timeoutMs)
              return signal
            },
          }
          Promise.resolve()
            .then(() => handler(peer, req, ctx))
            .then(
              (res) => respond(f.id, res),
              (err) => respond(f.id, desc.errorResponse(err)),
            )
            .finally(() => sem.release())
        }
      }
      // The caller half-closed: finish writing what we owe, then close our side.
      await sem.idle()
      await writer.flushNow()
      await stream.close().catch(() => {})
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.strike(peer, err.message)
        stream.abort(err)
      } else {
        stream.abort(err as Error)
      }
    } finally {
      this.inbound.delete(stream)
    }
  }
}
