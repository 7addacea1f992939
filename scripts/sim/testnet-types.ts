/**
 * The slice of the shared testnet (src/testnet.ts, `createTestnet`) the simulation uses, as agreed in
 * the interfaces brief. Declared here so this script type-checks on its own; `testnet.ts` in this
 * folder loads the real implementation.
 */
import type { Clock } from '../../src/node/clock.js'
import type { LogLevel, NodeConfig } from '../../src/node/config.js'
import type { RepramNode } from '../../src/node/repram-node.js'

export interface TestnetOptions {
  replication?: number
  processes?: boolean
  config?: Partial<NodeConfig>
  clock?: Clock
  logLevel?: LogLevel
}

export interface TestnetNode {
  readonly name: string
  readonly url: string
  readonly peerId: string
  readonly multiaddrs: string[]
  readonly node?: RepramNode
  readonly pid?: number
  stop(): Promise<void>
  kill(): Promise<void>
  pause?(): void
  resume?(): void
}

export interface Testnet {
  readonly nodes: TestnetNode[]
  add(options?: { config?: Partial<NodeConfig> }): Promise<TestnetNode>
  remove(node: TestnetNode, how: 'stop' | 'kill'): Promise<void>
  waitForMesh(options?: { timeoutMs?: number }): Promise<void>
  stop(): Promise<void>
}

export type CreateTestnet = (n: number, options?: TestnetOptions) => Promise<Testnet>
