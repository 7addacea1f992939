/**
 * The only place libp2p is assembled: TCP, Noise, Yamux, identify, ping, kad-dht (server mode under
 * REPRAM's own protocol id), gossipsub, optional pnet and Prometheus metrics. Everything else talks to
 * the returned `Libp2p` through narrow interfaces.
 */
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import type { Libp2p, PrivateKey } from '@libp2p/interface'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { noise } from '@libp2p/noise'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { ping } from '@libp2p/ping'
import { preSharedKey } from '@libp2p/pnet'
import { prometheusMetrics } from '@libp2p/prometheus-metrics'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import type { Registry } from 'prom-client'
import { ANNOUNCE_TOPIC, KAD_PROTOCOL } from '../../protocols/ids.js'
import type { NodeConfig } from '../shared/config.js'
import { encodeAgent } from './agent.js'
import { BoundedDatastore } from './bounded-datastore.js'
import { installQuietNoiseDecoder } from './noise-decoder.js'
import { singleWriteNoise } from './noise-single-write.js'
import { announceAddress } from './peer-addresses.js'
import type { HostProfile } from './profile.js'
import { pskFromSecret } from './psk.js'
import { libp2pLogger } from './quiet-logger.js'
import { installLazyWindowUpdates } from './yamux-window.js'

export const REPRAM_VERSION = '0.1.0'

/** Invalid announcements cost their sender (P4); everything else keeps gossipsub's neutral defaults. */
const ANNOUNCE_TOPIC_SCORE = {
  topicWeight: 1,
  timeInMeshWeight: 0,
  timeInMeshQuantum: 1_000,
  timeInMeshCap: 1,
  firstMessageDeliveriesWeight: 0,
  firstMessageDeliveriesDecay: 0.5,
  firstMessageDeliveriesCap: 1,
  meshMessageDeliveriesWeight: 0,
  meshMessageDeliveriesDecay: 0.5,
  meshMessageDeliveriesCap: 1,
  meshMessageDeliveriesThreshold: 1,
  meshMessageDeliveriesWindow: 10,
  meshMessageDeliveriesActivation: 5_000,
  meshFailurePenaltyWeight: 0,
  meshFailurePenaltyDecay: 0.5,
  invalidMessageDeliveriesWeight: -100,
  invalidMessageDeliveriesDecay: 0.9,
}

/** What the host reads of the node's configuration. */
export type HostConfig = Pick<NodeConfig, 'listen' | 'network' | 'address' | 'gossipPort' | 'nodeId' | 'enclave' | 'clusterSecret'>

export function listenAddresses(config: HostConfig): string[] {
  if (config.listen.length > 0) return config.listen
  // Public nodes listen on every interface; a private node on loopback unless told otherwise.
  const host = config.network === 'public' || config.address !== undefined ? '0.0.0.0' : '127.0.0.1'
  return [`/ip4/${host}/tcp/${config.gossipPort}`]
}

export interface CreateHostOptions {
  privateKey: PrivateKey
  profile: HostProfile
  registry?: Registry
}

export type RepramLibp2p = Libp2p<{
  // biome-ignore lint/suspicious/noExplicitAny: service types are read through narrow interfaces
  dht: any
  // biome-ignore lint/suspicious/noExplicitAny: see above
  pubsub: any
  // biome-ignore lint/suspicious/noExplicitAny: see above
  identify: any
  // biome-ignore lint/suspicious/noExplicitAny: see above
  ping: any
}>

export async function createHost(config: HostConfig, options: CreateHostOptions): Promise<RepramLibp2p> {
  const { profile } = options
  const listen = listenAddresses(config)
  // REPRAM_ADDRESS replaces the host of every listening address we announce (keeping the port the
  // socket actually got, so it also works with port 0).
  const address = config.address
  const selfId = peerIdFromPrivateKey(options.privateKey).toString()
  const announceFilter =
    address === undefined
      ? undefined
      : (addrs: Multiaddr[]): Multiaddr[] => {
          const out = new Map<string, Multiaddr>()
          for (const a of addrs) {
            const port = /\/tcp\/(\d+)/.exec(a.toString())?.[1]
            if (port === undefined || port === '0') continue
            const s = `${announceAddress(address, Number(port))}/p2p/${selfId}`
            if (!out.has(s)) out.set(s, multiaddr(s))
          }
          return [...out.values()]
        }
  installLazyWindowUpdates()
  installQuietNoiseDecoder()
  const node = await createLibp2p({
    privateKey: options.privateKey,
    logger: libp2pLogger(),
    addresses: { listen, announceFilter },
    nodeInfo: { userAgent: encodeAgent(REPRAM_VERSION, { name: config.nodeId ?? options.privateKey.publicKey.toString(), enclave: config.enclave }) },
    datastore: new BoundedDatastore(),
    transports: [tcp()],
    connectionEncrypters: [singleWriteNoise(noise())],
    streamMuxers: [yamux()],
    connectionProtector: config.clusterSecret === undefined ? undefined : preSharedKey({ psk: pskFromSecret(config.clusterSecret) }),
    connectionManager: {
      maxConnections: profile.maxConnections,
      inboundConnectionThreshold: profile.inboundConnectionThreshold,
      maxIncomingPendingConnections: profile.maxIncomingPendingConnections,
      allow: profile.allow,
    },
    connectionMonitor: { pingInterval: profile.connectionPingIntervalMs, abortConnectionOnPingFailure: profile.abortConnectionOnPingFailure },
    // preserveExistingMetrics must be false: the package caches metrics by name per process, so with
    // `true` a second node in one process (testnets) would get none in its own registry.
    metrics:
      options.registry === undefined
        ? undefined
        : prometheusMetrics({ registry: options.registry, collectDefaultMetrics: false, preserveExistingMetrics: false }),
    services: {
      identify: identify(),
      // kad-dht pings every new contact before adding it; our topology pings run alongside: allow both.
      ping: ping({ maxOutboundStreams: 4, maxInboundStreams: 4 }),
      dht: kadDHT({
        protocol: KAD_PROTOCOL,
        clientMode: false,
        peerInfoMapper: passthroughMapper,
        // We store nothing in the DHT: refuse every PUT_VALUE (the default `pk` validator would accept).
        validators: { pk: async () => Promise.reject(new Error('repram stores no DHT records')) },
      }),
      pubsub: gossipsub({
        allowPublishToZeroTopicPeers: true,
        // Announcements are validated by content (limits, versions, lifetimes), not by author: unsigned
        // messages skip an Ed25519 sign per publish and a verify + peer-id decode per receipt, which cost
        // ~10% of a node's CPU under write load. Scoring still applies to the forwarding peer.
        globalSignaturePolicy: 'StrictNoSign',
        ignoreDuplicatePublishError: true,
        heartbeatInterval: profile.gossipHeartbeatMs,
        ...profile.gossipMesh,
        scoreParams: {
          IPColocationFactorWhitelist: new Set(profile.colocationWhitelist),
          topics: { [ANNOUNCE_TOPIC]: ANNOUNCE_TOPIC_SCORE },
        },
      }),
    },
  })
  return node as unknown as RepramLibp2p
}
