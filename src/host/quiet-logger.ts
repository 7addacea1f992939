/**
 * libp2p's component logger when its debug output is off. libp2p builds a `debug` instance (with a
 * TTY probe) for every stream scope it opens, even when nothing is enabled: in a 50-node process that
 * was ~5% of the CPU. Without `DEBUG` in the environment nothing of libp2p's can print, so we hand it
 * loggers that do nothing; with `DEBUG` set, libp2p keeps its own logger and prints as usual.
 */
import type { ComponentLogger, Logger } from '@libp2p/interface'

function silent(): Logger {
  const log = (() => {}) as unknown as Logger
  log.error = () => {}
  log.trace = () => {}
  log.enabled = false
  log.newScope = () => log
  return log
}

const QUIET: ComponentLogger = Object.freeze({ forComponent: silent })

/** A silent logger unless `DEBUG` asks for libp2p's debug output (then undefined: libp2p's default). */
export function libp2pLogger(env: NodeJS.ProcessEnv = process.env): ComponentLogger | undefined {
  return env.DEBUG !== undefined && env.DEBUG.trim() !== '' ? undefined : QUIET
}
