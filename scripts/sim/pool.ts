/**
 * The nodes the simulation knows: live ones to spread work over, and when each came up or went down,
 * so a read is only judged when its node was live for the whole read.
 */
import type { SimClient } from './client.js'
import type { Rng } from './prng.js'
import type { TestnetNode } from './testnet-types.js'

export interface SimNode {
  readonly name: string
  readonly client: SimClient
  readonly handle: TestnetNode
  readonly upAt: number
  downAt?: number
}

export class NodePool {
  private readonly nodes = new Map<string, SimNode>()
  private liveCache: SimNode[] = []

  add(handle: TestnetNode, client: SimClient, now: number): SimNode {
    const n: SimNode = { name: handle.name, client, handle, upAt: now }
    this.nodes.set(handle.name, n)
    this.refresh()
    return n
  }

  markDown(name: string, now: number): void {
    const n = this.nodes.get(name)
    if (n && n.downAt === undefined) n.downAt = now
    this.refresh()
  }

  private refresh(): void {
    this.liveCache = [...this.nodes.values()].filter((n) => n.downAt === undefined)
  }

  /** Live nodes in start order. */
  live(): readonly SimNode[] {
    return this.liveCache
  }

  all(): readonly SimNode[] {
    return [...this.nodes.values()]
  }

  get(name: string): SimNode | undefined {
    return this.nodes.get(name)
  }

  /** True when the node was up before `from` and had not gone down by `until`. */
  liveThroughout(name: string, from: number, until: number): boolean {
    const n = this.nodes.get(name)
    return n !== undefined && n.upAt <= from && (n.downAt === undefined || n.downAt > until)
  }

  /** A random live node, preferring one other than `avoid` when there is a choice. */
  pick(rng: Rng, avoid?: string): SimNode | undefined {
    const live = this.liveCache
    if (live.length === 0) return undefined
    if (avoid === undefined || live.length === 1) return rng.pick(live)
    const others = live.filter((n) => n.name !== avoid)
    return rng.pick(others.length > 0 ? others : live)
  }
}
