/**
 * What the client verbs (put, get, ls, status, health) share: flag parsing (the shared strict
 * parser in ../args.ts), the gateway URL (--url, else REPRAM_URL, else http://127.0.0.1:8080), binary-safe stdout
 * and stdin, and one error path: a failure prints one line to stderr and exits with the code the
 * error table gives its error code; a usage mistake exits 2.
 */
import { RepramClient } from '../../client/repram-client.js'
import { parseTtl } from '../../node/schemas.js'
import { ERROR_TABLE, EXIT_USAGE } from '../../shared/error-table.js'
import { toRepramError } from '../../shared/errors.js'
import { type ArgsSpec, parseArgs } from '../args.js'

/** Where the verbs look for a gateway when neither --url nor REPRAM_URL says: `repram node`'s default bind. */
export const DEFAULT_GATEWAY_URL = 'http://127.0.0.1:8080'
/** Largest value `repram put` reads from stdin: the most REPRAM_MAX_VALUE_BYTES can be set to. */
export const MAX_STDIN_BYTES = 512 * 1024 * 1024

export const COMMON_FLAGS_HELP = `  --url URL        gateway to talk to (default: $REPRAM_URL, else ${DEFAULT_GATEWAY_URL})
  --timeout S      give up after S seconds (default 30)
  -h, --help       this help`

export const EXIT_CODES_HELP = `Exit codes:
  0  success
  1  internal error
  2  usage error (bad flags or arguments)
  3  not found (absent or expired)
  4  rejected input (invalid key or TTL, key or value too long)
  5  refused by the mesh (unavailable, full, rate limited, timed out)
  6  gateway unreachable (nothing listening at the URL, DNS failure)`

export const COMMON_OPTIONS: ArgsSpec = {
  url: { type: 'string' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
}

/** A mistake in how the command was invoked: exit 2 with the verb's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

export interface VerbArgs {
  values: Record<string, string | boolean | undefined>
  positionals: string[]
}

/** The shared strict parser (../args.ts) with the common flags added; any mistake is a UsageError. */
export function parseVerbArgs(argv: string[], options: ArgsSpec): VerbArgs {
  try {
    return parseArgs(argv, { ...COMMON_OPTIONS, ...options })
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err))
  }
}

export function clientFrom(values: { url?: string | boolean; timeout?: string | boolean }): RepramClient {
  const url = typeof values.url === 'string' ? values.url : process.env.REPRAM_URL?.trim() || DEFAULT_GATEWAY_URL
  let timeoutMs: number | undefined
  if (typeof values.timeout === 'string') {
    const s = Number(values.timeout)
    if (!Number.isFinite(s) || s <= 0) throw new UsageError(`--timeout must be a positive number of seconds, got ${JSON.stringify(values.timeout)}`)
    timeoutMs = Math.ceil(s * 1000)
  }
  return new RepramClient(url, { timeoutMs })
}

/** --ttl as the gateway reads ?ttl=: a positive whole number of seconds (InvalidTtlError → exit 4). */
export function ttlFlag(raw: string | boolean | undefined): number | undefined {
  if (raw === undefined || typeof raw === 'boolean') return undefined
  return parseTtl(raw)
}

/** Writes bytes to stdout and resolves once they are handed to the OS (so exit cannot truncate them). */
export function writeStdout(data: Uint8Array | string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(data, (err) => (err ? reject(err) : resolve()))
  })
}

/** All of stdin as bytes, bounded. */
export async function readStdin(maxBytes = MAX_STDIN_BYTES): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  let n = 0
  for await (const chunk of process.stdin) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer)
    n += b.byteLength
    if (n > maxBytes) throw new UsageError(`stdin is larger than ${maxBytes} bytes`)
    chunks.push(b)
  }
  const all = Buffer.concat(chunks)
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength)
}

/** Runs a verb: prints --help, maps every failure to one stderr line and its exit code. */
export async function runVerb(verb: string, help: string, argv: string[], body: () => Promise<number>): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    await writeStdout(help)
    return 0
  }
  // A reader that goes away (`repram ls | head`) is not a failure: writes then fail with EPIPE, which
  // the write callback reports; this listener only keeps the stream's 'error' event from crashing us.
  process.stdout.on('error', () => {})
  try {
    return await body()
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EPIPE') return 0
    if (err instanceof UsageError) {
      process.stderr.write(`repram ${verb}: ${err.message}\n\n${help}`)
      return EXIT_USAGE
    }
    const e = toRepramError(err)
    process.stderr.write(`repram ${verb}: ${e.message} [${e.code}]\n`)
    return ERROR_TABLE[e.code].exitCode
  }
}
