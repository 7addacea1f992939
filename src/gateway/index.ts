/**
 * The HTTP front door (contract: docs/http-api.md). A request enters `gateway.ts` (node:http server,
 * limits, lifecycle), is routed by `router.ts` (rate limit, CORS preflight, route by path), handled
 * by one of `routes/*` which calls the node facade — never anything below it — and any thrown error
 * is answered through the one error table (`error-response.ts`). Unparsable requests are answered by
 * `client-error.ts`.
 */
export { Gateway, type GatewayComponents, type GatewayInit } from './gateway.js'
