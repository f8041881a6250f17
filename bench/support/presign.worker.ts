import { parentPort, workerData } from 'node:worker_threads';
import { loadPrivateKey, signMessage } from '../../src/signing';

/** One slice of presign(): signs each message with the key given, at the time it is signed. */
interface Input {
  privateKeyPem: string;
  messages: Array<{ path: string; clientId: string; body: string }>;
}

const input = workerData as Input;
const key = loadPrivateKey(input.privateKeyPem);
const out = input.messages.map((m) => {
  const time = new Date().toISOString();
  return { time, signature: signMessage({ method: 'POST', path: m.path, clientId: m.clientId, time, body: m.body }, key) };
});
parentPort!.postMessage(out);
