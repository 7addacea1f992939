import { readFileSync } from 'node:fs'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js'
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNode } from '../../src/create-node.js'
import { createMcpServer } from '../../src/mcp/create-mcp-server.js'
import { NodeBackend } from '../../src/mcp/node-backend.js'
import type { RepramNode } from '../../src/node/repram-node.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'

let node: RepramNode
let client: Client

function text(r: CallToolResult): string {
  const c = r.content[0]
  return c && c.type === 'text' ? c.text : ''
}

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult
}

beforeAll(async () => {
  node = createNode(makeConfig({ standalone: true, gossipPort: 0, httpPort: 0, maxValueBytes: 1024, maxKeyBytes: 64 }), { logger: silentLogger })
  await node.start()
  const server = createMcpServer({ backend: new NodeBackend({ node }) })
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair()
  await server.connect(serverSide)
  client = new Client({ name: 'test', version: '1.0.0' })
  await client.connect(clientSide)
})

afterAll(async () => {
  await client?.close()
  await node?.stop()
})

describe('MCP tools over the in-memory transport (embedded node)', () => {
  it('initializes with instructions that teach the patterns and lists the four tools', async () => {
    expect(client.getServerVersion()?.name).toBe('repram')
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(client.getServerVersion()?.version).toBe(pkg.version)
    expect(client.getInstructions()).toContain('heartbeat:')
    const { tools } = await client.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(['repram_exists', 'repram_list_keys', 'repram_retrieve', 'repram_store'])
    const store = tools.find((t) => t.name === 'repram_store')
    expect(store?.description).toContain('handoff:')
    expect(store?.description).toContain('lock:')
    expect(Object.keys(store?.inputSchema.properties ?? {}).sort()).toEqual(['data', 'encoding', 'key', 'ttl_seconds'])
    expect(store?.inputSchema.required).toEqual(['data'])
  })

  it('stores and retrieves text, reporting the clamped TTL actually applied', async () => {
    const r = await call('repram_store', { data: 'hello agents', key: 'handoff:t1:a->b', ttl_seconds: 5 })
    expect(r.isError).toBeFalsy()
    const out = r.structuredContent as { key: string; ttl_seconds: number; expires_at: string; replicas: number }
    expect(out.key).toBe('handoff:t1:a->b')
    expect(out.ttl_seconds).toBe(300) // below REPRAM_MIN_TTL: raised to it, and the reply says so
    expect(out.replicas).toBe(1)
    expect(Date.parse(out.expires_at)).toBeGreaterThan(Date.now())
    expect(JSON.parse(text(r))).toEqual(out)

    const g = await call('repram_retrieve', { key: 'handoff:t1:a->b' })
    expect(g.isError).toBeFalsy()
    const got = g.structuredContent as { data: string; created_at: string; remaining_ttl_seconds: number; expires_at: string }
    expect(got.data).toBe('hello agents')
    expect(got.remaining_ttl_seconds).toBeGreaterThan(290)
    expect(got.remaining_ttl_seconds).toBeLessThanOrEqual(300)
    expect(got.expires_at).toBe(out.expires_at)
    expect(Date.parse(got.created_at)).toBeLessThanOrEqual(Date.now())
  })

  it('defaults the key to a UUID and the TTL to the node default', async () => {
    const r = await call('repram_store', { data: 'x' })
    const out = r.structuredContent as { key: string; ttl_seconds: number }
    expect(out.key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(out.ttl_seconds).toBe(3600)
  })

  it('round-trips binary bytes through base64, and refuses to return binary as utf8', async () => {
    const bytes = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 10, 13, 0])
    const r = await call('repram_store', { data: bytes.toString('base64'), key: 'bin:1', encoding: 'base64' })
    expect(r.isError).toBeFalsy()
    expect(new Uint8Array((await node.get('bin:1')).value)).toEqual(new Uint8Array(bytes))
    const g = await call('repram_retrieve', { key: 'bin:1', encoding: 'base64' })
    expect(Buffer.from((g.structuredContent as { data: string }).data, 'base64')).toEqual(bytes)
    const asText = await call('repram_retrieve', { key: 'bin:1' })
    expect(asText.isError).toBe(true)
    expect(text(asText)).toContain('base64')
  })

  it('exists reports presence with its TTL, and absence as an answer', async () => {
    await call('repram_store', { data: 'alive', key: 'heartbeat:w1', ttl_seconds: 600 })
    const yes = await call('repram_exists', { key: 'heartbeat:w1' })
    expect(yes.isError).toBeFalsy()
    const y = yes.structuredContent as { exists: boolean; remaining_ttl_seconds: number; expires_at: string }
    expect(y.exists).toBe(true)
    expect(y.remaining_ttl_seconds).toBeGreaterThan(590)
    const no = await call('repram_exists', { key: 'heartbeat:nobody' })
    expect(no.isError).toBeFalsy()
    expect(no.structuredContent).toEqual({ exists: false })
  })

  it('retrieve of a missing key is a not_found tool error', async () => {
    const r = await call('repram_retrieve', { key: 'handoff:never' })
    expect(r.isError).toBe(true)
    expect(text(r)).toMatch(/^not_found: /)
  })

  it('lists keys by prefix, page by page through next_cursor', async () => {
    for (const k of ['state:a', 'state:b', 'state:c', 'stateless']) await call('repram_store', { data: 'queued', key: k })
    const p1 = await call('repram_list_keys', { prefix: 'state:', limit: 2 })
    expect(p1.structuredContent).toEqual({ keys: ['state:a', 'state:b'], next_cursor: 'state:b' })
    const p2 = await call('repram_list_keys', { prefix: 'state:', limit: 2, cursor: 'state:b' })
    expect(p2.structuredContent).toEqual({ keys: ['state:c'] })
    const none = await call('repram_list_keys', { prefix: 'nothing-here:' })
    expect(none.structuredContent).toEqual({ keys: [] })
  })

  it('turns bad arguments into tool errors a model can act on, and keeps serving', async () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['repram_store', {}, /data/],
      ['repram_store', { data: 42 }, /data must be a string/],
      ['repram_store', { data: 'x', ttl_seconds: 1.5 }, /whole number/],
      ['repram_store', { data: 'x', ttl_seconds: -3 }, /positive/],
      ['repram_store', { data: 'x', ttl_seconds: '60' }, /ttl_seconds must be a number/],
      ['repram_store', { data: 'x', key: '' }, /key must not be empty/],
      ['repram_store', { data: 'x', encoding: 'hex' }, /encoding must be "utf8" or "base64"/],
      ['repram_store', { data: 'not base64!', encoding: 'base64' }, /^invalid_request: data is not valid standard base64/],
      ['repram_store', { data: 'x', key: 'k'.repeat(65) }, /^key_too_long: /],
      ['repram_store', { data: 'x'.repeat(1025) }, /^value_too_large: /],
      ['repram_store', { data: 'x', key: '\ud800' }, /^invalid_key: /],
      ['repram_retrieve', { key: 'x', encoding: 'latin1' }, /encoding/],
      ['repram_list_keys', { limit: 0 }, /limit must be at least 1/],
      ['repram_list_keys', { limit: 5000 }, /at most 1000/],
      ['repram_exists', {}, /key/],
    ]
    for (const [name, args, pattern] of cases) {
      const r = await call(name, args)
      expect(r.isError, `${name} ${JSON.stringify(args)}`).toBe(true)
      expect(text(r)).toMatch(pattern)
    }
    const ok = await call('repram_exists', { key: 'heartbeat:w1' })
    expect(ok.isError).toBeFalsy()
  })
})
