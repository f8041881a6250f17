/**
 * How the benches run the gateway's node: with the heap cap it has in
 * production (Dockerfile CMD, `npm start`, `npm run start:prod`), so the
 * peak RSS they report is the deployed one.
 */
export const GATEWAY_NODE_ARGS: readonly string[] = ['--max-old-space-size=128'];
