/**
 * repram_exists {key} → {exists, remaining_ttl_seconds?, expires_at?}: a cheap probe that never
 * transfers the value. Absence is an answer here, not an error.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import { NotFoundError } from '../shared/errors.js'
import type { RepramBackend } from './backend.js'
import { guarded, toolOk } from './tool-result.js'

export const EXISTS_DESCRIPTION = `Check whether a live value exists under a key in REPRAM, without reading it; returns its remaining TTL when it does. Absence is the signal in several patterns:
- lock:<resource> present = taken, absent = free (expired tokens free themselves);
- heartbeat:<agent> absent = that agent stopped writing (the TTL is the failure detector);
- heartbeat:<service> absent = circuit open, back off;
- dedup:<event-id> present = already handled;
- state:<job> absent = the job never finished (it crashed and its state expired).`

export function registerExistsTool(server: McpServer, backend: RepramBackend): void {
  server.registerTool(
    'repram_exists',
    {
      title: 'Check a key',
      description: EXISTS_DESCRIPTION,
      inputSchema: {
        key: z.string({ error: 'key must be a string.' }).min(1, { error: 'key must not be empty.' }).describe('The exact key.'),
      },
      outputSchema: {
        exists: z.boolean(),
        remaining_ttl_seconds: z.number().optional().describe('Whole seconds before it is destroyed (only when it exists).'),
        expires_at: z.string().optional().describe('ISO-8601 UTC expiry (only when it exists).'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) =>
      guarded(async () => {
        try {
          const r = await backend.head(args.key, { signal: extra.signal })
          return toolOk({ exists: true, remaining_ttl_seconds: r.remainingSeconds, expires_at: new Date(r.expiresAt).toISOString() })
        } catch (err) {
          if (err instanceof NotFoundError) return toolOk({ exists: false })
          throw err
        }
      }),
  )
}
