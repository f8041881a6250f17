import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/config.error';
import { loadConfig } from '../config/load-config';
import { parseDuration, parseDurationList } from '../config/duration';

const sandbox = (env: Record<string, string> = {}) => loadConfig({ DATA_DIR: mkdtempSync(join(tmpdir(), 'acqp-cfg-')), ...env });

describe('callbacks configuration', () => {
  it('defaults to the Antom schedule, 5 days to disable, 10 s, 128/4 in flight, 1 s poll', () => {
    const sut = sandbox().callbacks;
    expect(sut).toMatchObject({
      retryScheduleMs: [0, 120_000, 600_000, 600_000, 3_600_000, 7_200_000, 21_600_000, 54_000_000],
      disableAfterMs: 5 * 86_400_000,
      timeoutMs: 10_000,
      pollMs: 1_000,
      concurrency: 128,
      endpointConcurrency: 4,
    });
  });

  it('opens loopback to callbacks in sandbox mode only', () => {
    expect(sandbox().callbacks.allowPrivateNetworks).toEqual(['127.0.0.0/8', '::1/128']);
    expect(sandbox({ CALLBACK_ALLOW_PRIVATE_NETWORKS: '10.1.0.0/16' }).callbacks.allowPrivateNetworks).toEqual(['10.1.0.0/16']);
  });

  it('names every bad callback variable at once', () => {
    const env = {
      CALLBACK_RETRY_SCHEDULE: '0s,2x',
      CALLBACK_DISABLE_AFTER: '10',
      CALLBACK_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8,lan',
      CALLBACK_CONCURRENCY: '0',
    };
    expect(() => sandbox(env)).toThrow(ConfigError);
    try {
      sandbox(env);
    } catch (err) {
      const message = (err as Error).message;
      for (const name of ['CALLBACK_RETRY_SCHEDULE', 'CALLBACK_DISABLE_AFTER', 'CALLBACK_ALLOW_PRIVATE_NETWORKS has lan', 'CALLBACK_CONCURRENCY']) {
        expect(message).toContain(name);
      }
    }
  });
});

describe(parseDuration.name, () => {
  it('reads a number with a unit, nothing else', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('5d')).toBe(432_000_000);
    expect(parseDuration('5')).toBeNull();
    expect(parseDuration('1.5h')).toBeNull();
    expect(parseDurationList('0s, 2m')).toEqual([0, 120_000]);
    expect(parseDurationList('0s,,2m')).toBeNull();
  });
});
