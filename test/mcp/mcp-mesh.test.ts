import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NotFoundError } from '../../src/shared/errors.js'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { call, connectStdio, type StdioMcp } from './mcp-harness.js'

/** Polls `cond` until it holds or the deadline passes. */
async function until(cond: () => Promise<boolean> | boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await cond()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return cond()
}

describe('repram mcp embedded node joining a mesh (REPRAM_PEERS)', () => {
  let net: Testnet
  let mcp: StdioMcp

  beforeAll(async () => {
    net = await createTestnet(2, { replication: 3 })
    await net.waitForMesh()
    mcp = await connectStdio({ REPRAM_PEERS: net.nodes[0].multiaddrs[0], REPRAM_PROFILE: 'loopback', REPRAM_LOG_LEVEL: 'warn' })
  })

  afterAll(async () => {
    await mcp?.close()
    await net?.stop()
  })

  it('joins, and what it stores is readable on the other nodes (and the other way round)', async () => {
    const first = net.nodes[0].node
    const second = net.nodes[1].node
    if (!first || !second) throw new Error('in-process testnet expected')
    expect(await until(() => first.status().peers >= 2 && second.status().peers >= 2, 20_000)).toBe(true)

    const s = await call(mcp.client, 'repram_store', { data: 'from the agent', key: 'handoff:mesh:1', ttl_seconds: 600 })
    expect(s.isError).toBeFalsy()
    const readable = async (): Promise<boolean> => {
      try {
        return new TextDecoder().decode((await second.get('handoff:mesh:1')).value) === 'from the agent'
      } catch (err) {
        if (err instanceof NotFoundError) return false
        throw err
      }
    }
    expect(await until(readable, 20_000)).toBe(true)

    await first.put('handoff:mesh:2', new TextEncoder().encode('from the mesh'), { ttlSeconds: 600 })
    const viaMcp = async (): Promise<boolean> => {
      const r = await call(mcp.client, 'repram_retrieve', { key: 'handoff:mesh:2' })
      return !r.isError && (r.structuredContent as { data: string }).data === 'from the mesh'
    }
    expect(await until(viaMcp, 20_000)).toBe(true)
    expect(mcp.transportErrors).toEqual([])
  })
})
