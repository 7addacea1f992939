/**
 * Every setting of a node, its default, its unit and why — in one place. Read from the environment
 * (`REPRAM_*`) and from `repram node --flag` (flags win), validated once at start-up: a bad value is a
 * `ConfigError` naming the variable and what it accepts, and the CLI exits non-zero on it.
 */
import { ConfigError } from './errors.js'

export type NetworkMode = 'private' | 'public'
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface NodeConfig {
  nodeId: string | undefined
  httpHost: string
  httpPort: number
  gossipPort: number
  listen: string[]
  address: string | undefined
  peers: string[]
  network: NetworkMode
  enclave: string
  replication: number
  minTtlSeconds: number
  maxTtlSeconds: number
  defaultTtlSeconds: number
  writeTimeoutMs: number
  clusterSecret: string | undefined
  keyFile: string | undefined
  maxStorageBytes: number
  maxKeyBytes: number
  maxValueBytes: number
  maxListKeys: number
  rateLimitPerSecond: number
  trustProxy: boolean
  logLevel: LogLevel
  /**
   * libp2p tuning. `standard` suits the public internet; `loopback` (tests and simulations only) raises
   * inbound connection thresholds, whitelists loopback for gossipsub's IP-colocation penalty and shortens
   * heartbeats and grace periods. Never the default.
   */
  profile: NetworkProfile
  /** true → a mesh of one without libp2p (embedding, front-door tests). Not an environment setting. */
  standalone: boolean
}

export type NetworkProfile = 'standard' | 'loopback'

/** Gateway bind: loopback only, so a node is never exposed by accident (the older REPRAM bound all interfaces). */
export const DEFAULT_HTTP_HOST = '127.0.0.1'
export const DEFAULT_HTTP_PORT = 8080
export const DEFAULT_GOSSIP_PORT = 9090
/** R: three copies survive one lost node with a majority (W = 2) still reachable. */
export const DEFAULT_REPLICATION = 3
/** TTL bounds and default, seconds, as in the older REPRAM so its clients see the same clamping. */
export const DEFAULT_MIN_TTL_SECONDS = 300
export const DEFAULT_MAX_TTL_SECONDS = 86_400
export const DEFAULT_TTL_SECONDS = 3_600
/** How long a PUT waits for W confirmations before answering 202. */
export const DEFAULT_WRITE_TIMEOUT_MS = 5_000
export const DEFAULT_MAX_KEY_BYTES = 1_024
/** 10 MiB: large enough for documents and images an agent hands over, small enough to hold many. */
export const DEFAULT_MAX_VALUE_BYTES = 10 * 1024 * 1024
export const DEFAULT_MAX_LIST_KEYS = 10_000
/** Requests per second per client IP (burst 2×); 0 turns the limiter off. */
export const DEFAULT_RATE_LIMIT_PER_SECOND = 100

export const DEFAULT_CONFIG: Readonly<NodeConfig> = Object.freeze({
  nodeId: undefined,
  httpHost: DEFAULT_HTTP_HOST,
  httpPort: DEFAULT_HTTP_PORT,
  gossipPort: DEFAULT_GOSSIP_PORT,
  listen: [],
  address: undefined,
  peers: [],
  network: 'private',
  enclave: 'default',
  replication: DEFAULT_REPLICATION,
  minTtlSeconds: DEFAULT_MIN_TTL_SECONDS,
  maxTtlSeconds: DEFAULT_MAX_TTL_SECONDS,
  defaultTtlSeconds: DEFAULT_TTL_SECONDS,
  writeTimeoutMs: DEFAULT_WRITE_TIMEOUT_MS,
  clusterSecret: undefined,
  keyFile: undefined,
  maxStorageBytes: 0,
  maxKeyBytes: DEFAULT_MAX_KEY_BYTES,
  maxValueBytes: DEFAULT_MAX_VALUE_BYTES,
  maxListKeys: DEFAULT_MAX_LIST_KEYS,
  rateLimitPerSecond: DEFAULT_RATE_LIMIT_PER_SECOND,
  trustProxy: false,
  logLevel: 'info',
  profile: 'standard',
  standalone: false,
} satisfies NodeConfig)

