/**
 * `SimClient` over an in-process node's facade (`RepramNode`): no HTTP in the way, so 50 nodes' worth
 * of workload fits on two cores. Named errors map to the status the gateway would answer with, through
 * the project's one error table.
 */

import type { RepramNode } from '../../src/node/repram-node.js'
import type { StatusReport } from '../../src/node/types.js'
import { ERROR_TABLE } from '../../src/shared/error-table.js'
import { RepramError } from '../../src/shared/errors.js'
import { errorText, type GetAnswer, type ListAnswer, OP_TIMEOUT_MS, type PutAnswer, type SimClient } from './client.js'
import { WIRE_METRIC_NAMES } from './wire.js'

function statusOf(err: unknown): number {
  return err instanceof RepramError ? ERROR_TABLE[err.code].httpStatus : 500
}

export class FacadeClient implements SimClient {
  private readonly node: RepramNode

  constructor(components: { node: RepramNode }) {
    this.node = components.node
  }

  async put(key: string, value: Uint8Array, ttlSeconds: number): Promise<PutAnswer> {
    try {
      const r = await this.node.put(key, value, { ttlSeconds, signal: AbortSignal.timeout(OP_TIMEOUT_MS) })
      return { status: r.confirmed ? 201 : 202, etag: r.etag, expiresAt: r.expiresAt }
    } catch (err) {
      return { status: statusOf(err), error: errorText(err) }
    }
  }

  async get(key: string): Promise<GetAnswer> {
    try {
      const r = await this.node.get(key, { signal: AbortSignal.timeout(OP_TIMEOUT_MS) })
      return { status: 200, value: r.value, etag: r.etag, createdAt: r.createdAt, expiresAt: r.expiresAt }
    } catch (err) {
      return { status: statusOf(err), error: errorText(err) }
    }
  }

  async list(prefix: string): Promise<ListAnswer> {
    try {
      const keys: string[] = []
      let cursor: string | undefined
      for (;;) {
        const page = this.node.list({ prefix, cursor })
        keys.push(...page.keys)
        if (page.nextCursor === undefined) return { status: 200, keys }
        cursor = page.nextCursor
      }
    } catch (err) {
      return { status: statusOf(err), error: errorText(err) }
    }
  }

  async status(): Promise<StatusReport | undefined> {
    try {
      return this.node.status()
    } catch {
      return undefined
    }
  }

  /** Only the wire metrics: rendering a whole registry (default process metrics included) × 50 nodes costs a core. */
  async metricsText(): Promise<string | undefined> {
    const parts: string[] = []
    for (const name of WIRE_METRIC_NAMES) {
      try {
        parts.push(await this.node.registry.getSingleMetricAsString(name))
      } catch {
        // not registered in this node's registry
      }
    }
    return parts.join('\n')
  }
}
