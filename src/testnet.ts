/**
 * createTestnet: real REPRAM nodes on 127.0.0.1 — in this process (facade + gateway + libp2p each) or
 * as separate OS processes started through the real `repram node` command — for the integration tests
 * and scripts/simulate.ts alike. Every port is 0, every node uses the loopback profile, and `stop()`
 * stops everything it started.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { assembleNode } from './create-node.js'
import { Gateway } from './gateway/gateway.js'
import type { RepramNode } from './node/repram-node.js'
import type { MeshReplicator } from './replication/mesh-replicator.js'
import type { Clock } from './shared/clock.js'
import { systemClock } from './shared/clock.js'
import { type LogLevel, makeConfig, type NodeConfig } from './shared/config.js'
import { createLogger } from './shared/logger.js'
import type { MemoryStore } from './store/memory-store.js'

export interface TestnetOptions {
  /** R for every node, default 3. */
  replication?: number
  /** Nodes as separate OS processes through the real `repram node` (dist must be built). */
  processes?: boolean
  /** Applied to every node (ports are forced to 0, host 127.0.0.1). */
  config?: Partial<NodeConfig>
  /** In-process only. */
  clock?: Clock
  /** In-process only: a clock per node (by its name, `node-1`…), e.g. one that runs behind the others. */
  clockFor?: (name: string) => Clock | undefined
  /** Default 'warn'. */
  logLevel?: LogLevel
  /** Process mode: extra Node.js flags for each node (e.g. --cpu-prof). */
  nodeArgs?: string[]
}

/**
 * Typed waits and reads of a node's view of the mesh, so tests wait on the mesh instead of reaching
 * into libp2p's services. Those marked in-process only throw for a node that runs as a process.
 */
export interface TestnetNodeWaits {
  /** Peer ids of the members this node counts (in-process: its membership; a process: its /v1/topology). */
  members(): Promise<string[]>
  /** Resolves once this node counts at least `n` members; throws, naming the node and what it saw, at the timeout. */
  waitForMembers(n: number, timeoutMs?: number): Promise<void>
  /** In-process only (a process throws): the peers this node sees subscribed to the announcement topic. */
  gossipPeers(): string[]
  /** In-process only: resolves once this node sees at least `n` gossip peers; throws at the timeout. */
  waitForGossipPeers(n: number, timeoutMs?: number): Promise<void>
  /** In-process only: resolves once this node sees `peerId` subscribed to the announcement topic; throws at the timeout. */
  waitForGossipPeer(peerId: string, timeoutMs?: number): Promise<void>
  /** In-process only: this node's gossipsub score of `peerId` (negative once it has misbehaved). */
  gossipScore(peerId: string): number
  /** In-process only: how many peers this node's kad-dht routing table holds. */
  routingTableSize(): number
  /** In-process only: resolves once the routing table holds at least `n` peers; throws at the timeout. */
  waitForRoutingTable(n: number, timeoutMs?: number): Promise<void>
  /** In-process only: the `count` peers of the routing table closest to `point` (kad-dht's own order). */
  routingTableClosest(point: Uint8Array, count: number): string[]
}

export interface TestnetNode extends TestnetNodeWaits {
  readonly name: string
  readonly url: string
  readonly peerId: string
  readonly multiaddrs: string[]
  readonly node?: RepramNode
  readonly pid?: number
  /** In-process only: the mesh replicator (membership, directory, rebalancer) for white-box waits. */
  readonly replicator?: MeshReplicator
  /** In-process only: this node's store (to compare replicas' expiries). */
  readonly store?: MemoryStore
  stop(): Promise<void>
  kill(): Promise<void>
  pause?(): void
  resume?(): void
}

export interface Testnet {
  readonly nodes: TestnetNode[]
  /** `join: false` returns once the node listens, without waiting for it to join (a node that must not, e.g. with another cluster secret). */
  add(options?: { config?: Partial<NodeConfig>; join?: boolean }): Promise<TestnetNode>
  remove(node: TestnetNode, how: 'stop' | 'kill'): Promise<void>
  waitForMesh(options?: { timeoutMs?: number }): Promise<void>
  stop(): Promise<void>
}