type Parser = (raw: string, variable: string) => Partial<NodeConfig>

interface Setting {
  /** Environment variable name. */
  env: string
  /** `repram node` flag, without the leading dashes. */
  flag: string
  /** What it accepts, for --help and error messages. */
  accepts: string
  help: string
  parse: Parser
}

function int(raw: string, variable: string, min: number, max: number): number {
  const s = raw.trim()
  if (!/^\d+$/.test(s)) throw new ConfigError(variable, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  const n = Number(s)
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(variable, `expected a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`)
  }
  return n
}

function list(raw: string): string[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

function nonEmpty(raw: string, variable: string, max = 256): string {
  const s = raw.trim()
  if (s.length === 0 || s.length > max) throw new ConfigError(variable, `expected a non-empty string of at most ${max} characters`)
  return s
}

const PORT_MAX = 65_535

export const SETTINGS: readonly Setting[] = [
  {
    env: 'REPRAM_NODE_ID',
    flag: 'node-id',
    accepts: 'a name, 1–64 chars',
    help: 'human-readable node name (default: the peer id)',
    parse: (r, v) => ({ nodeId: nonEmpty(r, v, 64) }),
  },
  {
    env: 'REPRAM_HTTP_HOST',
    flag: 'http-host',
    accepts: 'a host or IP',
    help: `gateway bind address (default ${DEFAULT_HTTP_HOST})`,
    parse: (r, v) => ({ httpHost: nonEmpty(r, v) }),
  },
  {
    env: 'REPRAM_HTTP_PORT',
    flag: 'http-port',
    accepts: `0–${PORT_MAX}`,
    help: `gateway port, 0 = any free port (default ${DEFAULT_HTTP_PORT})`,
    parse: (r, v) => ({ httpPort: int(r, v, 0, PORT_MAX) }),
  },
  {
    env: 'REPRAM_GOSSIP_PORT',
    flag: 'gossip-port',
    accepts: `0–${PORT_MAX}`,
    help: `libp2p TCP port, 0 = any (default ${DEFAULT_GOSSIP_PORT})`,
    parse: (r, v) => ({ gossipPort: int(r, v, 0, PORT_MAX) }),
  },
  {
    env: 'REPRAM_LISTEN',
    flag: 'listen',
    accepts: 'comma-separated multiaddrs',
    help: 'full libp2p listen multiaddrs (default: /ip4/0.0.0.0 or 127.0.0.1 on the gossip port)',
    parse: (r, v) => {
      const l = list(r)
      for (const a of l) if (!a.startsWith('/')) throw new ConfigError(v, `expected multiaddrs such as /ip4/0.0.0.0/tcp/9090, got ${JSON.stringify(a)}`)
      return { listen: l }
    },
  },
  { env: 'REPRAM_ADDRESS', flag: 'address', accepts: 'a host or IP', help: 'host or IP to announce to peers', parse: (r, v) => ({ address: nonEmpty(r, v) }) },
  {
    env: 'REPRAM_PEERS',
    flag: 'peers',
    accepts: 'comma-separated multiaddrs or host:port',
    help: 'bootstrap peers',
    parse: (r, v) => {
      const l = list(r)
      for (const a of l) {
        if (a.startsWith('/')) continue
        if (!/^[^\s/]+:\d{1,5}$/.test(a) || Number(a.slice(a.lastIndexOf(':') + 1)) > PORT_MAX) {
          throw new ConfigError(v, `expected a multiaddr (/ip4/…/tcp/…/p2p/…) or host:port, got ${JSON.stringify(a)}`)
        }
      }
      return { peers: l }
    },
  },
  {
    env: 'REPRAM_NETWORK',
    flag: 'network',
    accepts: 'private | public',
    help: 'private: only REPRAM_PEERS; public: also the built-in bootstrap list',
    parse: (r, v) => {
      const s = r.trim().toLowerCase()
      if (s !== 'private' && s !== 'public') throw new ConfigError(v, `expected "private" or "public", got ${JSON.stringify(r)}`)
      return { network: s }
    },
  },
  {
    env: 'REPRAM_ENCLAVE',
    flag: 'enclave',
    accepts: 'a name of [A-Za-z0-9._-], 1–64 chars',
    help: 'replication scope (default "default")',
    parse: (r, v) => {
      const s = r.trim()
      if (!/^[A-Za-z0-9._-]{1,64}$/.test(s)) throw new ConfigError(v, `expected 1–64 characters of A-Z a-z 0-9 . _ -, got ${JSON.stringify(r)}`)
      return { enclave: s }
    },
  },
  {
    env: 'REPRAM_REPLICATION',
    flag: 'replication',
    accepts: '1–64',
    help: `replicas per key (default ${DEFAULT_REPLICATION})`,
    parse: (r, v) => ({ replication: int(r, v, 1, 64) }),
  },
  {
    env: 'REPRAM_MIN_TTL',
    flag: 'min-ttl',
    accepts: 'seconds ≥ 1',
    help: `minimum TTL, shorter ones are raised to it (default ${DEFAULT_MIN_TTL_SECONDS})`,
    parse: (r, v) => ({ minTtlSeconds: int(r, v, 1, 31_536_000) }),
  },
  {
    env: 'REPRAM_MAX_TTL',
    flag: 'max-ttl',
    accepts: 'seconds ≥ 1',
    help: `maximum TTL, longer ones are lowered to it (default ${DEFAULT_MAX_TTL_SECONDS})`,
    parse: (r, v) => ({ maxTtlSeconds: int(r, v, 1, 31_536_000) }),
  },
  {
    env: 'REPRAM_DEFAULT_TTL',
    flag: 'default-ttl',
    accepts: 'seconds ≥ 1',
    help: `TTL when a PUT gives none (default ${DEFAULT_TTL_SECONDS})`,
    parse: (r, v) => ({ defaultTtlSeconds: int(r, v, 1, 31_536_000) }),
  },
  {
    env: 'REPRAM_WRITE_TIMEOUT',
    flag: 'write-timeout',
    accepts: 'seconds, 1–300',
    help: `seconds a PUT waits for W confirmations before 202 (default ${DEFAULT_WRITE_TIMEOUT_MS / 1000})`,
    parse: (r, v) => ({ writeTimeoutMs: int(r, v, 1, 300) * 1000 }),
  },
  {
    env: 'REPRAM_CLUSTER_SECRET',
    flag: 'cluster-secret',
    accepts: 'a string of ≥ 16 characters',
    help: 'pre-shared secret: only nodes with the same one can connect',
    parse: (r, v) => {
      if (r.length < 16) throw new ConfigError(v, 'expected a secret of at least 16 characters')
      return { clusterSecret: r }
    },
  },
  {
    env: 'REPRAM_KEY_FILE',
    flag: 'key-file',
    accepts: 'a file path',
    help: 'where the identity key is kept (created 0600 on first start)',
    parse: (r, v) => ({ keyFile: nonEmpty(r, v, 4096) }),
  },
  {
    env: 'REPRAM_MAX_STORAGE_MB',
    flag: 'max-storage-mb',
    accepts: 'MiB ≥ 0 (0 = no cap)',
    help: 'payload bytes this node accepts, in MiB (default 0, no cap)',
    parse: (r, v) => ({ maxStorageBytes: int(r, v, 0, 16 * 1024 * 1024) * 1024 * 1024 }),
  },
  {
    env: 'REPRAM_MAX_KEY_BYTES',
    flag: 'max-key-bytes',
    accepts: '1–65536',
    help: `longest key in bytes (default ${DEFAULT_MAX_KEY_BYTES})`,
    parse: (r, v) => ({ maxKeyBytes: int(r, v, 1, 65_536) }),
  },
  {
    env: 'REPRAM_MAX_VALUE_BYTES',
    flag: 'max-value-bytes',
    accepts: `0–${512 * 1024 * 1024}`,
    help: `largest value in bytes (default ${DEFAULT_MAX_VALUE_BYTES})`,
    parse: (r, v) => ({ maxValueBytes: int(r, v, 0, 512 * 1024 * 1024) }),
  },
  {
    env: 'REPRAM_MAX_LIST_KEYS',
    flag: 'max-list-keys',
    accepts: '1–1000000',
    help: `most keys in one listing page (default ${DEFAULT_MAX_LIST_KEYS})`,
    parse: (r, v) => ({ maxListKeys: int(r, v, 1, 1_000_000) }),
  },
  {
    env: 'REPRAM_RATE_LIMIT',
    flag: 'rate-limit',
    accepts: 'requests/s ≥ 0 (0 = off)',
    help: `per client IP, burst 2×, loopback exempt (default ${DEFAULT_RATE_LIMIT_PER_SECOND})`,
    parse: (r, v) => ({ rateLimitPerSecond: int(r, v, 0, 1_000_000) }),
  },
  {
    env: 'REPRAM_TRUST_PROXY',
    flag: 'trust-proxy',
    accepts: 'true | false',
    help: 'take the client IP from X-Forwarded-For / X-Real-IP (default false)',
    parse: (r, v) => {
      const s = r.trim().toLowerCase()
      if (['true', '1', 'yes', 'on'].includes(s)) return { trustProxy: true }
      if (['false', '0', 'no', 'off'].includes(s)) return { trustProxy: false }
      throw new ConfigError(v, `expected true or false, got ${JSON.stringify(r)}`)
    },
  },
  {
    env: 'REPRAM_LOG_LEVEL',
    flag: 'log-level',
    accepts: 'debug | info | warn | error',
    help: 'log verbosity; logs go to stderr and never contain values (default info)',
    parse: (r, v) => {
      const s = r.trim().toLowerCase()
      if (s !== 'debug' && s !== 'info' && s !== 'warn' && s !== 'error')
        throw new ConfigError(v, `expected debug, info, warn or error, got ${JSON.stringify(r)}`)
      return { logLevel: s }
    },
  },
  {
    env: 'REPRAM_PROFILE',
    flag: 'profile',
    accepts: 'standard | loopback',
    help: 'libp2p tuning: standard (default) or loopback (tests/simulations on one host only)',
    parse: (r, v) => {
      const s = r.trim().toLowerCase()
      if (s !== 'standard' && s !== 'loopback') throw new ConfigError(v, `expected "standard" or "loopback", got ${JSON.stringify(r)}`)
      return { profile: s }
    },
  },
]

/**
 * Builds a config from environment variables and flag values (flag name → raw string; flags win).
 * Empty environment values count as unset. Throws `ConfigError` on the first invalid value.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, flags: Record<string, string> = {}): NodeConfig {
  const cfg: NodeConfig = { ...DEFAULT_CONFIG, listen: [], peers: [] }
  for (const s of SETTINGS) {
    const fromFlag = flags[s.flag]
    const fromEnv = env[s.env]
    if (fromFlag !== undefined) Object.assign(cfg, s.parse(fromFlag, `--${s.flag}`))
    else if (fromEnv !== undefined && fromEnv !== '') Object.assign(cfg, s.parse(fromEnv, s.env))
  }
  return validateConfig(cfg)
}

/** Cross-field checks, also applied to configs built in code (tests, testnet). */
export function validateConfig(cfg: NodeConfig): NodeConfig {
  if (cfg.minTtlSeconds > cfg.maxTtlSeconds) {
    throw new ConfigError('REPRAM_MIN_TTL', `must not exceed REPRAM_MAX_TTL (${cfg.minTtlSeconds} > ${cfg.maxTtlSeconds})`)
  }
  return cfg
}

/** A full config from partial overrides, for embedding and tests. */
export function makeConfig(overrides: Partial<NodeConfig> = {}): NodeConfig {
  const cfg: NodeConfig = { ...DEFAULT_CONFIG, listen: [], peers: [] }
  for (const [k, v] of Object.entries(overrides)) {
    if (v !== undefined) (cfg as unknown as Record<string, unknown>)[k] = v
  }
  return validateConfig(cfg)
}

/** Lines for `repram node --help`. */
export function settingsHelp(): string {
  const rows = SETTINGS.map((s) => `  --${s.flag.padEnd(16)} ${s.env.padEnd(24)} ${s.help}  [${s.accepts}]`)
  return rows.join('\n')
}
