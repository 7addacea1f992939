/**
 * The HTTP gateway's lifecycle: a plain `node:http` server (no framework: the hot path is a
 * prefix check, a facade call and one `writeHead`), its protective limits, and a graceful stop —
 * stop accepting, let in-flight requests finish within a bound, close idle keep-alive sockets,
 * release the port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import type { RepramNode } from '../node/repram-node.js'
import type { Logger } from '../shared/logger.js'
import { declaredLength } from './body-reader.js'
import { handleClientError } from './client-error.js'
import { HttpMetrics } from './http-metrics.js'
import { RateLimiter } from './rate-limiter.js'
import { Router } from './router.js'
import { DataRoutes } from './routes/data.js'

/** Node's own default: fits a request line with a 1 KiB key percent-encoded (3 KiB) plus ordinary headers. */
export const MIN_MAX_HEADER_BYTES = 16 * 1024
/** Room for ordinary headers beside a maximal percent-encoded key. */
const HEADER_ROOM_BYTES = 4 * 1024
/** A client has this long to send its request line and headers (slow-loris bound). */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000
/** ...and this long for the whole request: a 10 MiB body at ~200 KiB/s. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000
/** An idle keep-alive connection is closed after this long (Node's default). */
export const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 5_000
/** A socket with no traffic at all (e.g. a client that stops reading a response) is dropped. */
export const DEFAULT_SOCKET_IDLE_TIMEOUT_MS = 120_000
/** How often timeouts above are enforced; Node's default of 30 s would let a slow-loris overstay. */
export const DEFAULT_CONNECTIONS_CHECK_INTERVAL_MS = 1_000
/**
 * Requests per connection before node:http answers 503 and closes it: 0 = unlimited. A 503 must mean
 * the node cannot serve; a cap here made a healthy node refuse every request past the 10,000th on a
 * keep-alive connection (a load generator saw 15,000 × 503 in 25,000 GETs).
 */
export const DEFAULT_MAX_REQUESTS_PER_SOCKET = 0
/** Concurrent connections; beyond it new ones are dropped at accept, so floods cannot exhaust fds or memory. */
export const DEFAULT_MAX_CONNECTIONS = 4_096
/** How long stop() lets in-flight requests finish before cutting every connection. */
export const DEFAULT_STOP_GRACE_MS = 5_000
/** A flood of refused connections logs one line per this interval, not one per connection. */
const DROP_LOG_INTERVAL_MS = 10_000
/** While stopping, connections that became idle are closed this often. */
const STOP_SWEEP_INTERVAL_MS = 50

export interface GatewayInit {
  /** Default: node.config.httpHost. */
  host?: string
  /** Default: node.config.httpPort; 0 = any free port. */
  port?: number
  headersTimeoutMs?: number
  requestTimeoutMs?: number
  keepAliveTimeoutMs?: number
  socketIdleTimeoutMs?: number
  connectionsCheckIntervalMs?: number
  /** Default: unlimited (0). A positive cap makes node:http answer 503 past it, so leave it off unless a balancer needs recycling. */
  maxRequestsPerSocket?: number
  maxConnections?: number
  stopGraceMs?: number
  /** Default: max(16 KiB, 3 × REPRAM_MAX_KEY_BYTES + 4 KiB). */
  maxHeaderBytes?: number
  /** How long a refused body may keep arriving before the socket is cut; see linger.ts. */
  oversizeLingerMs?: number
}

export interface GatewayComponents {
  node: RepramNode
  logger: Logger
}

export class Gateway {
  private readonly node: RepramNode
  private readonly log: Logger
  private readonly host: string
  private readonly requestedPort: number
  private readonly init: GatewayInit
  private readonly maxHeaderBytes: number
  private readonly router: Router
  readonly limiter: RateLimiter
  private server: Server | undefined
  private boundPort = 0
  /** Open connections, so stop() can close those with no request in flight (Node's closeIdleConnections skips never-used ones). */
  private readonly sockets = new Set<Socket>()
  private droppedConnections = 0
  private lastDropLogMs = 0

  constructor(components: GatewayComponents, init: GatewayInit = {}) {
    this.node = components.node
    this.log = components.logger
    this.init = init
    const cfg = components.node.config
    this.host = init.host ?? cfg.httpHost
    this.requestedPort = init.port ?? cfg.httpPort
    this.maxHeaderBytes = init.maxHeaderBytes ?? Math.max(MIN_MAX_HEADER_BYTES, cfg.maxKeyBytes * 3 + HEADER_ROOM_BYTES)
    this.limiter = new RateLimiter({ clock: { now: () => components.node.now() } }, { ratePerSecond: cfg.rateLimitPerSecond })
    this.router = new Router(
      {
        node: components.node,
        logger: components.logger,
        data: new DataRoutes({ node: components.node }),
        limiter: this.limiter,
        metrics: new HttpMetrics({ registry: components.node.registry }),
      },
      { refusalLingerMs: init.oversizeLingerMs },
    )
  }

  get port(): number {
    return this.boundPort
  }