/** How long a spawned node may take to print its listening lines. */
const PROCESS_START_TIMEOUT_MS = 30_000
/** A process that ignores SIGTERM this long is killed. */
const PROCESS_STOP_TIMEOUT_MS = 15_000
const DEFAULT_MESH_TIMEOUT_MS = 20_000
const POLL_MS = 50
/** Gossip peers a node must see (all of them in a smaller mesh) before add() returns or the mesh is formed: gossipsub's D. */
const JOIN_GOSSIP_PEERS = 6
/** Extra join time per live node: on 2 cores, the 50th node of one process connects to 49 busy peers. */
const JOIN_TIMEOUT_PER_NODE_MS = 500

/** What the waits read of gossipsub and kad-dht (the host types its services `any`). */
interface GossipScores {
  getScore(peerId: string): number
}
interface KadRoutingTable {
  readonly size: number
  closestPeers(point: Uint8Array, options: { count: number }): Array<{ toString(): string }>
}

/** Polls `cond` every POLL_MS until it holds; throws `${what()}` at the timeout. */
async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() >= deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what()}`)
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
}

/** The typed waits of a node: in-process ones read its replicator (and, for scores and the routing table, its libp2p services). */
function nodeWaits(name: string, members: () => Promise<string[]>, replicator?: MeshReplicator): TestnetNodeWaits {
  const inProcess = (what: string): MeshReplicator => {
    if (!replicator) throw new Error(`${name} runs as a process: ${what} is only readable in-process`)
    return replicator
  }
  const routingTable = (): KadRoutingTable => {
    const table = (inProcess('the routing table').libp2p?.services.dht as { routingTable?: KadRoutingTable } | undefined)?.routingTable
    if (!table) throw new Error(`${name} has no kad-dht routing table (not started?)`)
    return table
  }
  const gossipPeers = (): string[] => inProcess('gossip').gossipPeers()
  let seen: string[] = []
  return {
    members,
    waitForMembers: (n, timeoutMs = DEFAULT_MESH_TIMEOUT_MS) =>
      until(
        async () => {
          // A process that is busy or restarting answers later: keep the last view until the deadline.
          seen = await members().catch(() => seen)
          return seen.length >= n
        },
        timeoutMs,
        () => `${name} to count ${n} members (it counts ${seen.length})`,
      ),
    gossipPeers,
    waitForGossipPeers: (n, timeoutMs = DEFAULT_MESH_TIMEOUT_MS) =>
      until(
        () => gossipPeers().length >= n,
        timeoutMs,
        () => `${name} to see ${n} gossip peers (it sees ${gossipPeers().length})`,
      ),
    waitForGossipPeer: (peerId, timeoutMs = DEFAULT_MESH_TIMEOUT_MS) =>
      until(
        () => gossipPeers().includes(peerId),
        timeoutMs,
        () => `${name} to see ${peerId} subscribed to the announcement topic`,
      ),
    gossipScore: (peerId) => {
      const pubsub = inProcess('gossip').libp2p?.services.pubsub as GossipScores | undefined
      if (!pubsub) throw new Error(`${name} has no gossipsub (not started?)`)
      return pubsub.getScore(peerId)
    },
    routingTableSize: () => routingTable().size,
    waitForRoutingTable: (n, timeoutMs = DEFAULT_MESH_TIMEOUT_MS) =>
      until(
        () => routingTable().size >= n,
        timeoutMs,
        () => `${name}'s routing table to hold ${n} peers (it holds ${routingTable().size})`,
      ),
    routingTableClosest: (point, count) =>
      routingTable()
        .closestPeers(point, { count })
        .map((p) => p.toString()),
  }
}

/** The built bin: <root>/dist/src/cli/bin.js, from src/testnet.ts (vitest) or dist/src/testnet.js. */
function binPath(): string {
  const here = dirname(fileURLToPath(import.meta.url))
  const root = basename(dirname(here)) === 'dist' ? join(here, '..', '..') : join(here, '..')
  return join(root, 'dist', 'src', 'cli', 'bin.js')
}

