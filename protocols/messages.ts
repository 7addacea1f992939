import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface WireRecord {
  key: string
  value: Uint8Array<ArrayBuffer>
  hlc: bigint
  node: number
  createdAt: bigint
  ttlSeconds: number
  remainingMs: bigint
  size: number
}

export namespace WireRecord {
  let _codec: Codec<WireRecord>

  export const codec = (): Codec<WireRecord> => {
    if (_codec == null) {
      _codec = message<WireRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.value)
        }

        if ((obj.hlc != null && obj.hlc !== 0n)) {
          w.uint32(24)
          w.uint64(obj.hlc)
        }

        if ((obj.node != null && obj.node !== 0)) {
          w.uint32(32)
          w.uint32(obj.node)
        }

        if ((obj.createdAt != null && obj.createdAt !== 0n)) {
          w.uint32(40)
          w.uint64(obj.createdAt)
        }

        if ((obj.ttlSeconds != null && obj.ttlSeconds !== 0)) {
          w.uint32(48)
          w.uint32(obj.ttlSeconds)
        }

        if ((obj.remainingMs != null && obj.remainingMs !== 0n)) {
          w.uint32(56)
          w.uint64(obj.remainingMs)
        }

        if ((obj.size != null && obj.size !== 0)) {
          w.uint32(64)
          w.uint32(obj.size)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: '',
          value: uint8ArrayAlloc(0),
          hlc: 0n,
          node: 0,
          createdAt: 0n,
          ttlSeconds: 0,
          remainingMs: 0n,
          size: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.string()
              break
            }
            case 2: {
              obj.value = reader.bytes()
              break
            }
            case 3: {
              obj.hlc = reader.uint64()
              break
            }
            case 4: {
              obj.node = reader.uint32()
              break
            }
            case 5: {
              obj.createdAt = reader.uint64()
              break
            }
            case 6: {
              obj.ttlSeconds = reader.uint32()
              break
            }
            case 7: {
              obj.remainingMs = reader.uint64()
              break
            }
            case 8: {
              obj.size = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.hlc`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.node`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.createdAt`,
                value: reader.uint64()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.ttlSeconds`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.remainingMs`,
                value: reader.uint64()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface WireRecordKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface WireRecordValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface WireRecordHlcFieldEvent {
    field: '$.hlc'
    value: bigint
  }

  export interface WireRecordNodeFieldEvent {
    field: '$.node'
    value: number
  }

  export interface WireRecordCreatedAtFieldEvent {
    field: '$.createdAt'
    value: bigint
  }

  export interface WireRecordTtlSecondsFieldEvent {
    field: '$.ttlSeconds'
    value: number
  }

  export interface WireRecordRemainingMsFieldEvent {
    field: '$.remainingMs'
    value: bigint
  }

  export interface WireRecordSizeFieldEvent {
    field: '$.size'
    value: number
  }

  export function encode (obj: Partial<WireRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, WireRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WireRecord>): WireRecord {
    return decodeMessage(buf, WireRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<WireRecord>): Generator<WireRecordKeyFieldEvent | WireRecordValueFieldEvent | WireRecordHlcFieldEvent | WireRecordNodeFieldEvent | WireRecordCreatedAtFieldEvent | WireRecordTtlSecondsFieldEvent | WireRecordRemainingMsFieldEvent | WireRecordSizeFieldEvent> {
    return streamMessage(buf, WireRecord.codec(), opts)
  }
}

export enum StoreStatus {
  STORE_OK = 'STORE_OK',
  STORE_STALE = 'STORE_STALE',
  STORE_EXPIRED = 'STORE_EXPIRED',
  STORE_FULL = 'STORE_FULL',
  STORE_INVALID = 'STORE_INVALID',
  STORE_REFUSED = 'STORE_REFUSED',
  STORE_ERROR = 'STORE_ERROR'
}

enum __StoreStatusValues {
  STORE_OK = 0,
  STORE_STALE = 1,
  STORE_EXPIRED = 2,
  STORE_FULL = 3,
  STORE_INVALID = 4,
  STORE_REFUSED = 5,
  STORE_ERROR = 6
}

export namespace StoreStatus {
  export const codec = (): Codec<StoreStatus> => {
    return enumeration<StoreStatus>(__StoreStatusValues)
  }
}

export interface StoreRequest {
  record?: WireRecord
  handoff: boolean
  enclave: string
}

export namespace StoreRequest {
  let _codec: Codec<StoreRequest>

  export const codec = (): Codec<StoreRequest> => {
    if (_codec == null) {
      _codec = message<StoreRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.record != null) {
          w.uint32(10)
          WireRecord.codec().encode(obj.record, w)
        }

        if ((obj.handoff != null && obj.handoff !== false)) {
          w.uint32(16)
          w.bool(obj.handoff)
        }

        if ((obj.enclave != null && obj.enclave !== '')) {
          w.uint32(26)
          w.string(obj.enclave)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          handoff: false,
          enclave: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.record = WireRecord.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.record
              })
              break
            }
            case 2: {
              obj.handoff = reader.bool()
              break
            }
            case 3: {
              obj.enclave = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * WireRecord.codec().stream(reader, reader.uint32(), `${prefix}.record`, {
                limits: opts.limits?.record
              })

              break
            }
            case 2: {
              yield {
                field: `${prefix}.handoff`,
                value: reader.bool()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.enclave`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface StoreRequestRecordKeyFieldEvent {
    field: '$.record.key'
    value: string
  }

  export interface StoreRequestRecordValueFieldEvent {
    field: '$.record.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface StoreRequestRecordHlcFieldEvent {
    field: '$.record.hlc'
    value: bigint
  }

  export interface StoreRequestRecordNodeFieldEvent {
    field: '$.record.node'
    value: number
  }

  export interface StoreRequestRecordCreatedAtFieldEvent {
    field: '$.record.createdAt'
    value: bigint
  }

  export interface StoreRequestRecordTtlSecondsFieldEvent {
    field: '$.record.ttlSeconds'
    value: number
  }

  export interface StoreRequestRecordRemainingMsFieldEvent {
    field: '$.record.remainingMs'
    value: bigint
  }

  export interface StoreRequestRecordSizeFieldEvent {
    field: '$.record.size'
    value: number
  }

  export interface StoreRequestHandoffFieldEvent {
    field: '$.handoff'
    value: boolean
  }

  export interface StoreRequestEnclaveFieldEvent {
    field: '$.enclave'
    value: string
  }

  export function encode (obj: Partial<StoreRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoreRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreRequest>): StoreRequest {
    return decodeMessage(buf, StoreRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreRequest>): Generator<StoreRequestRecordKeyFieldEvent | StoreRequestRecordValueFieldEvent | StoreRequestRecordHlcFieldEvent | StoreRequestRecordNodeFieldEvent | StoreRequestRecordCreatedAtFieldEvent | StoreRequestRecordTtlSecondsFieldEvent | StoreRequestRecordRemainingMsFieldEvent | StoreRequestRecordSizeFieldEvent | StoreRequestHandoffFieldEvent | StoreRequestEnclaveFieldEvent> {
    return streamMessage(buf, StoreRequest.codec(), opts)
  }
}

export interface StoreResponse {
  status: StoreStatus
  message: string
  currentHlc: bigint
  currentNode: number
}

export namespace StoreResponse {
  let _codec: Codec<StoreResponse>

  export const codec = (): Codec<StoreResponse> => {
    if (_codec == null) {
      _codec = message<StoreResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __StoreStatusValues[obj.status] !== 0) {
          w.uint32(8)
          StoreStatus.codec().encode(obj.status, w)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(18)
          w.string(obj.message)
        }

        if ((obj.currentHlc != null && obj.currentHlc !== 0n)) {
          w.uint32(24)
          w.uint64(obj.currentHlc)
        }

        if ((obj.currentNode != null && obj.currentNode !== 0)) {
          w.uint32(32)
          w.uint32(obj.currentNode)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: StoreStatus.STORE_OK,
          message: '',
          currentHlc: 0n,
          currentNode: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = StoreStatus.codec().decode(reader)
              break
            }
            case 2: {
              obj.message = reader.string()
              break
            }
            case 3: {
              obj.currentHlc = reader.uint64()
              break
            }
            case 4: {
              obj.currentNode = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.status`,
                value: StoreStatus.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.message`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.currentHlc`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.currentNode`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface StoreResponseStatusFieldEvent {
    field: '$.status'
    value: StoreStatus
  }

  export interface StoreResponseMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export interface StoreResponseCurrentHlcFieldEvent {
    field: '$.currentHlc'
    value: bigint
  }

  export interface StoreResponseCurrentNodeFieldEvent {
    field: '$.currentNode'
    value: number
  }

  export function encode (obj: Partial<StoreResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoreResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreResponse>): StoreResponse {
    return decodeMessage(buf, StoreResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreResponse>): Generator<StoreResponseStatusFieldEvent | StoreResponseMessageFieldEvent | StoreResponseCurrentHlcFieldEvent | StoreResponseCurrentNodeFieldEvent> {
    return streamMessage(buf, StoreResponse.codec(), opts)
  }
}

export enum FetchStatus {
  FETCH_FOUND = 'FETCH_FOUND',
  FETCH_NOT_FOUND = 'FETCH_NOT_FOUND',
  FETCH_REFUSED = 'FETCH_REFUSED',
  FETCH_ERROR = 'FETCH_ERROR'
}

enum __FetchStatusValues {
  FETCH_FOUND = 0,
  FETCH_NOT_FOUND = 1,
  FETCH_REFUSED = 2,
  FETCH_ERROR = 3
}

export namespace FetchStatus {
  export const codec = (): Codec<FetchStatus> => {
    return enumeration<FetchStatus>(__FetchStatusValues)
  }
}

export interface FetchRequest {
  key: string
  metaOnly: boolean
  enclave: string
}

export namespace FetchRequest {
  let _codec: Codec<FetchRequest>

  export const codec = (): Codec<FetchRequest> => {
    if (_codec == null) {
      _codec = message<FetchRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if ((obj.metaOnly != null && obj.metaOnly !== false)) {
          w.uint32(16)
          w.bool(obj.metaOnly)
        }

        if ((obj.enclave != null && obj.enclave !== '')) {
          w.uint32(26)
          w.string(obj.enclave)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: '',
          metaOnly: false,
          enclave: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.string()
              break
            }
            case 2: {
              obj.metaOnly = reader.bool()
              break
            }
            case 3: {
              obj.enclave = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.metaOnly`,
                value: reader.bool()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.enclave`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FetchRequestKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface FetchRequestMetaOnlyFieldEvent {
    field: '$.metaOnly'
    value: boolean
  }

  export interface FetchRequestEnclaveFieldEvent {
    field: '$.enclave'
    value: string
  }

  export function encode (obj: Partial<FetchRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FetchRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchRequest>): FetchRequest {
    return decodeMessage(buf, FetchRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchRequest>): Generator<FetchRequestKeyFieldEvent | FetchRequestMetaOnlyFieldEvent | FetchRequestEnclaveFieldEvent> {
    return streamMessage(buf, FetchRequest.codec(), opts)
  }
}

export interface FetchResponse {
  status: FetchStatus
  record?: WireRecord
}

export namespace FetchResponse {
  let _codec: Codec<FetchResponse>

  export const codec = (): Codec<FetchResponse> => {
    if (_codec == null) {
      _codec = message<FetchResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __FetchStatusValues[obj.status] !== 0) {
          w.uint32(8)
          FetchStatus.codec().encode(obj.status, w)
        }

        if (obj.record != null) {
          w.uint32(18)
          WireRecord.codec().encode(obj.record, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: FetchStatus.FETCH_FOUND
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = FetchStatus.codec().decode(reader)
              break
            }
            case 2: {
              obj.record = WireRecord.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.record
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.status`,
                value: FetchStatus.codec().decode(reader)
              }
              break
            }
            case 2: {
              yield * WireRecord.codec().stream(reader, reader.uint32(), `${prefix}.record`, {
                limits: opts.limits?.record
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface FetchResponseStatusFieldEvent {
    field: '$.status'
    value: FetchStatus
  }

  export interface FetchResponseRecordKeyFieldEvent {
    field: '$.record.key'
    value: string
  }

  export interface FetchResponseRecordValueFieldEvent {
    field: '$.record.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface FetchResponseRecordHlcFieldEvent {
    field: '$.record.hlc'
    value: bigint
  }

  export interface FetchResponseRecordNodeFieldEvent {
    field: '$.record.node'
    value: number
  }

  export interface FetchResponseRecordCreatedAtFieldEvent {
    field: '$.record.createdAt'
    value: bigint
  }

  export interface FetchResponseRecordTtlSecondsFieldEvent {
    field: '$.record.ttlSeconds'
    value: number
  }

  export interface FetchResponseRecordRemainingMsFieldEvent {
    field: '$.record.remainingMs'
    value: bigint
  }

  export interface FetchResponseRecordSizeFieldEvent {
    field: '$.record.size'
    value: number
  }

  export function encode (obj: Partial<FetchResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FetchResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchResponse>): FetchResponse {
    return decodeMessage(buf, FetchResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FetchResponse>): Generator<FetchResponseStatusFieldEvent | FetchResponseRecordKeyFieldEvent | FetchResponseRecordValueFieldEvent | FetchResponseRecordHlcFieldEvent | FetchResponseRecordNodeFieldEvent | FetchResponseRecordCreatedAtFieldEvent | FetchResponseRecordTtlSecondsFieldEvent | FetchResponseRecordRemainingMsFieldEvent | FetchResponseRecordSizeFieldEvent> {
    return streamMessage(buf, FetchResponse.codec(), opts)
  }
}

export interface DirectoryEntry {
  key: string
  hlc: bigint
  node: number
  remainingMs: bigint
  size: number
  ttlSeconds: number
}

export namespace DirectoryEntry {
  let _codec: Codec<DirectoryEntry>

  export const codec = (): Codec<DirectoryEntry> => {
    if (_codec == null) {
      _codec = message<DirectoryEntry>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if ((obj.hlc != null && obj.hlc !== 0n)) {
          w.uint32(16)
          w.uint64(obj.hlc)
        }

        if ((obj.node != null && obj.node !== 0)) {
          w.uint32(24)
          w.uint32(obj.node)
        }

        if ((obj.remainingMs != null && obj.remainingMs !== 0n)) {
          w.uint32(32)
          w.uint64(obj.remainingMs)
        }

        if ((obj.size != null && obj.size !== 0)) {
          w.uint32(40)
          w.uint32(obj.size)
        }

        if ((obj.ttlSeconds != null && obj.ttlSeconds !== 0)) {
          w.uint32(48)
          w.uint32(obj.ttlSeconds)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: '',
          hlc: 0n,
          node: 0,
          remainingMs: 0n,
          size: 0,
          ttlSeconds: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.string()
              break
            }
            case 2: {
              obj.hlc = reader.uint64()
              break
            }
            case 3: {
              obj.node = reader.uint32()
              break
            }
            case 4: {
              obj.remainingMs = reader.uint64()
              break
            }
            case 5: {
              obj.size = reader.uint32()
              break
            }
            case 6: {
              obj.ttlSeconds = reader.uint32()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.key`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.hlc`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.node`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.remainingMs`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.size`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.ttlSeconds`,
                value: reader.uint32()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DirectoryEntryKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface DirectoryEntryHlcFieldEvent {
    field: '$.hlc'
    value: bigint
  }

  export interface DirectoryEntryNodeFieldEvent {
    field: '$.node'
    value: number
  }

  export interface DirectoryEntryRemainingMsFieldEvent {
    field: '$.remainingMs'
    value: bigint
  }

  export interface DirectoryEntrySizeFieldEvent {
    field: '$.size'
    value: number
  }

  export interface DirectoryEntryTtlSecondsFieldEvent {
    field: '$.ttlSeconds'
    value: number
  }

  export function encode (obj: Partial<DirectoryEntry>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DirectoryEntry.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectoryEntry>): DirectoryEntry {
    return decodeMessage(buf, DirectoryEntry.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectoryEntry>): Generator<DirectoryEntryKeyFieldEvent | DirectoryEntryHlcFieldEvent | DirectoryEntryNodeFieldEvent | DirectoryEntryRemainingMsFieldEvent | DirectoryEntrySizeFieldEvent | DirectoryEntryTtlSecondsFieldEvent> {
    return streamMessage(buf, DirectoryEntry.codec(), opts)
  }
}

export enum DirectoryStatus {
  DIRECTORY_OK = 'DIRECTORY_OK',
  DIRECTORY_REFUSED = 'DIRECTORY_REFUSED',
  DIRECTORY_ERROR = 'DIRECTORY_ERROR'
}

enum __DirectoryStatusValues {
  DIRECTORY_OK = 0,
  DIRECTORY_REFUSED = 1,
  DIRECTORY_ERROR = 2
}

export namespace DirectoryStatus {
  export const codec = (): Codec<DirectoryStatus> => {
    return enumeration<DirectoryStatus>(__DirectoryStatusValues)
  }
}

export interface DirectoryRequest {
  after: string
  limit: number
  enclave: string
}

export namespace DirectoryRequest {
  let _codec: Codec<DirectoryRequest>

  export const codec = (): Codec<DirectoryRequest> => {
    if (_codec == null) {
      _codec = message<DirectoryRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.after != null && obj.after !== '')) {
          w.uint32(10)
          w.string(obj.after)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(16)
          w.uint32(obj.limit)
        }

        if ((obj.enclave != null && obj.enclave !== '')) {
          w.uint32(26)
          w.string(obj.enclave)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          after: '',
          limit: 0,
          enclave: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.after = reader.string()
              break
            }
            case 2: {
              obj.limit = reader.uint32()
              break
            }
            case 3: {
              obj.enclave = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.after`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.enclave`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DirectoryRequestAfterFieldEvent {
    field: '$.after'
    value: string
  }

  export interface DirectoryRequestLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export interface DirectoryRequestEnclaveFieldEvent {
    field: '$.enclave'
    value: string
  }

  export function encode (obj: Partial<DirectoryRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DirectoryRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectoryRequest>): DirectoryRequest {
    return decodeMessage(buf, DirectoryRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectoryRequest>): Generator<DirectoryRequestAfterFieldEvent | DirectoryRequestLimitFieldEvent | DirectoryRequestEnclaveFieldEvent> {
    return streamMessage(buf, DirectoryRequest.codec(), opts)
  }
}

export interface DirectoryResponse {
  status: DirectoryStatus
  entries: DirectoryEntry[]
  more: boolean
}

export namespace DirectoryResponse {
  let _codec: Codec<DirectoryResponse>

  export const codec = (): Codec<DirectoryResponse> => {
    if (_codec == null) {
      _codec = message<DirectoryResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __DirectoryStatusValues[obj.status] !== 0) {
          w.uint32(8)
          DirectoryStatus.codec().encode(obj.status, w)
        }

        if (obj.entries != null && obj.entries.length > 0) {
          for (const value of obj.entries) {
            w.uint32(18)
            DirectoryEntry.codec().encode(value, w)
          }
        }

        if ((obj.more != null && obj.more !== false)) {
          w.uint32(24)
          w.bool(obj.more)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: DirectoryStatus.DIRECTORY_OK,
          entries: [],
          more: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = DirectoryStatus.codec().decode(reader)
              break
            }
            case 2: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              obj.entries.push(DirectoryEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
              break
            }
            case 3: {
              obj.more = reader.bool()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          entries: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.status`,
                value: DirectoryStatus.codec().decode(reader)
              }
              break
            }
            case 2: {
              if (opts.limits?.entries != null && obj.entries === opts.limits.entries) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              for (const evt of DirectoryEntry.codec().stream(reader, reader.uint32(), `${prefix}.entries[]`, {
                limits: opts.limits?.entries$
              })) {
                yield {
                  ...evt,
                  index: obj.entries
                }
              }

              obj.entries++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.more`,
                value: reader.bool()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface DirectoryResponseStatusFieldEvent {
    field: '$.status'
    value: DirectoryStatus
  }

  export interface DirectoryResponseEntriesKeyFieldEvent {
    field: '$.entries[].key'
    value: string
    index: number
  }

  export interface DirectoryResponseEntriesHlcFieldEvent {
    field: '$.entries[].hlc'
    value: bigint
    index: number
  }

  export interface DirectoryResponseEntriesNodeFieldEvent {
    field: '$.entries[].node'
    value: number
    index: number
  }

  export interface DirectoryResponseEntriesRemainingMsFieldEvent {
    field: '$.entries[].remainingMs'
    value: bigint
    index: number
  }

  export interface DirectoryResponseEntriesSizeFieldEvent {
    field: '$.entries[].size'
    value: number
    index: number
  }

  export interface DirectoryResponseEntriesTtlSecondsFieldEvent {
    field: '$.entries[].ttlSeconds'
    value: number
    index: number
  }

  export interface DirectoryResponseMoreFieldEvent {
    field: '$.more'
    value: boolean
  }

  export function encode (obj: Partial<DirectoryResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, DirectoryResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectoryResponse>): DirectoryResponse {
    return decodeMessage(buf, DirectoryResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<DirectoryResponse>): Generator<DirectoryResponseStatusFieldEvent | DirectoryResponseEntriesKeyFieldEvent | DirectoryResponseEntriesHlcFieldEvent | DirectoryResponseEntriesNodeFieldEvent | DirectoryResponseEntriesRemainingMsFieldEvent | DirectoryResponseEntriesSizeFieldEvent | DirectoryResponseEntriesTtlSecondsFieldEvent | DirectoryResponseMoreFieldEvent> {
    return streamMessage(buf, DirectoryResponse.codec(), opts)
  }
}

export interface Announcement {
  enclave: string
  entries: DirectoryEntry[]
}

export namespace Announcement {
  let _codec: Codec<Announcement>

  export const codec = (): Codec<Announcement> => {
    if (_codec == null) {
      _codec = message<Announcement>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.enclave != null && obj.enclave !== '')) {
          w.uint32(10)
          w.string(obj.enclave)
        }

        if (obj.entries != null && obj.entries.length > 0) {
          for (const value of obj.entries) {
            w.uint32(18)
            DirectoryEntry.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          enclave: '',
          entries: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.enclave = reader.string()
              break
            }
            case 2: {
              if (opts.limits?.entries != null && obj.entries.length === opts.limits.entries) {
                throw new MaxLengthError('Decode error - repeated field "entries" had too many elements')
              }

              obj.entries.push(DirectoryEntry.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.entries$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          entries: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.enclave`,
                value: reader.string()
              }
              break
            }
            case 2: {
              if (opts.limits?.entries != null && obj.entries === opts.limits.entries) {
                throw new MaxLengthError('Streaming decode error - repeated field "entries" had too many elements')
              }

              for (const evt of DirectoryEntry.codec().stream(reader, reader.uint32(), `${prefix}.entries[]`, {
                limits: opts.limits?.entries$
              })) {
                yield {
                  ...evt,
                  index: obj.entries
                }
              }

              obj.entries++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AnnouncementEnclaveFieldEvent {
    field: '$.enclave'
    value: string
  }

  export interface AnnouncementEntriesKeyFieldEvent {
    field: '$.entries[].key'
    value: string
    index: number
  }

  export interface AnnouncementEntriesHlcFieldEvent {
    field: '$.entries[].hlc'
    value: bigint
    index: number
  }

  export interface AnnouncementEntriesNodeFieldEvent {
    field: '$.entries[].node'
    value: number
    index: number
  }

  export interface AnnouncementEntriesRemainingMsFieldEvent {
    field: '$.entries[].remainingMs'
    value: bigint
    index: number
  }

  export interface AnnouncementEntriesSizeFieldEvent {
    field: '$.entries[].size'
    value: number
    index: number
  }

  export interface AnnouncementEntriesTtlSecondsFieldEvent {
    field: '$.entries[].ttlSeconds'
    value: number
    index: number
  }

  export function encode (obj: Partial<Announcement>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Announcement.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Announcement>): Announcement {
    return decodeMessage(buf, Announcement.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Announcement>): Generator<AnnouncementEnclaveFieldEvent | AnnouncementEntriesKeyFieldEvent | AnnouncementEntriesHlcFieldEvent | AnnouncementEntriesNodeFieldEvent | AnnouncementEntriesRemainingMsFieldEvent | AnnouncementEntriesSizeFieldEvent | AnnouncementEntriesTtlSecondsFieldEvent> {
    return streamMessage(buf, Announcement.codec(), opts)
  }
}

export enum MembersStatus {
  MEMBERS_OK = 'MEMBERS_OK',
  MEMBERS_REFUSED = 'MEMBERS_REFUSED',
  MEMBERS_ERROR = 'MEMBERS_ERROR'
}

enum __MembersStatusValues {
  MEMBERS_OK = 0,
  MEMBERS_REFUSED = 1,
  MEMBERS_ERROR = 2
}

export namespace MembersStatus {
  export const codec = (): Codec<MembersStatus> => {
    return enumeration<MembersStatus>(__MembersStatusValues)
  }
}

export interface MembersRequest {
  enclave: string
}

export namespace MembersRequest {
  let _codec: Codec<MembersRequest>

  export const codec = (): Codec<MembersRequest> => {
    if (_codec == null) {
      _codec = message<MembersRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.enclave != null && obj.enclave !== '')) {
          w.uint32(10)
          w.string(obj.enclave)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          enclave: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.enclave = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.enclave`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MembersRequestEnclaveFieldEvent {
    field: '$.enclave'
    value: string
  }

  export function encode (obj: Partial<MembersRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MembersRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MembersRequest>): MembersRequest {
    return decodeMessage(buf, MembersRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MembersRequest>): Generator<MembersRequestEnclaveFieldEvent> {
    return streamMessage(buf, MembersRequest.codec(), opts)
  }
}

export interface MemberInfo {
  peerId: string
  addrs: string[]
}

export namespace MemberInfo {
  let _codec: Codec<MemberInfo>

  export const codec = (): Codec<MemberInfo> => {
    if (_codec == null) {
      _codec = message<MemberInfo>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.peerId != null && obj.peerId !== '')) {
          w.uint32(10)
          w.string(obj.peerId)
        }

        if (obj.addrs != null && obj.addrs.length > 0) {
          for (const value of obj.addrs) {
            w.uint32(18)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          peerId: '',
          addrs: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.peerId = reader.string()
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs.length === opts.limits.addrs) {
                throw new MaxLengthError('Decode error - repeated field "addrs" had too many elements')
              }

              obj.addrs.push(reader.string())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          addrs: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.peerId`,
                value: reader.string()
              }
              break
            }
            case 2: {
              if (opts.limits?.addrs != null && obj.addrs === opts.limits.addrs) {
                throw new MaxLengthError('Streaming decode error - repeated field "addrs" had too many elements')
              }

              yield {
                field: `${prefix}.addrs[]`,
                index: obj.addrs,
                value: reader.string()
              }

              obj.addrs++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MemberInfoPeerIdFieldEvent {
    field: '$.peerId'
    value: string
  }

  export interface MemberInfoAddrsFieldEvent {
    field: '$.addrs[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<MemberInfo>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MemberInfo.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberInfo>): MemberInfo {
    return decodeMessage(buf, MemberInfo.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MemberInfo>): Generator<MemberInfoPeerIdFieldEvent | MemberInfoAddrsFieldEvent> {
    return streamMessage(buf, MemberInfo.codec(), opts)
  }
}

export interface MembersResponse {
  status: MembersStatus
  members: MemberInfo[]
}

export namespace MembersResponse {
  let _codec: Codec<MembersResponse>

  export const codec = (): Codec<MembersResponse> => {
    if (_codec == null) {
      _codec = message<MembersResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.status != null && __MembersStatusValues[obj.status] !== 0) {
          w.uint32(8)
          MembersStatus.codec().encode(obj.status, w)
        }

        if (obj.members != null && obj.members.length > 0) {
          for (const value of obj.members) {
            w.uint32(18)
            MemberInfo.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          status: MembersStatus.MEMBERS_OK,
          members: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.status = MembersStatus.codec().decode(reader)
              break
            }
            case 2: {
              if (opts.limits?.members != null && obj.members.length === opts.limits.members) {
                throw new MaxLengthError('Decode error - repeated field "members" had too many elements')
              }

              obj.members.push(MemberInfo.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.members$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          members: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.status`,
                value: MembersStatus.codec().decode(reader)
              }
              break
            }
            case 2: {
              if (opts.limits?.members != null && obj.members === opts.limits.members) {
                throw new MaxLengthError('Streaming decode error - repeated field "members" had too many elements')
              }

              for (const evt of MemberInfo.codec().stream(reader, reader.uint32(), `${prefix}.members[]`, {
                limits: opts.limits?.members$
              })) {
                yield {
                  ...evt,
                  index: obj.members
                }
              }

              obj.members++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface MembersResponseStatusFieldEvent {
    field: '$.status'
    value: MembersStatus
  }

  export interface MembersResponseMembersPeerIdFieldEvent {
    field: '$.members[].peerId'
    value: string
    index: number
  }

  export interface MembersResponseMembersAddrsFieldEvent {
    field: '$.members[].addrs[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<MembersResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, MembersResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MembersResponse>): MembersResponse {
    return decodeMessage(buf, MembersResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<MembersResponse>): Generator<MembersResponseStatusFieldEvent | MembersResponseMembersPeerIdFieldEvent | MembersResponseMembersAddrsFieldEvent> {
    return streamMessage(buf, MembersResponse.codec(), opts)
  }
}