  get url(): string {
    const h = this.host.includes(':') ? `[${this.host}]` : this.host
    return `http://${h === '0.0.0.0' ? '127.0.0.1' : h === '[::]' ? '[::1]' : h}:${this.boundPort}`
  }

  async start(): Promise<void> {
    if (this.server) return
    const init = this.init
    const server = createServer({
      maxHeaderSize: this.maxHeaderBytes,
      headersTimeout: init.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
      requestTimeout: init.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      keepAliveTimeout: init.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
      connectionsCheckingInterval: init.connectionsCheckIntervalMs ?? DEFAULT_CONNECTIONS_CHECK_INTERVAL_MS,
      noDelay: true,
      // node:http would answer an HTTP/1.1 request without Host with a bare 400 (no JSON, no CORS):
      // the router refuses it instead, through the error table like every other error.
      requireHostHeader: false,
    })
    server.maxRequestsPerSocket = init.maxRequestsPerSocket ?? DEFAULT_MAX_REQUESTS_PER_SOCKET
    server.maxConnections = init.maxConnections ?? DEFAULT_MAX_CONNECTIONS
    server.setTimeout(init.socketIdleTimeoutMs ?? DEFAULT_SOCKET_IDLE_TIMEOUT_MS, (socket: Duplex) => socket.destroy())
    server.on('connection', this.onConnection)
    server.on('request', this.router.handle)
    server.on('checkContinue', this.onCheckContinue)
    // An expectation other than 100-continue is ignored (RFC 9110 §10.1.1 allows it): node:http would
    // answer a bare 417, outside the contract's statuses and without a JSON body.
    server.on('checkExpectation', this.router.handle)
    server.on('connect', this.onConnect)
    server.on('clientError', this.onClientError)
    server.on('drop', this.onDrop)
    await new Promise<void>((resolve, reject) => {
      const onError = (err: Error): void => {
        server.off('listening', onListening)
        reject(err)
      }
      const onListening = (): void => {
        server.off('error', onError)
        resolve()
      }
      server.once('error', onError)
      server.once('listening', onListening)
      server.listen(this.requestedPort, this.host)
    })
    server.on('error', (err) => this.log.error('gateway server error', { err }))
    this.boundPort = (server.address() as AddressInfo).port
    this.server = server
  }

  /** Stops accepting, lets in-flight requests finish (up to the grace period), closes idle sockets, releases the port. */
  async stop(): Promise<void> {
    const server = this.server
    if (!server) return
    this.server = undefined
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    this.closeIdle()
    const sweep = setInterval(() => this.closeIdle(), STOP_SWEEP_INTERVAL_MS)
    const deadline = setTimeout(() => {
      this.log.warn('gateway stop: grace period over, closing remaining connections')
      server.closeAllConnections()
    }, this.init.stopGraceMs ?? DEFAULT_STOP_GRACE_MS)
    try {
      await closed
    } finally {
      clearInterval(sweep)
      clearTimeout(deadline)
    }
  }

  /** Destroys every connection that has no response in progress (idle keep-alive, never used, or still sending headers). */
  private closeIdle(): void {
    for (const socket of this.sockets) {
      const pending = (socket as Socket & { _httpMessage?: { writableFinished?: boolean } | null })._httpMessage
      if (!pending || pending.writableFinished) socket.destroy()
    }
  }

  private readonly onConnection = (socket: Socket): void => {
    this.sockets.add(socket)
    socket.once('close', () => this.sockets.delete(socket))
  }

  /** `Expect: 100-continue`: refuse an oversized body before the client sends it; otherwise invite it. */
  private readonly onCheckContinue = (req: IncomingMessage, res: ServerResponse): void => {
    let tooBig = false
    try {
      tooBig = declaredLength(req) > this.node.config.maxValueBytes
    } catch {
      tooBig = true
    }
    if (!tooBig) res.writeContinue()
    this.router.handle(req, res)
  }

  /** A connection refused at accept because maxConnections was reached: counted, logged at most every few seconds. */
  private readonly onDrop = (): void => {
    this.droppedConnections++
    const now = Date.now()
    if (now - this.lastDropLogMs < DROP_LOG_INTERVAL_MS) return
    this.lastDropLogMs = now
    this.log.warn('connections refused: too many concurrent connections', { max: this.server?.maxConnections, dropped_total: this.droppedConnections })
  }

  /**
   * CONNECT: node:http hands it over as a raw socket and, without this listener, destroys it with no
   * answer. It is answered as a method the gateway does not know (405 on a data path, else 404).
   */
  private readonly onConnect = (req: IncomingMessage, socket: Duplex): void => {
    const err = Object.assign(new Error('CONNECT is not supported'), {
      code: 'HPE_INVALID_METHOD',
      rawPacket: Buffer.from(`CONNECT ${req.url ?? ''} `, 'latin1'),
    })
    handleClientError(err, socket, this.log, this.maxHeaderBytes)
  }

  private readonly onClientError = (err: Error, socket: Duplex): void => {
    handleClientError(err, socket, this.log, this.maxHeaderBytes)
  }
}
