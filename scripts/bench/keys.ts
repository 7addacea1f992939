/** Bench key names: a prefix plus a zero-padded index, so byte order equals numeric order. */
export function padIndex(i: number, width: number): string {
  return String(i).padStart(width, '0')
}

/** Digits needed to write every index below count. */
export function indexWidth(count: number): number {
  return String(Math.max(0, count - 1)).length
}
