/**
 * Messages and bytes on the wire, from each node's own metrics (libp2p's Prometheus counters):
 * - bytes: `libp2p_data_transfer_bytes_total{protocol="global sent"}` (every byte a node's
 *   connections sent, all protocols, after Noise), and per protocol `{protocol="<id> sent"}`;
 * - messages: `libp2p_noise_encrypted_packets_total` (encrypted Noise frames sent).
 * Counters are kept per node, so a node that leaves keeps counting with its last scrape, and the
 * totals are sums of per-node counters. Absent metrics (a mesh without libp2p metrics) read as
 * undefined, never as zero.
 *
 * A figure is given only when every node scraped exported it: @libp2p/prometheus-metrics caches
 * metrics by name per process, and a host that kept that cache gave only the first node of a process
 * its own counters; a partial sum would pass for a mesh total.
 */
import { parsePromText } from './prom-text.js'

export const BYTES_METRIC = 'libp2p_data_transfer_bytes_total'
export const BYTES_LABEL_TOTAL = 'global sent'
export const MESSAGES_METRIC = 'libp2p_noise_encrypted_packets_total'
/** The mesh's own replication counters, reported beside libp2p's. */
export const REPLICATION_METRICS = ['repram_replication_pushes_total', 'repram_replication_fetches_total']
export const WIRE_METRIC_NAMES = [BYTES_METRIC, MESSAGES_METRIC, ...REPLICATION_METRICS]

export interface WireCounters {
  bytesSent?: number
  messagesSent?: number
  /** Nodes summed, and how many of them exported each figure. */
  nodes?: number
  nodesWithBytes?: number
  nodesWithMessages?: number
  /** Bytes sent per libp2p protocol id. */
  byProtocol: Record<string, number>
  /** Any `repram_replication_*_total` counters the mesh exposes, summed over labels. */
  replication: Record<string, number>
}

export function readWireCounters(text: string): WireCounters {
  const out: WireCounters = { byProtocol: {}, replication: {} }
  for (const s of parsePromText(text)) {
    if (s.name === BYTES_METRIC && typeof s.labels.protocol === 'string') {
      const p = s.labels.protocol
      if (p === BYTES_LABEL_TOTAL) out.bytesSent = (out.bytesSent ?? 0) + s.value
      else if (p.endsWith(' sent') && p !== BYTES_LABEL_TOTAL) {
        const proto = p.slice(0, -' sent'.length)
        out.byProtocol[proto] = (out.byProtocol[proto] ?? 0) + s.value
      }
    } else if (s.name === MESSAGES_METRIC) out.messagesSent = (out.messagesSent ?? 0) + s.value
    else if (/^repram_replication_[a-z0-9_]*_total$/.test(s.name)) out.replication[s.name] = (out.replication[s.name] ?? 0) + s.value
  }
  return out
}

function add(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : a + b
}

export function sumCounters(list: readonly WireCounters[]): WireCounters {
  const out: WireCounters = { byProtocol: {}, replication: {}, nodes: list.length, nodesWithBytes: 0, nodesWithMessages: 0 }
  for (const c of list) {
    if (c.bytesSent !== undefined) out.nodesWithBytes = (out.nodesWithBytes ?? 0) + 1
    if (c.messagesSent !== undefined) out.nodesWithMessages = (out.nodesWithMessages ?? 0) + 1
    out.bytesSent = add(out.bytesSent, c.bytesSent)
    out.messagesSent = add(out.messagesSent, c.messagesSent)
    for (const [k, v] of Object.entries(c.byProtocol)) out.byProtocol[k] = (out.byProtocol[k] ?? 0) + v
    for (const [k, v] of Object.entries(c.replication)) out.replication[k] = (out.replication[k] ?? 0) + v
  }
  return out
}

/** Last-seen counters per node name; the mesh total is their sum (departed nodes included). */
export class WireMeter {
  private readonly last = new Map<string, WireCounters>()

  update(node: string, text: string | undefined): void {
    if (text !== undefined) this.last.set(node, readWireCounters(text))
  }

  total(): WireCounters {
    return sumCounters([...this.last.values()])
  }

  /** The mesh totals, each only when every node scraped exported it (else undefined). */
  complete(): { bytesSent?: number; messagesSent?: number } {
    const t = this.total()
    return {
      bytesSent: t.nodesWithBytes === t.nodes ? t.bytesSent : undefined,
      messagesSent: t.nodesWithMessages === t.nodes ? t.messagesSent : undefined,
    }
  }
}
