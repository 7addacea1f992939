/**
 * The descriptors of REPRAM's request/response protocols (store, fetch, directory, members) for the wire
 * engine: ids, limits and timeouts from protocols/ids.ts, codecs from protocols/messages.ts, and the
 * status each protocol uses to report a handler failure.
 */
import {
  DIRECTORY_MAX_MESSAGE_BYTES,
  DIRECTORY_PROTOCOL,
  DIRECTORY_TIMEOUT_MS,
  FETCH_PROTOCOL,
  FETCH_TIMEOUT_MS,
  MEMBERS_MAX_ADDRS,
  MEMBERS_MAX_ENTRIES,
  MEMBERS_MAX_MESSAGE_BYTES,
  MEMBERS_PROTOCOL,
  MEMBERS_TIMEOUT_MS,
  recordMessageBytes,
  SMALL_MESSAGE_BYTES,
  STORE_PROTOCOL,
  STORE_TIMEOUT_MS,
} from '../../protocols/ids.js'
import {
  DirectoryRequest,
  DirectoryResponse,
  DirectoryStatus,
  FetchRequest,
  FetchResponse,
  FetchStatus,
  MembersRequest,
  MembersResponse,
  MembersStatus,
  StoreRequest,
  StoreResponse,
  StoreStatus,
} from '../../protocols/messages.js'
import type { ProtocolDescriptor } from './protocol.js'
import { installUint64EncodingFix } from './uint64-encoding-fix.js'

// Before any message is encoded: see uint64-encoding-fix.ts.
installUint64EncodingFix()

export interface RepramProtocols {
  store: ProtocolDescriptor<StoreRequest, StoreResponse>
  fetch: ProtocolDescriptor<FetchRequest, FetchResponse>
  directory: ProtocolDescriptor<DirectoryRequest, DirectoryResponse>
  members: ProtocolDescriptor<MembersRequest, MembersResponse>
}

function message(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).slice(0, 200)
}

export function repramProtocols(limits: { maxKeyBytes: number; maxValueBytes: number; directoryPageEntries: number }): RepramProtocols {
  const recordBytes = recordMessageBytes(limits.maxKeyBytes, limits.maxValueBytes)
  // A write pushes the same request object to each of its replicas (see Pusher): it is encoded once.
  // Requests are never mutated once built, so the object's identity stands for its bytes.
  let lastStore: StoreRequest | undefined
  let lastStoreBytes: Uint8Array = new Uint8Array(0)
  const encodeStore = (r: StoreRequest): Uint8Array => {
    if (r !== lastStore) {
      lastStoreBytes = StoreRequest.encode(r)
      lastStore = r
    }
    return lastStoreBytes
  }
  return {
    store: {
      id: STORE_PROTOCOL,
      maxRequestBytes: recordBytes,
      maxResponseBytes: SMALL_MESSAGE_BYTES,
      timeoutMs: STORE_TIMEOUT_MS,
      encodeRequest: encodeStore,
      decodeRequest: (b) => StoreRequest.decode(b),
      encodeResponse: (r) => StoreResponse.encode(r),
      decodeResponse: (b) => StoreResponse.decode(b),
      errorResponse: (err) => ({ status: StoreStatus.STORE_ERROR, message: message(err), currentHlc: 0n, currentNode: 0 }),
    },
    fetch: {
      id: FETCH_PROTOCOL,
      maxRequestBytes: limits.maxKeyBytes + SMALL_MESSAGE_BYTES,
      maxResponseBytes: recordBytes,
      timeoutMs: FETCH_TIMEOUT_MS,
      encodeRequest: (r) => FetchRequest.encode(r),
      decodeRequest: (b) => FetchRequest.decode(b),
      encodeResponse: (r) => FetchResponse.encode(r),
      decodeResponse: (b) => FetchResponse.decode(b),
      errorResponse: () => ({ status: FetchStatus.FETCH_ERROR }),
    },
    directory: {
      id: DIRECTORY_PROTOCOL,
      maxRequestBytes: limits.maxKeyBytes + SMALL_MESSAGE_BYTES,
      maxResponseBytes: DIRECTORY_MAX_MESSAGE_BYTES,
      timeoutMs: DIRECTORY_TIMEOUT_MS,
      encodeRequest: (r) => DirectoryRequest.encode(r),
      decodeRequest: (b) => DirectoryRequest.decode(b),
      encodeResponse: (r) => DirectoryResponse.encode(r),
      decodeResponse: (b) => DirectoryResponse.decode(b, { limits: { entries: limits.directoryPageEntries } }),
      errorResponse: () => ({ status: DirectoryStatus.DIRECTORY_ERROR, entries: [], more: false }),
    },
    members: {
      id: MEMBERS_PROTOCOL,
      maxRequestBytes: SMALL_MESSAGE_BYTES,
      maxResponseBytes: MEMBERS_MAX_MESSAGE_BYTES,
      timeoutMs: MEMBERS_TIMEOUT_MS,
      encodeRequest: (r) => MembersRequest.encode(r),
      decodeRequest: (b) => MembersRequest.decode(b),
      encodeResponse: (r) => MembersResponse.encode(r),
      decodeResponse: (b) => MembersResponse.decode(b, { limits: { members: MEMBERS_MAX_ENTRIES, members$: { addrs: MEMBERS_MAX_ADDRS } } }),
      errorResponse: () => ({ status: MembersStatus.MEMBERS_ERROR, members: [] }),
    },
  }
}
