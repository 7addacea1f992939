/**
 * Assembles the MCP server: the four REPRAM tools over one backend (embedded node or remote
 * gateway), with the pattern guide as the server's instructions. Transport-agnostic: the `repram mcp`
 * command connects it to stdio, tests to an in-memory pair.
 */
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import type { RepramBackend } from './backend.js'
import { registerExistsTool } from './exists-tool.js'
import { SERVER_INSTRUCTIONS } from './guide.js'
import { registerListKeysTool } from './list-keys-tool.js'
import { registerRetrieveTool } from './retrieve-tool.js'
import { registerStoreTool } from './store-tool.js'

export const MCP_SERVER_NAME = 'repram'
/** The npm package (`repram` on the registry is an unrelated package; the bin is still `repram`). */
const PACKAGE_NAME = 'repram-mesh'

export interface McpServerInit {
  /** Reported at initialize; the package's version by default. */
  version?: string
}

/** The package version, found by walking up from this file (src/ under vitest, dist/src/ when built). */
function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 5; i++) {
    const p = join(dir, 'package.json')
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string }
      if (pkg.name === PACKAGE_NAME && pkg.version) return pkg.version
    }
    dir = dirname(dir)
  }
  return '0.0.0'
}

export function createMcpServer(components: { backend: RepramBackend }, init: McpServerInit = {}): McpServer {
  const server = new McpServer({ name: MCP_SERVER_NAME, version: init.version ?? packageVersion() }, { instructions: SERVER_INSTRUCTIONS })
  registerStoreTool(server, components.backend)
  registerRetrieveTool(server, components.backend)
  registerExistsTool(server, components.backend)
  registerListKeysTool(server, components.backend)
  return server
}
