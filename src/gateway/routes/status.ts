/**
 * `GET /v1/health` (200 healthy / 503 unhealthy), `GET /v1/status` and `GET /v1/topology`: the
 * facade's reports, as JSON in the contract's shapes.
 */
import type { ServerResponse } from 'node:http'
import type { RepramNode } from '../../node/repram-node.js'
import { sendJson } from '../respond.js'

export function health(node: RepramNode, res: ServerResponse): void {
  const report = node.health()
  sendJson(res, report.status === 'healthy' ? 200 : 503, report)
}

export function status(node: RepramNode, res: ServerResponse): void {
  sendJson(res, 200, node.status())
}

export function topology(node: RepramNode, res: ServerResponse): void {
  sendJson(res, 200, node.topology())
}
