/**
 * Namespaced, levelled logging to stderr (`repram:replication info …`). stdout belongs to the MCP
 * stdio transport and CLI output. Callers log keys' ids and peers, never values.
 */
import type { LogLevel } from './config.js'

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
  child(namespace: string): Logger
}

export interface LoggerInit {
  level?: LogLevel
  /** Where lines go; stderr by default. Tests pass a sink. */
  write?: (line: string) => void
}

export function createLogger(namespace = 'repram', init: LoggerInit = {}): Logger {
  const min = ORDER[init.level ?? 'info']
  const write = init.write ?? ((line: string) => process.stderr.write(line))
  const emit = (level: LogLevel, msg: string, fields?: Record<string, unknown>): void => {
    if (ORDER[level] < min) return
    let line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${namespace} ${msg}`
    if (fields) {
      for (const [k, v] of Object.entries(fields)) {
        line += ` ${k}=${v instanceof Error ? JSON.stringify(v.message) : typeof v === 'string' ? JSON.stringify(v) : String(v)}`
      }
    }
    write(`${line}\n`)
  }
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (ns) => createLogger(`${namespace}:${ns}`, init),
  }
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child: () => silentLogger,
}
