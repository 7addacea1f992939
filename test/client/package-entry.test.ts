import { describe, expect, it } from 'vitest'
import * as repram from '../../src/index.js'

describe('package entry', () => {
  it('exports the client, the node, its config, the gateway, the testnet and the named errors', async () => {
    for (const name of [
      'RepramClient',
      'createNode',
      'makeConfig',
      'loadConfig',
      'Gateway',
      'createTestnet',
      'createMcpServer',
      'NotFoundError',
      'UnreachableError',
      'RepramError',
      'createLogger',
    ]) {
      expect(typeof (repram as Record<string, unknown>)[name], name).toBe('function')
    }
    const node = repram.createNode(repram.makeConfig({ standalone: true }))
    await node.start()
    const gateway = new repram.Gateway({ node, logger: repram.silentLogger }, { port: 0 })
    await gateway.start()
    try {
      const client = new repram.RepramClient(gateway.url)
      await client.put('entry:1', 'ok')
      expect(new TextDecoder().decode((await client.get('entry:1')).value)).toBe('ok')
      await expect(client.get('entry:2')).rejects.toBeInstanceOf(repram.NotFoundError)
    } finally {
      await gateway.stop()
      await node.stop()
    }
  })
})
