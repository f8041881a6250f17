import { GroupSync } from './group-sync';

/** A flush the test completes by hand, recording when each one started. */
function manualFlush() {
  const started: Array<{ done: () => void; fail: (err: Error) => void }> = [];
  const flush = () =>
    new Promise<void>((resolve, reject) => {
      started.push({ done: resolve, fail: reject });
    });
  return { started, flush };
}

const settled = async <T>(p: Promise<T>) => {
  let state = 'pending';
  p.then(
    () => (state = 'resolved'),
    () => (state = 'rejected'),
  );
  for (let i = 0; i < 5; i++) await Promise.resolve();
  return state;
};

describe('GroupSync', () => {
  it('starts a flush at once when none is running, and resolves when it completes', async () => {
    const { started, flush } = manualFlush();
    const sync = new GroupSync(flush);
    const a = sync.sync();
    await settled(a);
    expect(started).toHaveLength(1);
    expect(await settled(a)).toBe('pending');
    started[0].done();
    expect(await settled(a)).toBe('resolved');
  });

  it('never counts a flush that was already running when the caller arrived: it waits for the next one', async () => {
    const { started, flush } = manualFlush();
    const sync = new GroupSync(flush);
    const first = sync.sync();
    await settled(first);
    const late = sync.sync();
    started[0].done();
    expect(await settled(first)).toBe('resolved');
    expect(await settled(late)).toBe('pending');
    expect(started).toHaveLength(2);
    started[1].done();
    expect(await settled(late)).toBe('resolved');
  });

  it('groups every caller that arrives during one flush into the single next flush', async () => {
    const { started, flush } = manualFlush();
    const sync = new GroupSync(flush);
    const first = sync.sync();
    await settled(first);
    const group = [sync.sync(), sync.sync(), sync.sync()];
    expect(started).toHaveLength(1);
    started[0].done();
    await settled(first);
    expect(started).toHaveLength(2);
    const third = sync.sync();
    started[1].done();
    for (const p of group) expect(await settled(p)).toBe('resolved');
    expect(await settled(third)).toBe('pending');
    expect(started).toHaveLength(3);
    started[2].done();
    expect(await settled(third)).toBe('resolved');
  });

  it('rejects the callers of a failed flush (so none is acknowledged) and flushes afresh for the next', async () => {
    const { started, flush } = manualFlush();
    const sync = new GroupSync(flush);
    const a = sync.sync();
    await settled(a);
    const b = sync.sync();
    started[0].fail(new Error('EIO'));
    await expect(a).rejects.toThrow('EIO');
    expect(await settled(b)).toBe('pending');
    started[1].done();
    await expect(b).resolves.toBeUndefined();
    const c = sync.sync();
    await settled(c);
    expect(started).toHaveLength(3);
    started[2].done();
    await expect(c).resolves.toBeUndefined();
  });
});
