import { afterEach, describe, expect, it } from 'vitest'
import { createNode } from '../../src/create-node.js'
import type { RepramNode } from '../../src/node/repram-node.js'
import { makeConfig } from '../../src/shared/config.js'
import { silentLogger } from '../../src/shared/logger.js'

describe('REPRAM_ADDRESS', () => {
  let node: RepramNode | undefined
  afterEach(async () => {
    await node?.stop()
  })

  it('announces the given host with the port the socket really got (also with port 0), and status shows it', async () => {
    node = createNode(makeConfig({ gossipPort: 0, listen: ['/ip4/127.0.0.1/tcp/0'], address: 'repram.example.org', profile: 'loopback' }), {
      logger: silentLogger,
    })
    await node.start()
    const status = node.status()
    expect(status.multiaddrs.length).toBeGreaterThan(0)
    for (const a of status.multiaddrs) expect(a).toMatch(new RegExp(`^/dns/repram\\.example\\.org/tcp/[1-9]\\d*/p2p/${status.peer_id}$`))
  })
})
