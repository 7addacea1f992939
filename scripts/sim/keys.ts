/**
 * Key derivation for the workload, following the seed document's conventions (`handoff:`,
 * `heartbeat:`, `scratch:`, `lock:`, `state:`, `broadcast:` prefixes, `:` between levels). Every key
 * carries the run id so two simulations against one mesh never share keys. A dead drop's key is
 * derived from shared context (`sha256(task + sender + receiver)`), so writer and reader compute it
 * independently, as real agents would.
 */
import { createHash } from 'node:crypto'

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** `handoff:` + sha256(runId:task:sender→receiver): both agents can compute it without talking. */
export function handoffKey(runId: string, task: string, sender: string, receiver: string): string {
  return `handoff:${sha256Hex(`${runId}:${task}:${sender}→${receiver}`)}`
}

export function heartbeatKey(runId: string, worker: number): string {
  return `heartbeat:${runId}:worker-${worker}`
}

export function scratchKey(runId: string, agent: number): string {
  return `scratch:${runId}:agent-${agent}:reasoning`
}

export function lockKey(runId: string, pipeline: number, stage: number): string {
  return `lock:${runId}:pipeline-${pipeline}:stage-${stage}`
}

export function stateKey(runId: string, jobHex: string): string {
  return `state:${runId}:job-${jobHex}`
}

export function dedupKey(runId: string, eventId: number): string {
  return `dedup:${runId}:event-${eventId}`
}

export function broadcastKey(runId: string, channel: number): string {
  return `broadcast:${runId}:config:flags-${channel}`
}

/** The prefix every key of a run starts with after its role, for listing one run's keys. */
export function runPrefix(role: string, runId: string): string {
  return `${role}:${runId}:`
}
