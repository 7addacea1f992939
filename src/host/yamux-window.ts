/**
 * Yamux window updates at half a window instead of after every data frame. @libp2p/yamux 8 answers
 * EVERY received data frame with a window-update frame — its own Noise encryption and socket write —
 * which under replication load cost ~12% of a replica's CPU (profiled: sendWindowUpdate under
 * handleData). go-yamux and the spec's reference implementation send one once the consumed part
 * reaches half the window; we do the same by wrapping the stream's method once per process.
 * Streams that still owe a SYN/ACK flag, or are paused, keep the original behaviour.
 */
import { StreamState, YamuxStream } from '@libp2p/yamux/stream'

/** A window update is sent once less than this fraction of the receive window remains. */
export const WINDOW_UPDATE_THRESHOLD = 0.5

interface WindowFields {
  state: StreamState
  recvWindow: number
  recvWindowCapacity: number
}

let installed = false

export function installLazyWindowUpdates(): void {
  if (installed) return
  installed = true
  const proto = YamuxStream.prototype as unknown as { sendWindowUpdate: (this: WindowFields) => void }
  const original = proto.sendWindowUpdate
  if (typeof original !== 'function') return
  proto.sendWindowUpdate = function (this: WindowFields): void {
    if (this.state === StreamState.Established && this.recvWindowCapacity >= this.recvWindow * WINDOW_UPDATE_THRESHOLD) return
    original.call(this)
  }
}
