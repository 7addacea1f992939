/**
 * What a peer tells us about itself through identify's agent version: its node name and enclave,
 * e.g. `repram/0.1.0 node=node-3 enclave=default`. Names are percent-encoded; anything that does not
 * parse is not a REPRAM member (it may still route DHT queries).
 */

export const AGENT_PREFIX = 'repram/'
/** A peer's agent string longer than this is ignored (identify messages are bounded, but be strict). */
const MAX_AGENT_CHARS = 512

export interface AgentInfo {
  name: string
  enclave: string
}

export function encodeAgent(version: string, info: AgentInfo): string {
  return `${AGENT_PREFIX}${version} node=${encodeURIComponent(info.name)} enclave=${encodeURIComponent(info.enclave)}`
}

export function parseAgent(agent: string | undefined): AgentInfo | undefined {
  if (agent === undefined || agent.length > MAX_AGENT_CHARS || !agent.startsWith(AGENT_PREFIX)) return undefined
  const m = /\snode=(\S+)\senclave=(\S+)/.exec(agent)
  if (!m) return undefined
  try {
    return { name: decodeURIComponent(m[1]), enclave: decodeURIComponent(m[2]) }
  } catch {
    return undefined
  }
}
