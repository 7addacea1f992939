import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NotFoundError } from '../../src/shared/errors.js'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { waitFor } from '../helpers/wait-for.js'
import { call, connectStdio, type StdioMcp } from './mcp-harness.js'

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
    // Both testnet nodes count the MCP's embedded node as a member.
    for (const n of net.nodes) await n.waitForMembers(2, 20_000)

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
    await waitFor(readable, { timeoutMs: 20_000, intervalMs: 100, what: 'the MCP-stored key to be readable on node-2' })

    await first.put('handoff:mesh:2', new TextEncoder().encode('from the mesh'), { ttlSeconds: 600 })
    const viaMcp = async (): Promise<boolean> => {
      const r = await call(mcp.client, 'repram_retrieve', { key: 'handoff:mesh:2' })
      return !r.isError && (r.structuredContent as { data: string }).data === 'from the mesh'
    }
    await waitFor(viaMcp, { timeoutMs: 20_000, intervalMs: 100, what: 'the mesh-stored key to be retrievable through MCP' })
    expect(mcp.transportErrors).toEqual([])
  })
})
