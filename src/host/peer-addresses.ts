/**
 * Bootstrap peer strings (REPRAM_PEERS: multiaddrs or host:port) → dialable multiaddrs.
 */
import { isIP } from 'node:net'
import { type Multiaddr, multiaddr } from '@multiformats/multiaddr'
import { ConfigError } from '../shared/errors.js'

/** Built-in bootstrap list of REPRAM_NETWORK=public (dnsaddr names resolved at dial time). */
export const PUBLIC_BOOTSTRAP_PEERS: readonly string[] = ['/dnsaddr/bootstrap.repram.network']

export function toDialAddress(peer: string): Multiaddr {
  if (peer.startsWith('/')) {
    try {
      return multiaddr(peer)
    } catch (err) {
      throw new ConfigError('REPRAM_PEERS', `not a multiaddr: ${JSON.stringify(peer)} (${(err as Error).message})`)
    }
  }
  const i = peer.lastIndexOf(':')
  const host = peer.slice(0, i).replace(/^\[|\]$/g, '')
  const port = peer.slice(i + 1)
  const proto = isIP(host) === 4 ? 'ip4' : isIP(host) === 6 ? 'ip6' : 'dns'
  return multiaddr(`/${proto}/${host}/tcp/${port}`)
}

/** The address to announce for a listen address when REPRAM_ADDRESS is set (keeps the port). */
export function announceAddress(address: string, port: number): string {
  if (address.startsWith('/')) return address
  const proto = isIP(address) === 4 ? 'ip4' : isIP(address) === 6 ? 'ip6' : 'dns'
  return `/${proto}/${address}/tcp/${port}`
}
