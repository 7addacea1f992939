import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestnet, type Testnet } from '../../src/testnet.js'
import { waitFor } from '../helpers/wait-for.js'
import { get, put } from './helpers.js'

describe('graceful leave', () => {
  let net: Testnet
  beforeAll(async () => {
    net = await createTestnet(5, { replication: 3 })
    await net.waitForMesh()
  })
  afterAll(async () => {
    await net?.stop()
  })

  it('a rolling restart of every node under a steady write load loses no acknowledged key', async () => {
    const acked = new Map<string, string>()
    let writing = true
    let i = 0
    const writer = (async () => {
      while (writing) {
        const live = net.nodes
        const n = live[i % live.length]
        const key = `roll/${i}`
        const value = `v${i}`
        i++
        try {
          const r = await put(n.url, key, value, 600)
          if (r.status === 201) acked.set(key, value)
        } catch {
          // the node we picked was just stopping: not acknowledged, not counted
        }
      }
    })()
    const originals = [...net.nodes]
    for (const old of originals) {
      await net.remove(old, 'stop')
      await net.add()
      await net.waitForMesh()
    }
    // Restarts can be quicker than 20 writes: keep the load on until the check has enough keys.
    await waitFor(() => acked.size > 20, { timeoutMs: 10_000, what: () => `more than 20 acknowledged writes (${acked.size} so far)` })
    writing = false
    await writer
    const reader = net.nodes[0]
    const missing: string[] = []
    for (const [k, v] of acked) {
      // Every acknowledged key is checked; the ones never readable are reported together.
      await waitFor(async () => (await get(reader.url, k)).text === v, { timeoutMs: 5_000, what: `${reader.name} to read ${k}` }).catch(() => missing.push(k))
    }
    expect(missing).toEqual([])
  })
})
