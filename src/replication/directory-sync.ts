/**
 * A late joiner's listing: once, from one member of its enclave, page through that member's directory
 * (`/repram/directory/1.0.0`) and apply the pages as announcements, so `GET /v1/keys` on this node also
 * shows keys written before it joined. It starts when the first member of our enclave joins; one sync
 * at a time; a failed one is retried with another member of the enclave, picked at random, every
 * RETRY_INTERVAL_MS until one succeeds.
 */
import { DIRECTORY_PAGE_ENTRIES } from '../../protocols/ids.js'
import { DirectoryStatus } from '../../protocols/messages.js'
import type { Membership } from '../placement/membership.js'
import type { Logger } from '../shared/logger.js'
import type { RepramProtocols } from '../wire/repram-protocols.js'
import type { WireEngine } from '../wire/wire-engine.js'
import { type Announcements, Verdict } from './announcements.js'

/** How often a failed (or not yet started) sync is tried again with a member of our enclave. */
export const RETRY_INTERVAL_MS = 1_000

export class DirectorySync {
  private running = false
  /** The directory came from a member (the join gate waits for it). */
  done = false
  private timer: NodeJS.Timeout | undefined
  private readonly onChanged = (peerId: string, kind: 'joined' | 'left'): void => {
    if (kind === 'joined' && !this.busyOrDone && this.c.membership?.get(peerId)?.enclave === this.init.enclave) void this.from(peerId)
  }

  constructor(
    private readonly c: { wire: WireEngine; protocols: RepramProtocols; announcements: Announcements; logger: Logger; membership?: Membership },
    private readonly init: { enclave: string },
  ) {}

  /** Syncs from the first member of our enclave that joins, and retries until one sync succeeded. */
  start(): void {
    const membership = this.c.membership
    if (this.timer || !membership) return
    membership.on('changed', this.onChanged)
    this.timer = setInterval(() => this.retry(), RETRY_INTERVAL_MS)
    this.timer.unref()
  }

  stop(): void {
    if (!this.timer) return
    clearInterval(this.timer)
    this.timer = undefined
    this.c.membership?.off('changed', this.onChanged)
  }

  private retry(): void {
    if (this.busyOrDone || !this.c.membership) return
    const candidates = [...this.c.membership.all()].filter((m) => m.enclave === this.init.enclave)
    if (candidates.length > 0) void this.from(candidates[Math.floor(Math.random() * candidates.length)].peerId)
  }

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
