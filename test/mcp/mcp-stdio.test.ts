import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createNode } from '../../src/create-node.js'
import { Gateway } from '../../src/gateway/gateway.js'
import type { RepramNode } from '../../src/node/repram-node.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'
import { BIN, call, childEnv, connectStdio, ROOT, type StdioMcp, text } from './mcp-harness.js'

/** Exercises every tool through a real `repram mcp` child; `remote` says whether values land in `node`. */
function toolSuite(getMcp: () => StdioMcp, getNode: () => RepramNode | undefined) {
  it('lists the four tools', async () => {
    const { tools } = await getMcp().client.listTools()
    expect(tools.map((t) => t.name).sort()).toEqual(['repram_exists', 'repram_list_keys', 'repram_retrieve', 'repram_store'])
  })

  it('stores, retrieves, probes and lists', async () => {
    const { client } = getMcp()
    const s = await call(client, 'repram_store', { data: 'in progress', key: 'state:job-1', ttl_seconds: 100_000 })
    expect(s.isError).toBeFalsy()
    expect(s.structuredContent).toMatchObject({ key: 'state:job-1', ttl_seconds: 86_400, replicas: 1 })
    const node = getNode()
    if (node) expect(new TextDecoder().decode((await node.get('state:job-1')).value)).toBe('in progress')
    const g = await call(client, 'repram_retrieve', { key: 'state:job-1' })
    expect(g.structuredContent).toMatchObject({ data: 'in progress' })
    expect((g.structuredContent as { remaining_ttl_seconds: number }).remaining_ttl_seconds).toBeGreaterThan(86_000)
    expect((await call(client, 'repram_exists', { key: 'state:job-1' })).structuredContent).toMatchObject({ exists: true })
    expect((await call(client, 'repram_exists', { key: 'state:job-0' })).structuredContent).toEqual({ exists: false })
    await call(client, 'repram_store', { data: 'queued', key: 'state:job-2' })
    const l = await call(client, 'repram_list_keys', { prefix: 'state:', limit: 1 })
    expect(l.structuredContent).toEqual({ keys: ['state:job-1'], next_cursor: 'state:job-1' })
    const l2 = await call(client, 'repram_list_keys', { prefix: 'state:', cursor: 'state:job-1' })
    expect(l2.structuredContent).toEqual({ keys: ['state:job-2'] })
  })

  it('round-trips binary through base64 and keys with slashes and unicode', async () => {
    const { client } = getMcp()
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    const key = 'handoff:a/b%2F c:→ü'
    const s = await call(client, 'repram_store', { data: bytes.toString('base64'), key, encoding: 'base64' })
    expect(s.isError, text(s)).toBeFalsy()
    const g = await call(client, 'repram_retrieve', { key, encoding: 'base64' })
    expect(Buffer.from((g.structuredContent as { data: string }).data, 'base64')).toEqual(bytes)
    const node = getNode()
    if (node) expect(Buffer.from((await node.get(key)).value)).toEqual(bytes)
  })

  it('answers bad arguments and misses with tool errors, and keeps running', async () => {
    const { client } = getMcp()
    const bad = await call(client, 'repram_store', { data: 'x', ttl_seconds: 0 })
    expect(bad.isError).toBe(true)
    expect(text(bad)).toMatch(/ttl_seconds/)
    const miss = await call(client, 'repram_retrieve', { key: 'handoff:nothing' })
    expect(miss.isError).toBe(true)
    expect(text(miss)).toMatch(/^not_found: /)
    const b64 = await call(client, 'repram_store', { data: '%%%', encoding: 'base64' })
    expect(text(b64)).toMatch(/^invalid_request: /)
    expect((await call(client, 'repram_exists', { key: 'state:job-1' })).isError).toBeFalsy()
    expect(getMcp().transportErrors).toEqual([])
  })
}

describe('repram mcp on stdio, embedded node', () => {
  let mcp: StdioMcp
  beforeAll(async () => {
    mcp = await connectStdio({})
  })
  afterAll(async () => {
    await mcp?.close()
  })
  toolSuite(
    () => mcp,
    () => undefined,
  )
  it('logs to stderr that it runs an embedded node', () => {
    expect(mcp.stderr()).toContain('mcp server ready mode="embedded"')
    expect(mcp.stderr()).toContain('mesh=false')
  })
})

