/**
 * The typed HTTP client of a REPRAM gateway. Programs import it from the package
 * (`import { RepramClient } from 'repram-mesh'`); the CLI verbs and the MCP server's remote mode
 * (REPRAM_URL) use it. It speaks only the HTTP v1 contract (docs/http-api.md), never libp2p.
 */
export * from './error-from-response.js'
export * from './repram-client.js'
