/**
 * Loads the shared testnet (src/testnet.ts) the integration tests use, so the simulation runs the
 * same nodes they do. Resolved at run time relative to this compiled file (dist/scripts/sim → dist/src).
 */
import type { CreateTestnet } from './testnet-types.js'

export async function loadCreateTestnet(): Promise<CreateTestnet> {
  const path = '../../src/testnet.js'
  const mod = (await import(path)) as { createTestnet?: CreateTestnet }
  if (typeof mod.createTestnet !== 'function') throw new Error('src/testnet.ts does not export createTestnet')
  return mod.createTestnet
}
