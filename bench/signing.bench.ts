/**
 * Signing hot-path benchmark: is the signing module within 10% of raw
 * node:crypto? A report, not a test.
 *
 *   npm run build && node dist/bench/signing.bench.js
 *
 * "raw" is what a hand-rolled caller would do for the same message: build the
 * string to sign with Buffer.concat, then one crypto.sign / crypto.verify (for
 * verify, after decoding the base64 signature).
 *
 * This runs on shared, noisy machines, so raw and module are interleaved
 * finely: within each round they alternate in batches of a few calls, in ABBA
 * order, each batch timed on its own, so both sides see the same machine from
 * moment to moment. Each row shows the median round for each side, and the
 * median of the per-round module/raw ratios.
 */
import { generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { formatSignatureHeader, InboundRequest, parseMessageTime, SignedMessage, signMessage, verifyInboundRequest, verifyMessage } from '../src/signing';
import { runScenario, type Report } from './support/scenario';

/** Measured time per side in one round, in ms. */
const ROUND_MS = 300;
/** Rounds; ROUNDS × ROUND_MS is the measured time per side (3 s). */
const ROUNDS = 10;
/** Untimed warm-up per function, in ms, so JIT and OpenSSL caches settle first. */
const WARMUP_MS = 1000;
/** Calls per timed batch; raw and module batches alternate. */
const BATCH = 8;
/** The goal: module throughput at least 90% of raw. */
const GOAL_RATIO = 0.9;

let sink: unknown;

/** Nanoseconds taken by BATCH calls of fn. */
function timeBatch(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  for (let i = 0; i < BATCH; i++) sink = fn();
  return Number(process.hrtime.bigint() - start);
}

function warmUp(fn: () => unknown): void {
  const deadline = Date.now() + WARMUP_MS;
  while (Date.now() < deadline) timeBatch(fn);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

interface Comparison {
  raw: number;
  module: number;
  ratio: number;
}

function compare(raw: () => unknown, module: () => unknown): Comparison {
  warmUp(raw);
  warmUp(module);
  const rawRounds: number[] = [];
  const moduleRounds: number[] = [];
  const ratios: number[] = [];
  const roundNs = ROUND_MS * 1e6;
  for (let round = 0; round < ROUNDS; round++) {
    let rawNs = 0;
    let moduleNs = 0;
    let batches = 0;
    // ABBA: raw-module, module-raw, raw-module, …
    for (let rawFirst = round % 2 === 0; rawNs < roundNs || moduleNs < roundNs; rawFirst = !rawFirst) {
      if (rawFirst) {
        rawNs += timeBatch(raw);
        moduleNs += timeBatch(module);
      } else {
        moduleNs += timeBatch(module);
        rawNs += timeBatch(raw);
      }
      batches++;
    }
    const rawOps = (batches * BATCH) / (rawNs / 1e9);
    const moduleOps = (batches * BATCH) / (moduleNs / 1e9);
    rawRounds.push(rawOps);
    moduleRounds.push(moduleOps);
    ratios.push(moduleOps / rawOps);
  }
  return { raw: median(rawRounds), module: median(moduleRounds), ratio: median(ratios) };
}

function measure(): Report {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

  // A realistic authNotify TOKEN_CANCELED body, with non-ASCII text.
  const body = Buffer.from(
    JSON.stringify({
      authorizationNotifyType: 'TOKEN_CANCELED',
      authClientId: '2188238637260001',
      referenceMerchantId: 'M0000000001',
      accessToken: '281010033AB2F588D14B43238637264FCA5A1234',
      tokenCancelSource: 'PSP',
      acquirerId: '102218800000001234',
      pspId: '102208800000001230',
      passThroughInfo: '{"reason":"用户解绑","channel":"app"}',
    }),
    'utf8',
  );
  const message: SignedMessage = {
    method: 'POST',
    path: '/aps/api/v1/authorizations/authNotify',
    clientId: 'SANDBOX_5YC47N2ZQHJ004124',
    time: '2026-11-22T10:15:30+08:00',
    body,
  };
  const signatureBase64 = signMessage(message, privateKey);
  const request: InboundRequest = {
    method: message.method,
    path: message.path,
    headers: {
      'client-id': message.clientId,
      'request-time': message.time,
      signature: formatSignatureHeader(signatureBase64),
      'content-type': 'application/json; charset=UTF-8',
    },
    rawBody: body,
  };
  const publicKeys: readonly KeyObject[] = [publicKey];
  const verifyOptions = { publicKeys, nowMs: parseMessageTime(message.time)!, skewMs: 5 * 60_000 };

  const rawStringToSign = () => Buffer.concat([Buffer.from(`${message.method} ${message.path}\n${message.clientId}.${message.time}.`, 'utf8'), body]);
  const rawSign = () => sign('sha256', rawStringToSign(), privateKey);
  const rawVerify = () => verify('sha256', rawStringToSign(), publicKey, Buffer.from(signatureBase64, 'base64'));
  const moduleSign = () => signMessage(message, privateKey);
  const moduleVerify = () => verifyMessage(message, signatureBase64, publicKeys);
  const moduleInbound = () => verifyInboundRequest(request, verifyOptions);

  // Measure only code that does the right thing.
  if (rawSign().toString('base64') !== moduleSign() || !rawVerify() || !moduleVerify() || !moduleInbound().ok) {
    throw new Error('raw and module disagree; not benchmarking');
  }

  const rows: Array<[string, Comparison]> = [
    ['sign (signMessage)', compare(rawSign, moduleSign)],
    ['verify (verifyMessage)', compare(rawVerify, moduleVerify)],
    ['verify (verifyInboundRequest)', compare(rawVerify, moduleInbound)],
  ];

  return {
    setup: [
      `RSA-2048, body ${body.length} bytes, string to sign ${rawStringToSign().length} bytes; ${ROUNDS} rounds × ~${ROUND_MS} ms per side, raw/module alternating in batches of ${BATCH}; medians over rounds`,
    ],
    tables: [
      {
        title: 'Results',
        header: ['operation', 'raw ops/s', 'module ops/s', 'module/raw'],
        rows: rows.map(([name, r]) => [name, r.raw.toFixed(0), r.module.toFixed(0), r.ratio.toFixed(3)]),
      },
    ],
    goals: rows.map(([name, r]) => ({
      goal: `module within ${Math.round((1 - GOAL_RATIO) * 100)}% of raw node:crypto`,
      target: name,
      value: `${r.ratio.toFixed(3)}x`,
      pass: r.ratio >= GOAL_RATIO,
    })),
  };
}

runScenario({
  name: 'signing',
  title: 'signing hot path vs raw node:crypto',
  gateway: false,
  targets: ['rsa-2048'],
  options: {},
  settings: () => ({}),
  run: async (ctx) => {
    let report: Report = { setup: [], tables: [] };
    await ctx.target('rsa-2048', {}, async () => void (report = measure()));
    void sink;
    return report;
  },
});
