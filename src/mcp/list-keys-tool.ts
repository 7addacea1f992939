/**
 * repram_list_keys {prefix?, limit?, cursor?} → {keys, next_cursor?}: one page of live keys in byte
 * order. Pages are kept small by default so a listing does not flood a model's context.
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { z } from 'zod'
import type { RepramBackend } from './backend.js'
import { guarded, toolOk } from './tool-result.js'

/** Keys per page when the model gives no limit: enough to survey, small enough to read. */
export const DEFAULT_MCP_LIST_LIMIT = 100
/** Largest page a model may ask for; more pages come through next_cursor. */
export const MAX_MCP_LIST_LIMIT = 1_000

export const LIST_KEYS_DESCRIPTION = `List the live keys in REPRAM, sorted, optionally only those starting with a prefix. Expired keys are never listed. Returns at most limit keys (default ${DEFAULT_MCP_LIST_LIMIT}) and, when more remain, next_cursor: pass it back as cursor for the next page.

Prefixes make discovery work: "heartbeat:" lists live agents, "state:" active jobs, "lock:pipeline:" held locks of a pipeline, "handoff:task-742:" drops for a task, "myapp:" everything in a namespace.`

export function registerListKeysTool(server: McpServer, backend: RepramBackend): void {
  server.registerTool(
    'repram_list_keys',
    {
      title: 'List live keys',
      description: LIST_KEYS_DESCRIPTION,
      inputSchema: {
        prefix: z
          .string({ error: 'prefix must be a string such as "heartbeat:".' })
          .optional()
          .describe('Only keys starting with this, e.g. "lock:" or "state:".'),
        limit: z
          .number({ error: `limit must be a number from 1 to ${MAX_MCP_LIST_LIMIT}.` })
          .int({ error: `limit must be a whole number from 1 to ${MAX_MCP_LIST_LIMIT}.` })
          .min(1, { error: `limit must be at least 1.` })
          .max(MAX_MCP_LIST_LIMIT, { error: `limit must be at most ${MAX_MCP_LIST_LIMIT}; use next_cursor for more.` })
          .optional()
          .describe(`Most keys to return (default ${DEFAULT_MCP_LIST_LIMIT}, max ${MAX_MCP_LIST_LIMIT}).`),
        cursor: z.string({ error: 'cursor must be the next_cursor string of a previous page.' }).optional().describe('next_cursor from the previous page.'),
      },
      outputSchema: {
        keys: z.array(z.string()),
        next_cursor: z.string().optional().describe('Present when more keys remain; pass as cursor.'),
      },
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async (args, extra) =>
      guarded(async () => {
        const page = await backend.list({ prefix: args.prefix, limit: args.limit ?? DEFAULT_MCP_LIST_LIMIT, cursor: args.cursor, signal: extra.signal })
        return toolOk(page.nextCursor === undefined ? { keys: page.keys } : { keys: page.keys, next_cursor: page.nextCursor })
      }),
  )
}
