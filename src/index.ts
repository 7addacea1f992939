/**
 * The `repram-mesh` package entry (its command is `repram`). Programs talk to a running gateway with `RepramClient`, or embed a node
 * with `createNode(makeConfig(...))` / `createNode(loadConfig(process.env))`. Errors are the same named
 * classes whichever way you reach REPRAM; each carries a stable `code`.
 */
import './polyfill.js'

export * from './client/index.js'
export { type AssembledNode, assembleNode, type CreateNodeOptions, createNode } from './create-node.js'
export { Gateway, type GatewayInit } from './gateway/gateway.js'
export { createMcpServer } from './mcp/create-mcp-server.js'
export type { RepramNode } from './node/repram-node.js'
export type * from './node/types.js'
export { DEFAULT_CONFIG, loadConfig, makeConfig, type NodeConfig } from './shared/config.js'
export { ERROR_TABLE } from './shared/error-table.js'
export * from './shared/errors.js'
export { createLogger, type Logger, silentLogger } from './shared/logger.js'
export { createTestnet, type Testnet, type TestnetNode, type TestnetOptions } from './testnet.js'
