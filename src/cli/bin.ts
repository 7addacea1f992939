#!/usr/bin/env node
/**
 * The `repram` command. Loads the Promise.withResolvers polyfill first (libp2p 3 on Node 20), then
 * dispatches to one module per command, loaded on demand so `repram get` never pays for libp2p.
 */
import '../polyfill.js'

interface CommandModule {
  run(argv: string[]): Promise<number>
}

const COMMANDS: Record<string, () => Promise<CommandModule>> = {
  node: () => import('./node-command.js'),
  mcp: () => import('./mcp-command.js'),
  put: () => import('./verbs/put-command.js'),
  get: () => import('./verbs/get-command.js'),
  ls: () => import('./verbs/ls-command.js'),
  status: () => import('./verbs/status-command.js'),
  health: () => import('./verbs/health-command.js'),
}

const USAGE = `repram — ephemeral, replicated key-value storage

Usage:
  repram node [flags]            run a node (gateway on 127.0.0.1:8080); repram node --help lists flags
  repram mcp                     MCP server on stdio (embedded node, or REPRAM_URL's gateway)
  repram put KEY [VALUE] --ttl N store VALUE (or stdin) under KEY
  repram get KEY [--json]        print the value's bytes (or its metadata)
  repram ls [--prefix P]         list live keys
  repram status | health         the gateway's status or health

Client verbs talk to REPRAM_URL (default http://127.0.0.1:8080). Each verb has --help.
`

async function main(): Promise<number> {
  const [cmd, ...rest] = process.argv.slice(2)
  if (cmd === undefined || cmd === '--help' || cmd === '-h' || cmd === 'help') {
    process.stdout.write(USAGE)
    return cmd === undefined ? 2 : 0
  }
  if (cmd === '--version' || cmd === '-v') {
    const { createRequire } = await import('node:module')
    const pkg = createRequire(import.meta.url)('../../../package.json') as { version: string }
    process.stdout.write(`${pkg.version}\n`)
    return 0
  }
  const load = COMMANDS[cmd]
  if (!load) {
    process.stderr.write(`repram: unknown command ${JSON.stringify(cmd)}\n\n${USAGE}`)
    return 2
  }
  const mod = await load()
  return mod.run(rest)
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (err: unknown) => {
    process.stderr.write(`repram: ${err instanceof Error ? err.message : String(err)}\n`)
    process.exitCode = 1
  },
)
