/**
 * The nodes of one scenario: real `repram node` processes on 127.0.0.1 (loopback profile) or each in
 * its own namespace of a NetLab (standard profile), started, hurt and stopped through FaultNode, with
 * one recording client per node incarnation. Every fault goes through here so it lands in the
 * history. Waits poll the nodes' own HTTP reports with a deadline.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import type { Agent } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { StatusReport, TopologyReport } from '../../src/node/types.js'
import { onCleanup } from './cleanup.js'
import { NodeClient, type Recorder } from './client.js'
import { FaultNode, type NodeSpec } from './fault-node.js'
import { getJson, newAgent } from './http.js'
import type { NetLab } from './netns.js'
import { pollUntil } from './poll.js'

/** How long a started node may take to be known by every running node and know them all. */
export const JOIN_TIMEOUT_MS = 30_000

export interface ClusterInit {
  recorder: Recorder
  lab?: NetLab
  replication?: number
  writeTimeoutS?: number
}

export interface AddOptions {
  env?: Record<string, string>
  /** Keep the identity in a key file (restart with the same peer id). */
  keyFile?: boolean
  /** Wait until the node and the mesh know each other (default true). */
  join?: boolean
  /** Part of the mesh a scenario starts from: an event, not a fault (start() sets it). */
  initial?: boolean
}

export class Cluster {
  readonly nodes: FaultNode[] = []
  readonly rec: Recorder
  readonly lab: NetLab | undefined
  private readonly replication: number
  private readonly writeTimeoutS: number
  private readonly clients = new Map<string, NodeClient>()
  private readonly control: Agent = newAgent()
  private readonly keyDir: string
  private readonly undoKeys: () => void
  private counter = 0

  constructor(init: ClusterInit) {
    this.rec = init.recorder
    this.lab = init.lab
    this.replication = init.replication ?? 3
    this.writeTimeoutS = init.writeTimeoutS ?? 2
    const dir = mkdtempSync(join(tmpdir(), 'repram-faults-keys-'))
    this.keyDir = dir
    this.undoKeys = onCleanup(() => rmSync(dir, { recursive: true, force: true }))
  }

  get history() {
    return this.rec.history
  }

  /** Running nodes (paused ones included). */
  live(): FaultNode[] {
    return this.nodes.filter((n) => n.state !== 'dead')
  }

  /** Nodes that answer now: running and not paused. */
  serving(): FaultNode[] {
    return this.nodes.filter((n) => n.state === 'running')
  }

  private peers(except?: FaultNode): string[] {
    return this.serving()
      .filter((n) => n !== except)
      .map((n) => n.dialAddr())
      .filter((a): a is string => a !== undefined)
  }

  client(node: FaultNode): NodeClient {
    const id = `${node.name}#${node.incarnation}`
    let c = this.clients.get(id)
    if (!c) {
      c = new NodeClient(node, this.rec)
      this.clients.set(id, c)
    }
    return c
  }

  async add(options: AddOptions = {}): Promise<FaultNode> {
    const name = `n${++this.counter}`
    const h = this.lab?.addHost()
    const spec: NodeSpec = {
      name,
      host: h?.address ?? '127.0.0.1',
      netns: h?.netns,
      profile: h ? 'standard' : 'loopback',
      replication: this.replication,
      writeTimeoutS: this.writeTimeoutS,
      keyFile: options.keyFile ? join(this.keyDir, `${name}.key`) : undefined,
      env: options.env,
      logLevel: process.env.FAULTS_NODE_LOG === 'debug' ? 'debug' : 'info',
    }
    const node = new FaultNode(spec)
    this.nodes.push(node)
    await node.start(this.peers())
    const what = `start ${name} (${node.peerId.slice(-6)})${options.env?.FAKETIME ? ` FAKETIME=${options.env.FAKETIME}` : ''}`
    if (options.initial) this.history.event(what)
    else this.history.fault(`join: ${what}`)
    if (options.join ?? true) await this.waitJoined(node)
    return node
  }

  async start(n: number, options: AddOptions = {}): Promise<FaultNode[]> {
    const out: FaultNode[] = []
    for (let i = 0; i < n; i++) out.push(await this.add({ initial: true, ...options }))
    return out
  }

  async topology(node: FaultNode): Promise<TopologyReport | undefined> {
    return getJson<TopologyReport>(this.control, `${node.url}/v1/topology`)
  }

  async status(node: FaultNode): Promise<StatusReport | undefined> {
    return getJson<StatusReport>(this.control, `${node.url}/v1/status`)
  }

  async healthy(node: FaultNode): Promise<boolean> {
    const h = await getJson<{ status?: string }>(this.control, `${node.url}/v1/health`)
    return h?.status === 'healthy'
  }

  /** True when `node` is healthy, knows every serving node, and every serving node knows it. */
  async knowsAll(node: FaultNode, among: FaultNode[] = this.serving()): Promise<boolean> {
    if (!(await this.healthy(node))) return false
    const mine = new Set((await this.topology(node))?.peers.map((p) => p.peer_id) ?? [])
    for (const y of among) {
      if (y === node) continue
      if (!mine.has(y.peerId)) return false
      const theirs = (await this.topology(y))?.peers.map((p) => p.peer_id) ?? []
      if (!theirs.includes(node.peerId)) return false
    }
    return true
  }

  async waitJoined(node: FaultNode, timeoutMs = JOIN_TIMEOUT_MS): Promise<number> {
    return pollUntil(`${node.name} joins the mesh`, () => this.knowsAll(node), { timeoutMs })
  }

  /** Every serving node knows every other one (after a heal, a resume). */
  async waitMesh(timeoutMs = JOIN_TIMEOUT_MS, among?: FaultNode[]): Promise<number> {
    const set = among ?? this.serving()
    return pollUntil(
      'the mesh is whole',
      async () => {
        for (const n of set) if (!(await this.knowsAll(n, set))) return false
        return true
      },
      { timeoutMs },
    )
  }

  async kill9(node: FaultNode): Promise<void> {
    this.history.fault(`kill -9 ${node.name}`)
    await node.kill9()
  }

  async stopNode(node: FaultNode): Promise<void> {
    this.history.fault(`SIGTERM ${node.name} (graceful leave)`)
    await node.stop()
  }

  pause(node: FaultNode): void {
    this.history.fault(`SIGSTOP ${node.name}`)
    node.pause()
  }

  resume(node: FaultNode): void {
    this.history.event(`SIGCONT ${node.name}`)
    node.resume()
  }

  /** kill -9 (or SIGTERM) and start again with the same spec and key file. */
  async restart(node: FaultNode, how: 'kill' | 'term' = 'kill'): Promise<void> {
    if (how === 'kill') await this.kill9(node)
    else await this.stopNode(node)
    const before = node.peerId
    await node.start(this.peers(node))
    this.history.fault(`restart ${node.name} as #${node.incarnation} (${node.peerId === before ? 'same' : 'NEW'} peer id)`)
  }

  /** Keys held per serving node, from /v1/status (undefined for a node that did not answer). */
  async keyCounts(): Promise<Array<{ node: FaultNode; keys: number | undefined }>> {
    return Promise.all(this.serving().map(async (node) => ({ node, keys: (await this.status(node))?.keys })))
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => n.kill9()))
    for (const c of this.clients.values()) c.close()
    this.control.destroy()
    this.undoKeys()
    this.lab?.destroy()
  }

  /** The last log lines of every node (for a crash report). */
  logs(lines = 15): string[] {
    return this.nodes.flatMap((n) => n.tail.slice(-lines))
  }
}
