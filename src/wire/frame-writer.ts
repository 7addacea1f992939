/**
 * Coalesces the frames written to one stream during one turn of the event loop into a single
 * `stream.send`: each send becomes a yamux frame, a Noise encryption and a socket write, which under
 * concurrency cost more than the messages themselves. Frames leave in order, at the end of the
 * current loop turn (setImmediate), so a lone request waits for nothing.
 */
import type { Stream } from '@libp2p/interface'
import { Uint8ArrayList } from 'uint8arraylist'

/** A batch is sent early once it holds this many bytes (keeps single sends of reasonable size). */
const MAX_BATCH_BYTES = 256 * 1024

export class FrameWriter {
  private batch: Uint8ArrayList | undefined
  private scheduled: NodeJS.Immediate | undefined
  private draining: Promise<void> | undefined

  constructor(private readonly stream: Stream) {}

  write(frame: Uint8ArrayList): void {
    if (!this.batch) this.batch = new Uint8ArrayList()
    this.batch.append(frame)
    if (this.batch.byteLength >= MAX_BATCH_BYTES) this.flush()
    else if (!this.scheduled) this.scheduled = setImmediate(() => this.flush())
  }

  private flush(): void {
    if (this.scheduled) clearImmediate(this.scheduled)
    this.scheduled = undefined
    const batch = this.batch
    this.batch = undefined
    if (!batch || batch.byteLength === 0) return
    if (this.stream.writeStatus !== 'writable') return
    if (this.draining) {
      // The transport asked us to wait: keep order by sending after the drain.
      const pending = batch
      this.draining = this.draining.then(() => this.send(pending))
      return
    }
    this.send(batch)
  }

  private send(batch: Uint8ArrayList): void {
    try {
      if (!this.stream.send(batch)) {
        this.draining = this.stream.onDrain().then(
          () => {
            this.draining = undefined
          },
          () => {
            this.draining = undefined
          },
        )
      }
    } catch (err) {
      this.stream.abort(err as Error)
    }
  }

  /** Sends whatever is queued now (before a close). */
  async flushNow(): Promise<void> {
    this.flush()
    await this.draining
  }
}
