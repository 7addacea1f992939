/**
 * `repram mcp`: the MCP server on stdio. Default: an embedded node in this process (a mesh of one,
 * or joining REPRAM_PEERS), its HTTP gateway not started — the tools call the facade directly. With
 * REPRAM_URL: the gateway there, through the typed client, and no node at all.
 *
 * stdout carries only JSON-RPC: logs go to stderr, and console.log/info/debug are rerouted to stderr
 * for the life of this command so no library can corrupt the protocol stream.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js'
import { RepramClient } from '../client/repram-client.js'
import { createNode } from '../create-node.js'
import type { RepramBackend } from '../mcp/backend.js'
import { ClientBackend } from '../mcp/client-backend.js'
import { createMcpServer } from '../mcp/create-mcp-server.js'
import { NodeBackend } from '../mcp/node-backend.js'
import type { RepramNode } from '../node/repram-node.js'
import { loadConfig } from '../shared/config.js'
import { ERROR_TABLE } from '../shared/error-table.js'
import { toRepramError } from '../shared/errors.js'
import { createLogger } from '../shared/logger.js'

const HELP = `repram mcp — MCP server on stdio for AI agents

Usage: repram mcp

Tools: repram_store, repram_retrieve, repram_exists, repram_list_keys.

Modes:
  (default)          run an embedded node in this process; REPRAM_* variables configure it.
                     Alone (no REPRAM_PEERS, REPRAM_GOSSIP_PORT, REPRAM_LISTEN or public network) it
                     is a mesh of one that opens no port. With REPRAM_PEERS it joins that mesh; its
                     libp2p port defaults to 0 = any, so several agents can each run one.
                     No HTTP gateway is started.
  REPRAM_URL=URL     use the gateway at URL (e.g. http://127.0.0.1:8080) and start no node.

MCP client config (Claude Code, Cursor, …; the npm package is repram-mesh, its command repram):
  {"mcpServers": {"repram": {"command": "npx", "args": ["-y", "repram-mesh", "mcp"]}}}
  claude mcp add repram -- npx -y repram-mesh mcp

stdout carries only the MCP protocol; logs go to stderr (REPRAM_LOG_LEVEL, default info).
Exit codes: 0 after the client closes stdin or on SIGINT/SIGTERM, 2 bad configuration.
`

function routeConsoleToStderr(): void {
  const toStderr = (...args: unknown[]): void => console.error(...args)
  console.log = toStderr
  console.info = toStderr
  console.debug = toStderr
  console.trace = toStderr
}

export async function run(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(HELP)
    return 0
  }
  if (argv.length > 0) {
    process.stderr.write(`repram mcp: unexpected argument ${JSON.stringify(argv[0])}; configure with REPRAM_* environment variables.\n\n${HELP}`)
    return 2
  }
  routeConsoleToStderr()
  const url = process.env.REPRAM_URL?.trim()
  let node: RepramNode | undefined
  let backend: RepramBackend
  let log: ReturnType<typeof createLogger>
  try {
    if (url) {
      const config = loadConfig({ REPRAM_LOG_LEVEL: process.env.REPRAM_LOG_LEVEL })
      log = createLogger('repram:mcp', { level: config.logLevel })
      backend = new ClientBackend({ client: new RepramClient(url) })
    } else {
      const env = process.env
      const listenGiven = Boolean(env.REPRAM_GOSSIP_PORT || env.REPRAM_LISTEN)
      // An embedded node must not fight a stand-alone node (or another agent's) for port 9090.
      const config = loadConfig(env, listenGiven ? {} : { 'gossip-port': '0' })
      // Nothing to join and nobody told where to listen: a mesh of one without libp2p (no open port).
      const standalone = config.peers.length === 0 && config.network !== 'public' && !listenGiven
      log = createLogger('repram:mcp', { level: config.logLevel })
      node = createNode({ ...config, standalone })
      await node.start()
      backend = new NodeBackend({ node })
    }
  } catch (err) {
    const e = toRepramError(err)
    process.stderr.write(`repram mcp: ${e.message}\n`)
    await node?.stop().catch(() => {})
    return ERROR_TABLE[e.code].exitCode
  }

  const server = createMcpServer({ backend })
  const transport = new StdioServerTransport()
  const closed = new Promise<string>((resolve) => {
    server.server.onclose = () => resolve('transport closed')
    process.stdin.once('end', () => resolve('stdin ended'))
    // The client went away mid-reply (EPIPE): nobody is left to serve.
    process.stdout.once('error', () => resolve('stdout closed'))
    process.once('SIGINT', () => resolve('SIGINT'))
    process.once('SIGTERM', () => resolve('SIGTERM'))
  })
  await server.connect(transport)
  log.info('mcp server ready', { mode: backend.kind, ...(url ? { url } : { node_id: node?.nodeId, mesh: node?.config.standalone === false }) })
  const why = await closed
  log.info('mcp server stopping', { reason: why })
  await server.close().catch(() => {})
  await node?.stop()
  return 0
}
