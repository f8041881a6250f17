import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * The official Antom server SDKs, run as they are: Python on Debian's
 * python3 (with python3-rsa and python3-cryptography), PHP on Debian's
 * php-cli (with php-curl). Each is found through an environment variable
 * that `.ci/run` points at ../shared/vendor; a developer points it at their
 * own checkout of alipay/global-open-sdk-python or -php. The gateway itself
 * never reads them.
 */
export type SdkName = 'python' | 'php';

const SDKS: Record<SdkName, { dirVariable: string; interpreter: string; driver: string; upstream: string }> = {
  python: {
    dirVariable: 'ANTOM_SDK_PYTHON_DIR',
    // Debian's interpreter, where apt installs python3-rsa and python3-cryptography (not a pyenv's).
    interpreter: process.env.ANTOM_SDK_PYTHON ?? '/usr/bin/python3',
    driver: join(__dirname, 'python', 'antom_sdk_driver.py'),
    upstream: 'alipay/global-open-sdk-python',
  },
  php: {
    dirVariable: 'ANTOM_SDK_PHP_DIR',
    interpreter: process.env.ANTOM_SDK_PHP ?? 'php',
    driver: join(__dirname, 'php', 'antom_sdk_driver.php'),
    upstream: 'alipay/global-open-sdk-php',
  },
};

const IN_CI = process.env.CI === 'true';

/** One SDK call: the API and its fields. */
export type SdkCall =
  | { api: 'revoke' | 'query'; accessToken: string; merchantAccountId?: string }
  | { api: 'consult'; customerBelongsTo: string; authRedirectUrl: string; scopes: string[]; authState: string; terminalType: string }
  | { api: 'applyToken'; grantType: 'AUTHORIZATION_CODE' | 'REFRESH_TOKEN'; customerBelongsTo: string; authCode?: string; refreshToken?: string };

/** What the SDK made of the gateway's answer: its parsed response, or the exception it raised. */
export type SdkCallResult =
  | { api: string; ok: true; path: string; response: { result: { resultCode: string; resultStatus: string; resultMessage: string } } & Record<string, unknown> }
  | { api: string; ok: false; error: string };

/** A callback as the merchant's receiver got it, to be checked by the SDK's own verification code. */
export interface SdkNotification {
  requestUri: string;
  /** The client id the merchant checks under: its own. */
  clientId: string;
  requestTime: string;
  signature: string;
  body: string;
}

export interface SdkNotificationResult {
  valid: boolean;
  error?: string;
  notify?: Record<string, unknown>;
}

export interface SdkJob {
  gatewayUrl: string;
  clientId: string;
  /** The merchant's private key, bare base64 as the SDKs take it. */
  merchantPrivateKey: string;
  /** The gateway's public key, bare base64 as the SDKs take it. */
  gatewayPublicKey: string;
  calls?: SdkCall[];
  notifications?: SdkNotification[];
}

export interface SdkAnswer {
  calls: SdkCallResult[];
  notifications: SdkNotificationResult[];
}

/**
 * `describe` when the SDK's folder is set; without it, `describe.skip` with a
 * message saying how to run it, except under CI=true, where a missing SDK
 * fails the run instead of passing unseen.
 */
export function describeWithSdk(sdk: SdkName, title: string, fn: () => void): void {
  const { dirVariable, upstream } = SDKS[sdk];
  if (process.env[dirVariable]) {
    describe(title, fn);
    return;
  }
  const why = `${dirVariable} is not set: point it at a checkout of ${upstream} (.ci/run points it at ../shared/vendor)`;
  if (IN_CI) {
    describe(title, () => {
      it('runs with the official SDK', () => {
        throw new Error(`${why}; under CI=true the interop tier must run`);
      });
    });
    return;
  }
  console.warn(`SKIPPED "${title}": ${why}.`);
  describe.skip(title, fn);
}

/** How long one SDK process may take; a hung call is killed rather than left behind the test run. */
const PROCESS_TIMEOUT_MS = 60_000;

/** Runs one job through the SDK's driver in its own process and returns what the SDK answered. */
export async function runSdk(sdk: SdkName, job: SdkJob): Promise<SdkAnswer> {
  const { dirVariable, driver } = SDKS[sdk];
  const out = await runInterpreter(sdk, [driver], JSON.stringify(job), { [dirVariable]: process.env[dirVariable] ?? '' });
  try {
    return JSON.parse(out) as SdkAnswer;
  } catch {
    throw new Error(`${sdk} SDK driver printed no JSON:\n${out}`);
  }
}

/** Runs Python source with the SDK importable (PYTHONPATH), as a merchant's program would; answers its stdout. */
export function runPythonWithSdk(source: string): Promise<string> {
  return runInterpreter('python', ['-'], source, { PYTHONPATH: process.env[SDKS.python.dirVariable] ?? '' });
}

function runInterpreter(sdk: SdkName, args: string[], input: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(SDKS[sdk].interpreter, args, {
      // No .pyc files: the SDK's folder is someone else's, and stays as it was.
      env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${sdk} process did not finish within ${PROCESS_TIMEOUT_MS} ms:\n${err}`));
    }, PROCESS_TIMEOUT_MS);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${sdk} process exited ${code}:\n${err}`));
    });
    child.stdin.end(input);
  });
}
