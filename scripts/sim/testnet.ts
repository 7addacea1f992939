/**
 * The shared testnet (src/testnet.ts, `createTestnet`) the integration tests use, so the simulation
 * runs the same nodes they do. Loaded on demand, so `--help` and usage errors do not start libp2p.
 */
import type { CreateTestnet } from './testnet-types.js'

export async function loadCreateTestnet(): Promise<CreateTestnet> {
  const mod = await import('../../src/testnet.js')
  return mod.createTestnet
}
