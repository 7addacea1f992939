/**
 * The facade's one read (`read`), promise-free: it answers only where this node's own store is the
 * key's whole truth (a mesh of one), and defers to the mesh read otherwise; hits and misses are counted.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { NotFoundError } from '../../src/shared/errors.js'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { type Harness, startHarness } from '../gateway/harness.js'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)

describe('read on a mesh of one', () => {
  let h: Harness | undefined
  afterEach(async () => {
    await h?.stop()
    h = undefined
  })

  it('answers from the store, throws NotFoundError on a miss and after expiry, and counts both', async () => {
    h = await startHarness()
    const put = await h.node.put('drop/a', enc('hello'), { ttlSeconds: 600 })
    const got = h.node.read('drop/a')
    if (got instanceof Promise) throw new Error('a mesh of one answers without a promise')
    expect(new TextDecoder().decode(got?.value)).toBe('hello')
    expect(got?.etag).toBe(put.etag)
    expect(got?.ttl).toBe(600)
    const head = h.node.read('drop/a', { metaOnly: true })
    if (head instanceof Promise) throw new Error('a mesh of one answers without a promise')
    expect(head?.size).toBe(5)
    expect(head?.etag).toBe(put.etag)
    expect(() => h?.node.read('drop/missing')).toThrow(NotFoundError)
    h.clock.advance(600_000)
    expect(() => h?.node.read('drop/a')).toThrow(NotFoundError)
    expect(() => h?.node.read('drop/a', { metaOnly: true })).toThrow(NotFoundError)
    const text = await h.node.registry.metrics()
    expect(text).toContain('repram_reads_total{outcome="hit"} 2')
    expect(text).toContain('repram_reads_total{outcome="miss"} 3')
    expect(text).toContain('repram_writes_total{outcome="confirmed"} 1')
  })
})

describe('read on a mesh', () => {
  let net: Testnet | undefined
  afterEach(async () => {
    await net?.stop()
    net = undefined
  })

  it('defers to the mesh read on every node when a key has R = 3 replicas', async () => {
    net = await createTestnet(3, { replication: 3 })
    await net.waitForMesh()
    const writer = net.nodes[0].node
    if (!writer) throw new Error('in-process testnet nodes expose their facade')
    await writer.put('mesh/fast', enc('v'), { ttlSeconds: 600 })
    for (const n of net.nodes) {
      expect(n.node?.read('mesh/fast')).toBeInstanceOf(Promise)
      expect(n.node?.read('mesh/fast', { metaOnly: true })).toBeInstanceOf(Promise)
      const rec = await n.node?.get('mesh/fast')
      expect(new TextDecoder().decode(rec?.value)).toBe('v')
    }
  })
})
