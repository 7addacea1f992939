/**
 * `GET /v1/metrics`: the node's Prometheus registry as text (request counts and latencies, keys,
 * bytes, expirations, replication, peers, libp2p's own metrics).
 */
import type { ServerResponse } from 'node:http'
import type { RepramNode } from '../../node/repram-node.js'
import { CORS_EXPOSE, CORS_ORIGIN, EXPOSED_HEADERS, wantsCors } from '../respond.js'

export async function metrics(node: RepramNode, res: ServerResponse): Promise<void> {
  const text = await node.registry.metrics()
  const headers = ['Content-Type', node.registry.contentType, 'Content-Length', String(Buffer.byteLength(text))]
  if (wantsCors(res.req)) headers.push(CORS_ORIGIN, '*', CORS_EXPOSE, EXPOSED_HEADERS)
  res.writeHead(200, headers)
  res.end(text)
}
