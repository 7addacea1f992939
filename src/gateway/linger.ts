/**
 * Lingering close after answering a request whose body is still arriving (a 413, or any early
 * refusal such as a bad key or TTL on a large PUT), as nginx does: node:http would destroy the socket
 * right after the answer is written, and a client still sending would get a reset before it reads
 * the answer. Instead the socket is only half-closed (FIN after the answer), the rest of the body is
 * read and discarded — never stored — and the socket is destroyed when the linger is over.
 */
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'

/**
 * How long the rest of a refused body may keep arriving before the connection is cut: long enough
 * for the client to read the answer, short enough that an endless upload cannot hold a socket.
 */
export const DEFAULT_REFUSAL_LINGER_MS = 1_000

/** Call before writing the answer. A no-op when the request has been received completely. */
export function lingerAfterRefusal(req: IncomingMessage, lingerMs: number): void {
  if (req.complete) return
  const socket = req.socket as Socket & { destroySoon?: () => void }
  socket.destroySoon = () => {
    socket.end()
  }
  const timer = setTimeout(() => socket.destroy(), lingerMs)
  timer.unref()
  socket.once('close', () => clearTimeout(timer))
  req.resume()
}