describe('repram mcp on stdio, REPRAM_URL mode', () => {
  let node: RepramNode
  let gateway: Gateway
  let mcp: StdioMcp
  beforeAll(async () => {
    node = createNode(makeConfig({ standalone: true, httpPort: 0, gossipPort: 0, rateLimitPerSecond: 0 }), { logger: silentLogger })
    await node.start()
    gateway = new Gateway({ node, logger: silentLogger }, { host: '127.0.0.1', port: 0 })
    await gateway.start()
    mcp = await connectStdio({ REPRAM_URL: gateway.url })
  })
  afterAll(async () => {
    await mcp?.close()
    await gateway?.stop()
    await node?.stop()
  })
  toolSuite(
    () => mcp,
    () => node,
  )
  it('starts no node of its own', () => {
    expect(mcp.stderr()).toContain('mcp server ready mode="remote"')
  })
  it('reports an unreachable gateway as a tool error', async () => {
    const dead = await connectStdio({ REPRAM_URL: 'http://127.0.0.1:9' })
    try {
      const r = await call(dead.client, 'repram_retrieve', { key: 'x' })
      expect(r.isError).toBe(true)
      expect(text(r)).toMatch(/^unreachable: /)
    } finally {
      await dead.close()
    }
  })
})

describe('repram mcp stdout', () => {
  it('carries nothing but JSON-RPC, even at debug log level, and exits 0 when stdin closes', async () => {
    // A real libp2p node (REPRAM_GOSSIP_PORT given), the likeliest source of a stray write to stdout.
    const child = spawn(process.execPath, [BIN, 'mcp'], { cwd: ROOT, env: childEnv({ REPRAM_GOSSIP_PORT: '0' }), stdio: ['pipe', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8')
    })
    const replies = new Map<number, unknown>()
    const waiters = new Map<number, () => void>()
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8')
      for (const line of out.split('\n').slice(0, -1)) {
        const msg = JSON.parse(line) as { id?: number }
        if (typeof msg.id === 'number' && !replies.has(msg.id)) {
          replies.set(msg.id, msg)
          waiters.get(msg.id)?.()
        }
      }
    })
    const send = (msg: object): void => {
      child.stdin.write(`${JSON.stringify(msg)}\n`)
    }
    const reply = (id: number): Promise<void> => (replies.has(id) ? Promise.resolve() : new Promise<void>((resolve) => waiters.set(id, resolve)))
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    })
    await reply(1)
    send({ jsonrpc: '2.0', method: 'notifications/initialized' })
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list' })
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'repram_store', arguments: { data: 'v', key: 'scratch:raw' } } })
    send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'repram_store', arguments: { data: 5 } } })
    send({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } })
    send({ jsonrpc: '2.0', id: 6, method: 'tools/call', params: { name: 'repram_retrieve', arguments: { key: 'scratch:raw' } } })
    await Promise.all([2, 3, 4, 5, 6].map(reply))
    child.stdin.end()
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
    const lines = out.split('\n')
    expect(lines.pop()).toBe('')
    for (const line of lines) expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' })
    expect(lines).toHaveLength(6)
    expect(JSON.stringify(replies.get(6))).toContain('\\"data\\":\\"v\\"')
    expect(err).toContain('mcp server ready mode="embedded"')
    expect(err).toContain('mesh=true')
    expect(err).toContain('mcp server stopping')
  })
})

describe('repram mcp configuration errors', () => {
  it('exits 2 with a sentence on stderr and nothing on stdout for a bad REPRAM_URL or setting', async () => {
    const badEnvs: Record<string, string>[] = [{ REPRAM_URL: 'not a url' }, { REPRAM_MIN_TTL: 'soon' }]
    for (const env of badEnvs) {
      const child = spawn(process.execPath, [BIN, 'mcp'], { cwd: ROOT, env: childEnv(env), stdio: ['pipe', 'pipe', 'pipe'] })
      let out = ''
      let err = ''
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString('utf8')
      })
      child.stderr.on('data', (d: Buffer) => {
        err += d.toString('utf8')
      })
      const [code] = await once(child, 'exit')
      expect(code, err).toBe(2)
      expect(out).toBe('')
      expect(err).toMatch(/REPRAM_(URL|MIN_TTL)/)
    }
  })
})
