/**
 * `GET /v1/keys?prefix=&cursor=&limit=`: one page of the mesh's live keys in byte order. A missing
 * or invalid limit means "as many as allowed" (REPRAM_MAX_LIST_KEYS), with `next_cursor` when more
 * remain; an empty page is `{"keys": []}`.
 */
import type { ServerResponse } from 'node:http'
import type { RepramNode } from '../../node/repram-node.js'
import { parseLimit } from '../../node/schemas.js'
import { queryParam } from '../query.js'
import { sendJson } from '../respond.js'

export function listKeys(node: RepramNode, res: ServerResponse, query: string): void {
  const prefix = queryParam(query, 'prefix')
  const cursor = queryParam(query, 'cursor')
  const limit = parseLimit(queryParam(query, 'limit'), node.config.maxListKeys)
  const page = node.list({ prefix, cursor, limit })
  const body: { keys: string[]; next_cursor?: string } = { keys: page.keys }
  if (page.nextCursor !== undefined) body.next_cursor = page.nextCursor
  sendJson(res, 200, body)
}