function nodeConfig(name: string, peers: string[], options: TestnetOptions, extra: Partial<NodeConfig> = {}): NodeConfig {
  return makeConfig({
    writeTimeoutMs: 2_000,
    rateLimitPerSecond: 0,
    ...options.config,
    ...extra,
    nodeId: name,
    replication: extra.replication ?? options.config?.replication ?? options.replication ?? 3,
    httpHost: '127.0.0.1',
    httpPort: 0,
    gossipPort: 0,
    listen: ['/ip4/127.0.0.1/tcp/0'],
    peers,
    profile: 'loopback',
    standalone: false,
    logLevel: options.logLevel ?? 'warn',
  })
}

async function startInProcess(name: string, peers: string[], options: TestnetOptions, extra: Partial<NodeConfig>): Promise<TestnetNode> {
  const config = nodeConfig(name, peers, options, extra)
  const logger = createLogger(`repram:${name}`, { level: config.logLevel })
  const { node, mesh, store } = assembleNode(config, { clock: options.clockFor?.(name) ?? options.clock ?? systemClock, logger })
  if (!mesh) throw new Error('a testnet node is never standalone')
  const replicator = mesh
  await node.start()
  const gateway = new Gateway({ node, logger: logger.child('gateway') })
  await gateway.start()
  const id = replicator.identity()
  let done = false
  return {
    name,
    url: gateway.url,
    peerId: id.peerId,
    multiaddrs: id.multiaddrs,
    node,
    replicator,
    store,
    ...nodeWaits(name, async () => replicator.peers().map((p) => p.peer_id), replicator),
    async stop() {
      if (done) return
      done = true
      await gateway.stop()
      await node.stop()
    },
    async kill() {
      if (done) return
      done = true
      await replicator.stop({ handoff: false })
      await Promise.all([gateway.stop(), node.stop()])
    },
  }
}

const FLAG_OF: Partial<Record<keyof NodeConfig, (v: never) => [string, string] | undefined>> = {
  replication: (v: number) => ['--replication', String(v)],
  writeTimeoutMs: (v: number) => ['--write-timeout', String(Math.max(1, Math.ceil(v / 1000)))],
  minTtlSeconds: (v: number) => ['--min-ttl', String(v)],
  maxTtlSeconds: (v: number) => ['--max-ttl', String(v)],
  defaultTtlSeconds: (v: number) => ['--default-ttl', String(v)],
  enclave: (v: string) => ['--enclave', v],
  clusterSecret: (v: string) => ['--cluster-secret', v],
  keyFile: (v: string) => ['--key-file', v],
  maxStorageBytes: (v: number) => ['--max-storage-mb', String(Math.ceil(v / (1024 * 1024)))],
  maxValueBytes: (v: number) => ['--max-value-bytes', String(v)],
  maxKeyBytes: (v: number) => ['--max-key-bytes', String(v)],
  maxListKeys: (v: number) => ['--max-list-keys', String(v)],
  rateLimitPerSecond: (v: number) => ['--rate-limit', String(v)],
  address: (v: string) => ['--address', v],
}

function unquote(s: string): string {
  try {
    return JSON.parse(s) as string
  } catch {
    return s
  }
}

