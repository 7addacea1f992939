/**
 * libp2p's datastore, minus what strangers could make us hold: kad-dht in server mode stores
 * PUT_VALUE records and ADD_PROVIDER records of any peer without quota. REPRAM uses neither (records
 * travel over its own protocols), so writes under the DHT's prefix are accepted and dropped; the
 * peer store and everything else keep working in memory.
 */

import type { AbortOptions } from '@libp2p/interface'
import { MemoryDatastore } from 'datastore-core'
import type { Key } from 'interface-datastore/key'

/** kad-dht's datastore prefix for records and provider records. */
const DHT_PREFIX = '/dht/'

export class BoundedDatastore extends MemoryDatastore {
  dropped = 0

  override put(key: Key, val: Uint8Array, options?: AbortOptions): Key | Promise<Key> {
    if (key.toString().startsWith(DHT_PREFIX)) {
      this.dropped++
      return key
    }
    return super.put(key, val, options)
  }
}
