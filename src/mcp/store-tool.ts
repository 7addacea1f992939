/**
 * repram_store {data, ttl_seconds?, key?, encoding?} → {key, ttl_seconds, expires_at, replicas}.
 * Argument names are the older REPRAM's so existing agent prompts carry over; the reply reports the
 * TTL actually applied after clamping (the older server echoed the request).
 */
import { randomUUID } from 'node:crypto'
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import type { RepramBackend } from './backend.js'
import { decodeData } from './encoding.js'
import { PATTERNS, PREFIX_CONVENTIONS } from './guide.js'
import { guarded, toolOk } from './tool-result.js'

export const STORE_DESCRIPTION = `Store a value in REPRAM under a key for a limited time (TTL). After ttl_seconds it is deleted everywhere; storing again under the same key silently overwrites it and restarts its TTL. Returns the key (a random UUID if you gave none), the TTL actually applied (the network clamps it, by default to 300..86400 s), when it expires, and how many replicas hold it.

${PATTERNS}

${PREFIX_CONVENTIONS}`

export function registerStoreTool(server: McpServer, backend: RepramBackend): void {
  server.registerTool(
    'repram_store',
    {
      title: 'Store an expiring value',
      description: STORE_DESCRIPTION,
      inputSchema: {
        data: z
          .string({ error: 'data must be a string: the text to store, or base64 with encoding "base64" for binary.' })
          .describe('The value: text, or base64 when encoding is "base64".'),
        ttl_seconds: z
          .number({ error: 'ttl_seconds must be a number of seconds, e.g. 600.' })
          .int({ error: 'ttl_seconds must be a whole number of seconds, e.g. 600.' })
          .positive({ error: 'ttl_seconds must be positive, e.g. 600.' })
          .max(Number.MAX_SAFE_INTEGER, { error: 'ttl_seconds is too large.' })
          .optional()
          .describe('Seconds until the value is destroyed. Clamped to the network bounds (default 300..86400); omitted: the default (3600).'),
        key: z
          .string({ error: 'key must be a string such as "handoff:task-1:a->b".' })
          .min(1, { error: 'key must not be empty; omit it to get a random UUID key.' })
          .optional()
          .describe('Where to store it. Omit for a fresh UUID. Use a prefix convention (handoff:, scratch:, lock:, heartbeat:, state:, broadcast:).'),
        encoding: z
          .enum(['utf8', 'base64'], { error: 'encoding must be "utf8" or "base64".' })
          .optional()
          .describe('"utf8" (default): data is text. "base64": data is base64 of binary bytes.'),
      },
      outputSchema: {
        key: z.string(),
        ttl_seconds: z.number().describe('The TTL actually applied, after clamping.'),
        expires_at: z.string().describe('ISO-8601 UTC time when the value is destroyed.'),
        replicas: z.number().describe('Replicas holding the value when the store returned.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    },
    async (args, extra) =>
      guarded(async () => {
        const value = decodeData(args.data, args.encoding ?? 'utf8')
        const key = args.key ?? randomUUID()
        const r = await backend.put(key, value, args.ttl_seconds, { signal: extra.signal })
        return toolOk({ key: r.key, ttl_seconds: r.ttl, expires_at: new Date(r.expiresAt).toISOString(), replicas: r.replicas })
      }),
  )
}
