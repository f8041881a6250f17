import { PollLoop } from './poll-loop';

/** A cycle the test finishes by hand, to see what the loop does while one runs. */
function gatedCycles() {
  const started: Array<() => void> = [];
  let count = 0;
  const cycle = () =>
    new Promise<void>((resolve) => {
      count++;
      started.push(resolve);
    });
  return { cycle, started, count: () => count };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(PollLoop.name, () => {
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'queueMicrotask', 'nextTick'] }));
  afterEach(() => jest.useRealTimers());

  it('runs a cycle at start, then one per poll interval', async () => {
    const gate = gatedCycles();
    const loop = new PollLoop(gate.cycle, 1_000);
    loop.start();
    await jest.advanceTimersByTimeAsync(0);
    expect(gate.count()).toBe(1);
    gate.started[0]();
    await jest.advanceTimersByTimeAsync(999);
    expect(gate.count()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(gate.count()).toBe(2);
    gate.started[1]();
    await loop.stop();
  });

  it('folds kicks during a cycle into one more cycle right after it', async () => {
    const gate = gatedCycles();
    const loop = new PollLoop(gate.cycle, 60_000);
    loop.start();
    await jest.advanceTimersByTimeAsync(0);
    loop.kick();
    loop.kick();
    gate.started[0]();
    await jest.advanceTimersByTimeAsync(0);
    expect(gate.count()).toBe(2);
    gate.started[1]();
    await jest.advanceTimersByTimeAsync(0);
    expect(gate.count()).toBe(2);
    await loop.stop();
  });

  it('runs again at once when a cycle leaves work behind', async () => {
    const gate = gatedCycles();
    const loop = new PollLoop(async () => {
      await gate.cycle();
      if (gate.count() === 1) loop.runAgain();
    }, 60_000);
    loop.start();
    await jest.advanceTimersByTimeAsync(0);
    gate.started[0]();
    await jest.advanceTimersByTimeAsync(0);
    expect(gate.count()).toBe(2);
    gate.started[1]();
    await loop.stop();
  });

  it('never overlaps cycles: runOnce waits for the running one', async () => {
    const gate = gatedCycles();
    const loop = new PollLoop(gate.cycle, 60_000);
    loop.start();
    await jest.advanceTimersByTimeAsync(0);
    const once = loop.runOnce();
    await tick();
    expect(gate.count()).toBe(1);
    gate.started[0]();
    await tick();
    expect(gate.count()).toBe(2);
    gate.started[1]();
    await once;
    await loop.stop();
  });

  it('stops: waits for the running cycle, then starts no other, kicked or not', async () => {
    const gate = gatedCycles();
    const loop = new PollLoop(gate.cycle, 1_000);
    loop.start();
    await jest.advanceTimersByTimeAsync(0);
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await tick();
    expect(stopped).toBe(false);
    gate.started[0]();
    await stopping;
    loop.kick();
    await jest.advanceTimersByTimeAsync(10_000);
    expect(gate.count()).toBe(1);
  });
});
