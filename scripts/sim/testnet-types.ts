/**
 * The testnet types the simulation uses: those of src/testnet.ts itself (type-only, so importing them
 * loads no libp2p; `testnet.ts` in this folder loads the implementation on demand).
 */
import type { createTestnet } from '../../src/testnet.js'

export type { Testnet, TestnetNode, TestnetOptions } from '../../src/testnet.js'
export type CreateTestnet = typeof createTestnet
