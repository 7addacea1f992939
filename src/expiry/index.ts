/**
 * Forgetting on schedule. ExpiryWheel (expiry-wheel.ts) knows which ids expire when, with work
 * proportional to what expires; Sweeper (sweeper.ts) drains it on an interval in bounded slices. The
 * store uses both to reclaim expired records; the mesh's key directory reuses the wheel.
 */
export { EXPIRY_GRANULARITY_MS, ExpiryWheel, type ExpiryWheelInit } from './expiry-wheel.js'
export { SWEEP_INTERVAL_MS, SWEEP_SLICE_MS, Sweeper, type SweeperComponents, type SweeperInit } from './sweeper.js'
