/**
 * The store: a node's in-memory expiring records, pure (no network, time through an injected clock).
 * The facade's replicator writes accepted records here (`put`) and reads them back (`get`, `meta`, `list`,
 * `metas`); the expiry sweep removes them at their instant and emits 'expired'.
 *
 * Parts, each reusable on its own (the mesh's key directory uses the index, the byte keys and the wheel):
 * - MemoryStore (memory-store.ts): the RecordStore.
 * - KeyIndex (key-index.ts): ordered string map (B+tree), O(log n) insert/delete/seek, O(page) scans;
 *   SlotKeyIndex (slot-key-index.ts) also knows each slot's leaf, so an expiry deletes without a descent.
 * - byte keys (byte-key.ts): keys as one char per UTF-8 byte, so string order is UTF-8 byte order.
 * - ValueArena (value-arena.ts): value bytes packed into compacted chunks, zero-copy views.
 * - SlotTable / columns (slot-table.ts, columns.ts): per-record fields as paged typed arrays.
 */

export { COLUMN_PAGE_SLOTS, Float64Column, Int32Column, Uint32Column } from '../shared/columns.js'
export { fromByteKey, ownedByteKey, toByteKey } from './byte-key.js'
export { KEY_INDEX_NODE_CAPACITY, KeyIndex } from './key-index.js'
export { MemoryStore, type MemoryStoreComponents, type MemoryStoreInit } from './memory-store.js'
export * from './record.js'
export { SlotKeyIndex } from './slot-key-index.js'
export { SlotTable } from './slot-table.js'
export type * from './types.js'
export { ARENA_CHUNK_BYTES, ARENA_COMPACT_LIVE_RATIO, ARENA_LARGE_VALUE_BYTES, ValueArena, type ValueArenaInit } from './value-arena.js'
