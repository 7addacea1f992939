/**
 * A small, strict command-line flag parser shared by the commands: `--flag value`, `--flag=value`,
 * boolean `--flag` (or `--flag=true|false`), short aliases (`-h`), `--` ending the flags. A string
 * flag always takes the next argument as its value, even one starting with `-` (so `--ttl -1` reaches
 * the TTL validator rather than being misread). Unknown flags, missing values and repeats are a
 * `ConfigError` naming the flag (exit code 2 through the error table).
 */
import { ConfigError } from '../shared/errors.js'

export interface FlagSpec {
  type: 'string' | 'boolean'
  /** One-letter alias, without the dash. */
  short?: string
}

export type ArgsSpec = Record<string, FlagSpec>

export interface ParsedArgs {
  /** Flag name (without dashes) → its value; booleans are true/false, strings are raw. */
  values: Record<string, string | boolean>
  positionals: string[]
}

export function parseArgs(argv: readonly string[], spec: ArgsSpec): ParsedArgs {
  const values: Record<string, string | boolean> = {}
  const positionals: string[] = []
  const shorts = new Map<string, string>()
  for (const [name, s] of Object.entries(spec)) if (s.short) shorts.set(s.short, name)
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1))
      break
    }
    let name: string | undefined
    let inline: string | undefined
    if (arg.startsWith('--') && arg.length > 2) {
      const eq = arg.indexOf('=')
      name = eq === -1 ? arg.slice(2) : arg.slice(2, eq)
      inline = eq === -1 ? undefined : arg.slice(eq + 1)
    } else if (arg.startsWith('-') && arg.length === 2 && arg !== '--') {
      name = shorts.get(arg.slice(1))
      if (name === undefined) throw new ConfigError(arg, 'unknown flag')
    } else {
      positionals.push(arg)
      continue
    }
    const s = Object.hasOwn(spec, name) ? spec[name] : undefined
    if (!s) throw new ConfigError(`--${name}`, 'unknown flag')
    if (Object.hasOwn(values, name)) throw new ConfigError(`--${name}`, 'given more than once')
    if (s.type === 'boolean') {
      if (inline === undefined) values[name] = true
      else if (inline === 'true' || inline === 'false') values[name] = inline === 'true'
      else throw new ConfigError(`--${name}`, `expected true or false, got ${JSON.stringify(inline)}`)
      continue
    }
    if (inline !== undefined) values[name] = inline
    else if (i + 1 < argv.length) values[name] = argv[++i]
    else throw new ConfigError(`--${name}`, 'expects a value')
  }
  return { values, positionals }
}
