/**
 * Merging two listing pages of the same query (same prefix, cursor and limit) from two sources of live
 * keys — this node's store and the directory of keys held only elsewhere — into the page the mesh-wide
 * listing would give: UTF-8 byte order, each key once, at most `limit`, `more` when anything is left.
 * Correct because each source's page holds every one of its keys up to its last one: a key either page
 * left out sorts after `limit` keys of its own source, so it cannot be among the first `limit` of the union.
 */
import { fromByteKey, toByteKey } from '../store/byte-key.js'
import type { ListPage } from '../store/types.js'

export function mergePages(a: ListPage, b: ListPage, limit: number): ListPage {
  if (b.keys.length === 0) return a.keys.length > limit ? { keys: a.keys.slice(0, limit), more: true } : a
  if (a.keys.length === 0) return b.keys.length > limit ? { keys: b.keys.slice(0, limit), more: true } : b
  const ka = a.keys.map(toByteKey)
  const kb = b.keys.map(toByteKey)
  const keys: string[] = []
  let i = 0
  let j = 0
  let more = a.more || b.more
  while (i < ka.length || j < kb.length) {
    let next: string
    if (j >= kb.length || (i < ka.length && ka[i] < kb[j])) next = ka[i++]
    else if (i >= ka.length || kb[j] < ka[i]) next = kb[j++]
    else {
      next = ka[i++]
      j++
    }
    if (keys.length === limit) {
      more = true
      break
    }
    keys.push(next)
  }
  return { keys: keys.map(fromByteKey), more }
}
