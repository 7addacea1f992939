/**
 * What an agent needs to know to use REPRAM well without a manual: the patterns that fall out of
 * "PUT with a TTL, GET by key, silent overwrite, automatic expiry", and the key prefix conventions.
 * Sent as the server's instructions at initialize and quoted in the tool descriptions.
 */

export const PREFIX_CONVENTIONS = `Key prefix conventions (suggestions, not rules; ":" separates levels and works with prefix listing):
- handoff:  dead drop / agent-to-agent payload, e.g. handoff:task-742:agent-a->agent-b
- scratch:  one agent's working state, e.g. scratch:agent-c:reasoning-step-3
- lock:     coordination token / mutex, e.g. lock:pipeline:stage-2
- heartbeat: presence signal, e.g. heartbeat:worker-12
- state:    state machine / job status, e.g. state:job-9f3a
- broadcast: ephemeral broadcast channel, e.g. broadcast:config:feature-flags
On a shared network include enough context to be unique (lock:org-acme:pipeline-ingest:stage-2, not lock:stage-2).`

export const PATTERNS = `Patterns:
- Dead drop: store a payload under a key both sides can compute, e.g. handoff:<sha256(task_id + sender + receiver)>; the receiver retrieves it later; it self-destructs at TTL.
- Scratchpad: keep intermediate state under scratch:<agent>:<step>; each overwrite refreshes the TTL; it expires on its own when the work ends.
- Coordination token / lock: presence of lock:<resource> means "taken", absence (expiry) means "free". Check with repram_exists, then store your id with a short TTL; re-store to extend. There is no compare-and-set: read back after a moment to confirm you hold it.
- Heartbeat / presence: re-store heartbeat:<agent> every N seconds with a TTL of ~2-3 N; a missing key means the writer stopped. List prefix "heartbeat:" to see who is alive.
- State machine: overwrite state:<job> with queued -> in_progress -> complete; if a worker crashes, the key expires and pollers know the job did not finish.
- Circuit breaker: a service keeps heartbeat:<service> alive with a short TTL; callers check repram_exists first and back off when it is gone.
- Broadcast / pub-sub: a publisher overwrites broadcast:<channel>; readers poll it; stop writing and it expires.
- Dedup: before handling event E, check repram_exists dedup:<E>; after, store it; the TTL is the dedup window.
- Secure relay: encrypt before storing and share the key name and the secret out of band; REPRAM never sees plaintext.
There is no delete: values disappear at their TTL; overwrite to refresh.`

export const SERVER_INSTRUCTIONS = `REPRAM is ephemeral, replicated key-value storage: every value has a TTL and is destroyed everywhere when it expires. Store with repram_store, read with repram_retrieve, probe with repram_exists, discover with repram_list_keys.

${PATTERNS}

${PREFIX_CONVENTIONS}`
