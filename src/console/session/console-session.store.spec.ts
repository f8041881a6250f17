import { ManualClock } from '../../common/clock';
import { ConsoleSessionStore, MAX_SESSIONS, SESSION_TTL_MS } from './console-session.store';

describe(ConsoleSessionStore.name, () => {
  let clock: ManualClock;
  let sut: ConsoleSessionStore;

  beforeEach(() => {
    clock = new ManualClock(new Date('2026-11-22T08:00:00.000Z'));
    sut = new ConsoleSessionStore(clock);
  });

  it('hands out opaque random ids and CSRF tokens, different every time', () => {
    const a = sut.create();
    const b = sut.create();
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([a.id, b.id, a.csrfToken, b.csrfToken]).size).toBe(4);
    expect(a.expiresAt.toISOString()).toBe(new Date(clock.now().getTime() + SESSION_TTL_MS).toISOString());
  });

  it('finds a live session by id, and with its CSRF token only', () => {
    const s = sut.create();
    expect(sut.find(s.id)).toMatchObject({ id: s.id, csrfToken: s.csrfToken });
    expect(sut.findWithCsrf(s.id, s.csrfToken)?.id).toBe(s.id);
    expect(sut.findWithCsrf(s.id, `${s.csrfToken}x`)).toBeNull();
    expect(sut.findWithCsrf(s.id, undefined)).toBeNull();
    expect(sut.find(`${s.id}x`)).toBeNull();
    expect(sut.find(undefined)).toBeNull();
  });

  it('forgets a session when it expires', () => {
    const s = sut.create();
    clock.advance(SESSION_TTL_MS - 1);
    expect(sut.find(s.id)).not.toBeNull();
    clock.advance(1);
    expect(sut.find(s.id)).toBeNull();
    expect(sut.size).toBe(0);
  });

  it('forgets a destroyed session', () => {
    const s = sut.create();
    sut.destroy(s.id);
    expect(sut.find(s.id)).toBeNull();
  });

  it('keeps at most MAX_SESSIONS, dropping the oldest', () => {
    const first = sut.create();
    for (let i = 1; i < MAX_SESSIONS; i++) sut.create();
    const last = sut.create();
    expect(sut.size).toBe(MAX_SESSIONS);
    expect(sut.find(first.id)).toBeNull();
    expect(sut.find(last.id)).not.toBeNull();
  });
});
