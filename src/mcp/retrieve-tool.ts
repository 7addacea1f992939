/**
 * repram_retrieve {key, encoding?} → {data, created_at, remaining_ttl_seconds, expires_at}, or a
 * not_found tool error when the key is absent or expired.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import type { RepramBackend } from './backend.js'
import { encodeData } from './encoding.js'
import { guarded, toolOk } from './tool-result.js'

export const RETRIEVE_DESCRIPTION = `Read the value stored under a key in REPRAM, with when it was written and how long it has left. Fails with not_found when the key never existed or its TTL has run out (expired values are gone for good).

Use it to pick up a dead drop (handoff:...), resume a scratchpad (scratch:...), read a job's state (state:...) or poll a broadcast channel (broadcast:...). Binary values must be read with encoding "base64".`

export function registerRetrieveTool(server: McpServer, backend: RepramBackend): void {
  server.registerTool(
    'repram_retrieve',
    {
      title: 'Read a value',
      description: RETRIEVE_DESCRIPTION,
      inputSchema: {
        key: z
          .string({ error: 'key must be a string, the exact key used when storing.' })
          .min(1, { error: 'key must not be empty.' })
          .describe('The exact key.'),
        encoding: z
          .enum(['utf8', 'base64'], { error: 'encoding must be "utf8" or "base64".' })
          .optional()
          .describe('"utf8" (default): return the value as text. "base64": return base64 of the bytes (needed for binary values).'),
      },
      outputSchema: {
        data: z.string().describe('The value, as text or base64 per encoding.'),
        created_at: z.string().describe('ISO-8601 UTC time it was written.'),
        remaining_ttl_seconds: z.number().describe('Whole seconds before it is destroyed.'),
        expires_at: z.string().describe('ISO-8601 UTC time it will be destroyed.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) =>
      guarded(async () => {
        const r = await backend.get(args.key, { signal: extra.signal })
        return toolOk({
          data: encodeData(r.value, args.encoding ?? 'utf8'),
          created_at: new Date(r.createdAt).toISOString(),
          remaining_ttl_seconds: r.remainingSeconds,
          expires_at: new Date(r.expiresAt).toISOString(),
        })
      }),
  )
}
