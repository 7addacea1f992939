/**
 * A late joiner's listing: once, from one member of its enclave, page through that member's directory
 * (`/repram/directory/1.0.0`) and apply the pages as announcements, so `GET /v1/keys` on this node also
 * shows keys written before it joined. One sync at a time; a failed one can be retried with another member.
 */
import { DIRECTORY_PAGE_ENTRIES } from '../../protocols/ids.js'
import { DirectoryStatus } from '../../protocols/messages.js'
import type { Logger } from '../node/logger.js'
import type { RepramProtocols } from '../wire/repram-protocols.js'
import type { WireEngine } from '../wire/wire-engine.js'
import { type Announcements, Verdict } from './announcements.js'

export class DirectorySync {
  private running = false
  /** The directory came from a member (the join gate waits for it). */
  done = false

  constructor(
    private readonly c: { wire: WireEngine; protocols: RepramProtocols; announcements: Announcements; logger: Logger },
    private readonly init: { enclave: string },
  ) {}

  /** True while a sync runs or once one succeeded: nothing more to start. */
  get busyOrDone(): boolean {
    return this.running || this.done
  }

  /** Pages through `peer`'s directory; on failure the next call may try another member. */
  async from(peer: string): Promise<void> {
    if (this.busyOrDone) return
    this.running = true
    let after = ''
    try {
      for (;;) {
        const res = await this.c.wire.request(peer, this.c.protocols.directory, { after, limit: DIRECTORY_PAGE_ENTRIES, enclave: this.init.enclave })
        if (res.status !== DirectoryStatus.DIRECTORY_OK) throw new Error(`directory sync refused: ${res.status}`)
        const verdict = this.c.announcements.apply(peer, this.init.enclave, res.entries, false)
        if (verdict === Verdict.Reject) throw new Error('directory page rejected')
        if (!res.more || res.entries.length === 0) break
        after = res.entries[res.entries.length - 1].key
      }
      this.done = true
      this.c.logger.debug('directory synced', { peer })
    } catch (err) {
      this.c.logger.debug('directory sync failed', { peer, err: err as Error })
    } finally {
      this.running = false
    }
  }
}
