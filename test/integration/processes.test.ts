import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { compareDistance, keyPoint, peerPoint } from '../../src/placement/xor-distance.js'
import { createTestnet, type Testnet, type TestnetNode } from '../../src/testnet.js'
import { waitFor } from '../helpers/wait-for.js'
import { get, put, statusKeys, totalKeys } from './helpers.js'

const R = 3

/** The key's R replicas among `nodes`, closest first (same arithmetic as the nodes). */
function replicasOf(key: string, nodes: TestnetNode[]): TestnetNode[] {
  const t = keyPoint(key)
  return [...nodes].sort((a, b) => compareDistance(t, peerPoint(a.peerId), peerPoint(b.peerId))).slice(0, R)
}

describe('nodes as OS processes through `repram node` (R = 3)', () => {
  let net: Testnet
  let dir: string
  const keys = Array.from({ length: 12 }, (_, i) => `proc/k${i}`)

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'repram-proc-'))
    net = await createTestnet(3, { processes: true, replication: R, config: { minTtlSeconds: 1, writeTimeoutMs: 1_000 } })
    await net.add({ config: { keyFile: join(dir, 'node-4.key') } })
    await net.waitForMesh()
  })
  afterAll(async () => {
    for (const n of net?.nodes ?? []) n.resume?.()
    await net?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('stores each key on exactly R processes and reads it from every one', async () => {
    for (const [i, k] of keys.entries()) expect((await put(net.nodes[i % 4].url, k, `v${i}`, 600)).status).toBe(201)
    await waitFor(async () => (await totalKeys(net)) === R * keys.length, { timeoutMs: 5_000, what: `${R * keys.length} copies in all` })
    for (const n of net.nodes) for (const [i, k] of keys.entries()) expect((await get(n.url, k)).text).toBe(`v${i}`)
  })

  it('answers 202 with two of three replicas paused (SIGSTOP), and the value is readable once they resume', async () => {
    const key = 'proc/paused'
    const reps = replicasOf(key, net.nodes)
    const writer = net.nodes.find((n) => !reps.includes(n)) as TestnetNode
    reps[0].pause?.()
    reps[1].pause?.()
    let r: Awaited<ReturnType<typeof put>>
    try {
      r = await put(writer.url, key, 'patient', 600)
    } finally {
      reps[0].resume?.()
      reps[1].resume?.()
    }
    expect(r.status).toBe(202)
    expect(r.body.replicas).toBe(1)
    expect(r.body.quorum).toBe(2)
    for (const n of net.nodes) {
      await waitFor(async () => (await get(n.url, key)).text === 'patient', { timeoutMs: 15_000, what: `${n.name} to read ${key}` })
    }
    for (const n of reps) await waitFor(async () => (await statusKeys(n.url)) >= 1, { timeoutMs: 5_000, what: `resumed replica ${n.name} to hold a key` })
  })

  it('keeps serving after kill -9 of a replica and restores R copies within 10 s', async () => {
    const before = await totalKeys(net)
    const victim = net.nodes[1]
    const lost = await statusKeys(victim.url)
    expect(lost).toBeGreaterThan(0)
    await net.remove(victim, 'kill')
    for (const n of net.nodes) for (const [i, k] of keys.entries()) expect((await get(n.url, k)).text).toBe(`v${i}`)
    const started = Date.now()
    // 3 survivors, R = 3: every survivor now holds every key.
    await waitFor(async () => (await totalKeys(net)) === before, { timeoutMs: 10_000, what: `the survivors to restore ${before} copies` })
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('a stopped-and-restarted node (same key file) brings back no expired or overwritten value', async () => {
    const keyed = net.nodes.find((n) => n.name === 'node-4') as TestnetNode
    const peerId = keyed.peerId
    expect((await put(net.nodes[0].url, 'proc/over', 'old', 600)).status).toBe(201)
    expect((await put(net.nodes[0].url, 'proc/short', 'brief', 1)).status).toBe(201)
    await waitFor(async () => (await get(keyed.url, 'proc/over')).text === 'old', { timeoutMs: 5_000, what: `${keyed.name} to read proc/over` })
    await net.remove(keyed, 'stop')
    expect([201, 202]).toContain((await put(net.nodes[0].url, 'proc/over', 'new', 600)).status)
    await waitFor(async () => (await get(net.nodes[0].url, 'proc/short')).status === 404, { timeoutMs: 5_000, what: 'proc/short to expire' })
    const back = await net.add({ config: { keyFile: join(dir, 'node-4.key') } })
    expect(back.peerId).toBe(peerId)
    await net.waitForMesh()
    for (const n of net.nodes) {
      expect((await get(n.url, 'proc/over')).text).toBe('new')
      expect((await get(n.url, 'proc/short')).status).toBe(404)
    }
  })
})
