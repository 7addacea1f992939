/**
 * The MCP front door: `repram mcp` exposes REPRAM to agents as four tools (repram_store,
 * repram_retrieve, repram_exists, repram_list_keys) with the older REPRAM's names and arguments.
 * Data flow: MCP client → tool (one file each) → backend → node facade (embedded) or typed client
 * → gateway (REPRAM_URL). Nothing here imports libp2p.
 */
export * from './backend.js'
export * from './client-backend.js'
export * from './create-mcp-server.js'
export * from './encoding.js'
export * from './guide.js'
export * from './node-backend.js'
export * from './tool-result.js'