async function startProcess(name: string, peers: string[], options: TestnetOptions, extra: Partial<NodeConfig>): Promise<TestnetNode> {
  const merged: Partial<NodeConfig> = { writeTimeoutMs: 2_000, rateLimitPerSecond: 0, ...options.config, ...extra }
  if (merged.replication === undefined) merged.replication = options.replication ?? 3
  const args = [
    ...(options.nodeArgs ?? []),
    binPath(),
    'node',
    '--http-port',
    '0',
    '--gossip-port',
    '0',
    '--http-host',
    '127.0.0.1',
    '--node-id',
    name,
    '--profile',
    'loopback',
  ]
  args.push('--listen', '/ip4/127.0.0.1/tcp/0', '--log-level', options.logLevel === 'debug' ? 'debug' : 'info')
  if (peers.length > 0) args.push('--peers', peers.join(','))
  for (const [k, v] of Object.entries(merged)) {
    const f = FLAG_OF[k as keyof NodeConfig]
    if (f && v !== undefined) {
      const pair = (f as (x: unknown) => [string, string] | undefined)(v)
      if (pair) args.push(...pair)
    }
  }
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('REPRAM_')) env[k] = v
  const child: ChildProcess = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] })
  const tail: string[] = []
  let url = ''
  let peerId = ''
  let multiaddrs: string[] = []
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in time:\n${tail.join('\n')}`)), PROCESS_START_TIMEOUT_MS)
    let buf = ''
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      buf += chunk
      let i = buf.indexOf('\n')
      while (i >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 1)
        tail.push(line)
        if (tail.length > 200) tail.shift()
        if (options.logLevel === 'debug') process.stderr.write(`[${name}] ${line}\n`)
        const g = /gateway listening url=("[^"]*"|\S+)/.exec(line)
        if (g) url = unquote(g[1])
        const l = /libp2p listening peer_id=("[^"]*"|\S+) multiaddrs=("[^"]*"|\S+)/.exec(line)
        if (l) {
          peerId = unquote(l[1])
          multiaddrs = unquote(l[2])
            .split(',')
            .filter((a) => a.length > 0)
        }
        if (url && peerId) {
          clearTimeout(timer)
          resolve()
        }
        i = buf.indexOf('\n')
      }
    })
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`${name} exited with ${code} before it listened:\n${tail.join('\n')}`))
    })
  })
  const pid = child.pid as number
  let done = false
  const waitExit = async (ms: number): Promise<void> => {
    const t = setTimeout(() => child.kill('SIGKILL'), ms)
    await exited
    clearTimeout(t)
  }
  return {
    name,
    url,
    peerId,
    multiaddrs,
    pid,
    ...nodeWaits(name, () => topologyPeers(url)),
    async stop() {
      if (done) return
      done = true
      child.kill('SIGCONT')
      child.kill('SIGTERM')
      await waitExit(PROCESS_STOP_TIMEOUT_MS)
    },
    async kill() {
      if (done) return
      done = true
      child.kill('SIGKILL')
      await waitExit(PROCESS_STOP_TIMEOUT_MS)
    },
    pause() {
      child.kill('SIGSTOP')
    },
    resume() {
      child.kill('SIGCONT')
    },
  }
}

async function topologyPeers(url: string): Promise<string[]> {
  const res = await fetch(`${url}/v1/topology`, { signal: AbortSignal.timeout(2_000) })
  const body = (await res.json()) as { peers: Array<{ peer_id: string }> }
  return body.peers.map((p) => p.peer_id)
}

export async function createTestnet(n: number, options: TestnetOptions = {}): Promise<Testnet> {
  const nodes: TestnetNode[] = []
  let counter = 0
  const start = async (extra: Partial<NodeConfig> = {}, join = true): Promise<TestnetNode> => {
    const name = `node-${++counter}`
    // Bootstrap from every live node: the mesh forms in one round of dials instead of DHT walks.
    const peers = nodes.map((x) => x.multiaddrs.find((a) => a.includes('/127.0.0.1/')) ?? x.multiaddrs[0]).filter((a): a is string => a !== undefined)
    const node = options.processes ? await startProcess(name, peers, options, extra) : await startInProcess(name, peers, options, extra)
    nodes.push(node)
    if (!join) return node
    try {
      await joined(node, DEFAULT_MESH_TIMEOUT_MS + JOIN_TIMEOUT_PER_NODE_MS * nodes.length)
    } catch (err) {
      nodes.splice(nodes.indexOf(node), 1)
      await node.kill().catch(() => {})
      throw err
    }
    return node
  }
  /** Whether `x` counts `peerId` as a member: O(1) in-process, through /v1/topology for a process. */
  const knower = async (x: TestnetNode): Promise<(peerId: string) => boolean> => {
    const r = x.replicator
    if (r) return (peerId) => r.membership.get(peerId) !== undefined
    const known = new Set(await topologyPeers(x.url).catch(() => []))
    return (peerId) => known.has(peerId)
  }
  /**
   * A new node has joined when it says so (in-process), knows every live node and every live node
   * knows it (membership and the gossip topic): only then does add() return, so nothing is served
   * from a partial view and the others place keys on it. Polled every POLL_MS, so each check is a
   * map lookup per node, not a copy of every node's member list (50 nodes: 2,500 per poll).
   */
  const joined = async (node: TestnetNode, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs
    if (node.replicator && !(await node.replicator.whenJoined(timeoutMs))) throw new Error(`${node.name} did not join in time`)
    let why = ''
    for (;;) {
      let ok = true
      const mine = await knower(node)
      for (const y of nodes) {
        if (y === node) continue
        const theirs = await knower(y)
        if (!mine(y.peerId) || !theirs(node.peerId)) {
          why = `${node.name} knows ${y.name}: ${mine(y.peerId)}; ${y.name} knows ${node.name}: ${theirs(node.peerId)}`
          ok = false
          break
        }
      }
      // Announcements reach it once its gossip subscriptions are exchanged (both sides send theirs as
      // a stream opens); waiting for every subscriber can take seconds on a loaded 50-node host, and an
      // announcement it misses meanwhile comes back through IHAVE gossip, so a few peers suffice.
      const others = nodes.length - 1
      const gossip = ok ? node.replicator?.gossipPeers() : undefined
      if (gossip !== undefined && gossip.length < Math.min(JOIN_GOSSIP_PEERS, others)) {
        why = `${node.name} sees ${gossip.length} gossip peers`
        ok = false
      }
      if (ok) return
      if (Date.now() > deadline) throw new Error(`${node.name} did not join the mesh in time (${why})`)
      await new Promise((r) => setTimeout(r, POLL_MS))
    }
  }
  const net: Testnet = {
    nodes,
    add: (o = {}) => start(o.config, o.join ?? true),
    async remove(node, how) {
      const i = nodes.indexOf(node)
      if (i >= 0) nodes.splice(i, 1)
      await (how === 'kill' ? node.kill() : node.stop())
    },
    async waitForMesh(o = {}) {
      const deadline = Date.now() + (o.timeoutMs ?? DEFAULT_MESH_TIMEOUT_MS)
      let why = ''
      for (;;) {
        let ok = true
        for (const x of nodes) {
          const others = nodes.filter((y) => y !== x).map((y) => y.peerId)
          let known: string[]
          let gossip: string[] | undefined
          if (x.replicator) {
            known = x.replicator.peers().map((p) => p.peer_id)
            gossip = x.replicator.gossipPeers()
          } else {
            known = await topologyPeers(x.url).catch(() => [])
          }
          // Every member known; gossip: every peer in a small mesh, at least gossipsub's D in a large one
          // (announcements travel over its mesh, not over direct subscriptions to every peer).
          const gossipOk = gossip === undefined || gossip.filter((p) => others.includes(p)).length >= Math.min(JOIN_GOSSIP_PEERS, others.length)
          if (!gossipOk || !others.every((p) => known.includes(p))) {
            why = `${x.name}: ${others.filter((p) => !known.includes(p)).length} members unknown, ${gossip?.length ?? '?'} gossip peers`
            ok = false
            break
          }
        }
        if (ok) return
        if (Date.now() > deadline) throw new Error(`the testnet did not form a full mesh in time (${why})`)
        await new Promise((r) => setTimeout(r, POLL_MS))
      }
    },
    async stop() {
      const all = nodes.splice(0)
      await Promise.all(all.map((x) => x.stop().catch(() => {})))
    },
  }
  try {
    for (let i = 0; i < n; i++) await start()
  } catch (err) {
    await net.stop()
    throw err
  }
  return net
}
