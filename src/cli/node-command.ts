/**
 * `repram node`: reads and validates the configuration (environment, then `--flag`s, which win),
 * starts the node and its HTTP gateway, and stops them gracefully on SIGINT/SIGTERM (gateway first so
 * in-flight requests finish, then the node); a second signal forces the exit.
 *
 * Process-level failures: an unhandled promise rejection is logged and the node keeps serving (they
 * come from abandoned network operations — a libp2p dial or stream that failed after its caller moved
 * on — and no state of ours waits on them). An uncaught exception is logged too; if it is a network
 * error of a single connection or stream (reset, broken pipe, abort, timeout) the node keeps serving,
 * because only that connection was affected. Any other uncaught exception means our own code failed
 * somewhere we cannot see, with state possibly half-updated: the node stops gracefully and exits 1
 * so a supervisor restarts a clean process.
 */

import { createNode } from '../create-node.js'
import { Gateway } from '../gateway/gateway.js'
import { loadConfig, SETTINGS, settingsHelp } from '../shared/config.js'
import { ConfigError } from '../shared/errors.js'
import { createLogger, type Logger } from '../shared/logger.js'
import { type ArgsSpec, parseArgs } from './args.js'

/** A graceful stop taking longer than this is abandoned and the process exits 1. */
export const SHUTDOWN_TIMEOUT_MS = 15_000
/** After a clean stop, handles libp2p may leave behind get this long before the process exits anyway. */
export const EXIT_LINGER_MS = 2_000

const EXIT_OK = 0
const EXIT_FAILURE = 1
const EXIT_USAGE = 2

const USAGE = `Usage: repram node [flags]

Runs a REPRAM node: the in-memory TTL store, the mesh, and the HTTP gateway (default 127.0.0.1:8080).
Every setting can be given as an environment variable or as a flag (--flag value or --flag=value);
flags win. With no settings at all it is a working single-node mesh.

Flags:
  -h, --help             this help
${settingsHelp()}
`

const SPEC: ArgsSpec = { help: { type: 'boolean', short: 'h' } }
for (const s of SETTINGS) SPEC[s.flag] = { type: 'string' }

/** Failures confined to one connection or stream: logged, the node keeps serving. */
const BENIGN_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_WRITE_AFTER_END',
  'ABORT_ERR',
])
const BENIGN_NAMES = new Set([
  'AbortError',
  'TimeoutError',
  'StreamResetError',
  'StreamStateError',
  'StreamClosedError',
  'ConnectionClosedError',
  'MuxerClosedError',
  'UnexpectedEOFError',
])

export function isBenignError(err: unknown): boolean {
  if (!(err instanceof Error)) return false
  const code = (err as { code?: unknown }).code
  return (typeof code === 'string' && BENIGN_CODES.has(code)) || BENIGN_NAMES.has(err.name)
}

function signalExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGINT' ? 130 : 143
}

export async function run(argv: string[]): Promise<number> {
  let flags: Record<string, string> = {}
  try {
    const parsed = parseArgs(argv, SPEC)
    if (parsed.values.help === true) {
      process.stdout.write(USAGE)
      return EXIT_OK
    }
    if (parsed.positionals.length > 0) throw new ConfigError(parsed.positionals[0], 'unexpected argument (repram node takes only flags)')
    for (const [k, v] of Object.entries(parsed.values)) if (typeof v === 'string') flags[k] = v
  } catch (err) {
    process.stderr.write(`repram node: ${err instanceof Error ? err.message : String(err)}\nSee: repram node --help\n`)
    return EXIT_USAGE
  }

  let config: ReturnType<typeof loadConfig>
  try {
    config = loadConfig(process.env, flags)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    process.stderr.write(`repram node: invalid configuration: ${err.message}\nSee: repram node --help\n`)
    return EXIT_USAGE
  }
  // Only a port nobody asked for may move: an operator's explicit port (a bootstrap node's) never does.
  const gossipPortDefaulted = flags['gossip-port'] === undefined && !process.env.REPRAM_GOSSIP_PORT && config.listen.length === 0
  flags = {}

  const logger = createLogger('repram', { level: config.logLevel })
  const log = logger.child('cli')
  let resolveDone: (code: number) => void = () => {}
  const done = new Promise<number>((resolve) => {
    resolveDone = resolve
  })
  let stopping = false

  let node = createNode(config, { logger })
  let gateway = new Gateway({ node, logger: logger.child('gateway') })

  const shutdown = (code: number, why: string): void => {
    if (stopping) return
    stopping = true
    log.info('stopping', { reason: why })
    const timer = setTimeout(() => {
      log.error('graceful stop took too long, exiting', { timeout_ms: SHUTDOWN_TIMEOUT_MS })
      process.exit(EXIT_FAILURE)
    }, SHUTDOWN_TIMEOUT_MS)
    timer.unref()
    ;(async () => {
      await gateway.stop()
      await node.stop()
    })().then(
      () => {
        clearTimeout(timer)
        log.info('stopped')
        resolveDone(code)
      },
      (err: unknown) => {
        clearTimeout(timer)
        log.error('error while stopping', { err: err instanceof Error ? err : String(err) })
        resolveDone(EXIT_FAILURE)
      },
    )
  }

  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn('second signal: exiting now', { signal })
      process.exit(signalExitCode(signal))
    }
    shutdown(EXIT_OK, signal)
  }
  const onRejection = (reason: unknown): void => {
    log.error('unhandled promise rejection (ignored; the node keeps serving)', { err: reason instanceof Error ? reason : String(reason) })
  }
  const onException = (err: Error): void => {
    if (isBenignError(err)) {
      log.warn('uncaught network error (ignored; the node keeps serving)', { err, code: (err as { code?: string }).code ?? err.name })
      return
    }
    log.error('uncaught exception: stopping', { err, stack: err.stack })
    shutdown(EXIT_FAILURE, 'uncaught exception')
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)

  try {
    try {
      await node.start()
    } catch (err) {
      if (!gossipPortDefaulted || !isAddressInUse(err)) throw err
      // Another program holds the default libp2p port: a node on one machine should still start.
      log.warn('the default libp2p port is in use; listening on a free port instead (set REPRAM_GOSSIP_PORT to choose one)', {
        port: config.gossipPort,
      })
      await node.stop().catch(() => {})
      config = { ...config, gossipPort: 0 }
      node = createNode(config, { logger })
      gateway = new Gateway({ node, logger: logger.child('gateway') })
      await node.start()
    }
    await gateway.start()
  } catch (err) {
    logStartFailure(log, err, config.httpHost, config.httpPort)
    await gateway.stop().catch(() => {})
    await node.stop().catch(() => {})
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    return EXIT_FAILURE
  }
  logger.child('gateway').info('gateway listening', { url: gateway.url })

  const code = await done
  process.off('SIGINT', onSignal)
  process.off('SIGTERM', onSignal)
  // Anything libp2p leaves pending must not keep a stopped node alive.
  setTimeout(() => process.exit(code), EXIT_LINGER_MS).unref()
  return code
}

function isAddressInUse(err: unknown): boolean {
  return (err as { code?: unknown })?.code === 'EADDRINUSE' || (err instanceof Error && err.message.includes('EADDRINUSE'))
}

function logStartFailure(log: Logger, err: unknown, host: string, port: number): void {
  const code = (err as { code?: unknown })?.code
  if (code === 'EADDRINUSE') log.error('cannot start: the gateway address is in use', { host, port })
  else if (code === 'EACCES') log.error('cannot start: not allowed to bind the gateway address', { host, port })
  else log.error('cannot start', { err: err instanceof Error ? err : String(err) })
}
