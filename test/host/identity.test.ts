import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { afterAll, describe, expect, it } from 'vitest'
import { loadOrCreateIdentity } from '../../src/host/identity.js'
import { toDialAddress } from '../../src/host/peer-addresses.js'
import { pskFromSecret } from '../../src/host/psk.js'

describe('identity key file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'repram-id-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('is created with mode 0600 on first start and reused after (same peer id)', async () => {
    const file = join(dir, 'node.key')
    const first = await loadOrCreateIdentity(file)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const again = await loadOrCreateIdentity(file)
    expect(peerIdFromPrivateKey(again).toString()).toBe(peerIdFromPrivateKey(first).toString())
  })

  it('refuses a corrupt file with a ConfigError instead of making a new identity', async () => {
    const file = join(dir, 'corrupt.key')
    writeFileSync(file, 'not a key at all')
    await expect(loadOrCreateIdentity(file)).rejects.toMatchObject({ code: 'config_invalid', variable: 'REPRAM_KEY_FILE' })
  })

  it('refuses an unreadable path (a directory) with a ConfigError', async () => {
    await expect(loadOrCreateIdentity(dir)).rejects.toMatchObject({ code: 'config_invalid' })
  })
})

describe('host helpers', () => {
  it('derives the same pnet key from the same secret and a different one otherwise', () => {
    const a = new TextDecoder().decode(pskFromSecret('correct horse battery staple'))
    expect(a).toMatch(/^\/key\/swarm\/psk\/1\.0\.0\/\n\/base16\/\n[0-9a-f]{64}$/)
    expect(pskFromSecret('correct horse battery staple')).toEqual(pskFromSecret('correct horse battery staple'))
    expect(pskFromSecret('another secret of length')).not.toEqual(pskFromSecret('correct horse battery staple'))
  })

  it('turns host:port bootstrap peers into dialable multiaddrs', () => {
    expect(toDialAddress('127.0.0.1:9090').toString()).toBe('/ip4/127.0.0.1/tcp/9090')
    expect(toDialAddress('seed.example.org:4001').toString()).toBe('/dns/seed.example.org/tcp/4001')
    expect(toDialAddress('[::1]:9090').toString()).toBe('/ip6/::1/tcp/9090')
    expect(toDialAddress('/ip4/10.0.0.1/tcp/1').toString()).toBe('/ip4/10.0.0.1/tcp/1')
  })
})
