/**
 * Helpers for the MCP tests: the built bin's path, a connected SDK client over stdio to a real
 * `repram mcp` child, and result accessors.
 */
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
export const BIN = join(ROOT, 'dist', 'src', 'cli', 'bin.js')

/** The child's environment: only what it needs, so a developer's REPRAM_URL cannot leak in. */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', REPRAM_LOG_LEVEL: 'debug', ...extra }
}

export interface StdioMcp {
  client: Client
  transport: StdioClientTransport
  stderr: () => string
  /** Errors the client transport saw (a non-JSON line on stdout shows up here). */
  transportErrors: Error[]
  close(): Promise<void>
}

export async function connectStdio(env: Record<string, string>): Promise<StdioMcp> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [BIN, 'mcp'], env: childEnv(env), stderr: 'pipe', cwd: ROOT })
  let err = ''
  transport.stderr?.on('data', (d: Buffer) => {
    err += d.toString('utf8')
  })
  const transportErrors: Error[] = []
  const client = new Client({ name: 'stdio-test', version: '1.0.0' })
  client.onerror = (e) => transportErrors.push(e)
  await client.connect(transport)
  return { client, transport, stderr: () => err, transportErrors, close: () => client.close() }
}

export function text(r: CallToolResult): string {
  const c = r.content[0]
  return c && c.type === 'text' ? c.text : ''
}

export async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult
}
