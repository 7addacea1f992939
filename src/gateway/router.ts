/**
 * One request → one route, without a regex cascade: the data prefix is checked first (the hot
 * path), then the few fixed paths by a switch. Preflights are answered on any path; the per-IP
 * rate limit runs before any work; every answer is counted and timed by route/method/status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import type { RepramNode } from '../node/repram-node.js'
import { InvalidRequestError, MethodNotAllowedError, NotFoundError, RateLimitedError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { ClientGoneError } from './body-reader.js'
import { clientIp } from './client-ip.js'
import { sendPreflight } from './cors.js'
import { sendError } from './error-response.js'
import type { HttpMetrics, RouteName } from './http-metrics.js'
import { DEFAULT_REFUSAL_LINGER_MS, lingerAfterRefusal } from './linger.js'
import type { RateLimiter } from './rate-limiter.js'
import { DATA_ALLOW, DATA_PREFIX, type DataRoutes } from './routes/data.js'
import { listKeys } from './routes/keys.js'
import { metrics } from './routes/metrics.js'
import { health, status, topology } from './routes/status.js'

/** Status recorded in metrics for a request whose client left before it was answered. */
const CLIENT_CLOSED_REQUEST = 499

export const READ_ONLY_ALLOW = 'GET, HEAD, OPTIONS'

/** The fixed routes (besides /v1/data/…): path → name. */
export const FIXED_ROUTES: ReadonlyMap<string, RouteName> = new Map<string, RouteName>([
  ['/v1/keys', 'keys'],
  ['/v1/health', 'health'],
  ['/v1/status', 'status'],
  ['/v1/topology', 'topology'],
  ['/v1/metrics', 'metrics'],
])

/** The route a path names (`not_found` when none), for answers given outside the router (clientError). */
export function routeOf(path: string): RouteName {
  if (path.startsWith(DATA_PREFIX)) return 'data'
  return FIXED_ROUTES.get(path) ?? 'not_found'
}

export function allowOf(route: RouteName): string | undefined {
  if (route === 'data') return DATA_ALLOW
  if (route === 'not_found' || route === 'preflight') return undefined
  return READ_ONLY_ALLOW
}

export interface RouterComponents {
  node: RepramNode
  logger: Logger
  data: DataRoutes
  limiter: RateLimiter
  metrics: HttpMetrics
}

export interface RouterInit {
  /** See linger.ts. */
  refusalLingerMs?: number
}

export class Router {
  private readonly node: RepramNode
  private readonly log: Logger
  private readonly data: DataRoutes
  private readonly limiter: RateLimiter
  private readonly metrics: HttpMetrics
  private readonly trustProxy: boolean
  private readonly lingerMs: number

  constructor(components: RouterComponents, init: RouterInit = {}) {
    this.lingerMs = init.refusalLingerMs ?? DEFAULT_REFUSAL_LINGER_MS
    this.node = components.node
    this.log = components.logger
    this.data = components.data
    this.limiter = components.limiter
    this.metrics = components.metrics
    this.trustProxy = components.node.config.trustProxy
  }

  /**
   * The `request` listener (bound once). Never throws, never rejects. A route that can answer at once
   * (a local read, the fixed routes) does so without a promise; one that must wait (a PUT's body, a
   * read from other replicas) returns its promise and is finished when it settles.
   */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const t0 = performance.now()
    const method = req.method ?? ''
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const path = q === -1 ? url : url.slice(0, q)
    const route: RouteName = method === 'OPTIONS' ? 'preflight' : routeOf(path)
    let pending: Promise<void> | undefined
    try {
      pending = this.serve(req, res, route, method, path, q === -1 ? '' : url.slice(q + 1))
    } catch (err) {
      this.fail(req, res, err)
    }
    if (pending === undefined) this.metrics.observe(route, method, res.statusCode, (performance.now() - t0) / 1000)
    else
      pending.then(
        () => this.metrics.observe(route, method, res.statusCode, (performance.now() - t0) / 1000),
        (err: unknown) => {
          this.fail(req, res, err)
          this.metrics.observe(route, method, res.statusCode, (performance.now() - t0) / 1000)
        },
      )
  }

  private serve(req: IncomingMessage, res: ServerResponse, route: RouteName, method: string, path: string, query: string): Promise<void> | undefined {
    // HTTP/1.1 requires Host (RFC 9112 §3.2); node:http's own check is off so this answer is JSON.
    if (req.headers.host === undefined && req.httpVersion === '1.1') throw new InvalidRequestError('An HTTP/1.1 request must carry a Host header.')
    if (route === 'preflight') {
      sendPreflight(req, res)
      return undefined
    }
    if (this.limiter.enabled) {
      const wait = this.limiter.take(clientIp(req, this.trustProxy))
      if (wait > 0) throw new RateLimitedError(wait)
    }
    if (route === 'data') {
      const rawKey = path.slice(DATA_PREFIX.length)
      if (method === 'GET') return this.data.get(res, rawKey)
      if (method === 'PUT') return this.data.put(req, res, rawKey, query)
      if (method === 'HEAD') return this.data.head(res, rawKey)
      throw new MethodNotAllowedError(method, DATA_ALLOW)
    }
    if (route === 'not_found') throw new NotFoundError('No such route. See /v1/data/{key}, /v1/keys, /v1/health, /v1/status, /v1/topology, /v1/metrics.')
    if (method !== 'GET' && method !== 'HEAD') throw new MethodNotAllowedError(method, READ_ONLY_ALLOW)
    switch (route) {
      case 'keys':
        listKeys(this.node, res, query)
        return undefined
      case 'health':
        health(this.node, res)
        return undefined
      case 'status':
        status(this.node, res)
        return undefined
      case 'topology':
        topology(this.node, res)
        return undefined
      case 'metrics':
        return metrics(this.node, res)
    }
    return undefined
  }

  /** Answers a refusal or failure (or, for a client that left, only counts it). */
  private fail(req: IncomingMessage, res: ServerResponse, err: unknown): void {
    if (err instanceof ClientGoneError) {
      // Nobody to answer; counted as 499 (nginx's "client closed request").
      res.statusCode = CLIENT_CLOSED_REQUEST
      res.destroy()
      return
    }
    // Refused before its body was read (bad key or TTL, 405, 429 on a PUT): let the client read the answer.
    if (!req.complete && !res.headersSent) {
      lingerAfterRefusal(req, this.lingerMs)
      // The socket is closed after this answer: say so, or a pooling client reuses it and gets a reset.
      res.setHeader('Connection', 'close')
    }
    sendError(res, err, this.log)
  }
}
