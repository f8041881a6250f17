import { DomainError } from './errors/domain-error';
import { encodeCursor, MAX_PAGE_SIZE, pageRequest, toPage } from './keyset-page';

describe(pageRequest.name, () => {
  const sut = pageRequest;

  it('defaults the size and round-trips a cursor', () => {
    const last = { createdAt: new Date('2026-05-01T10:00:00.123Z'), id: '6f1c2f8e-0000-4000-8000-000000000001' };
    expect(sut(undefined, undefined)).toEqual({ limit: 50 });
    expect(sut(10, encodeCursor(last))).toEqual({ limit: 10, after: last });
  });

  it.each([
    ['a zero limit', 0, undefined],
    ['a limit above the maximum', MAX_PAGE_SIZE + 1, undefined],
    ['a fractional limit', 2.5, undefined],
    ['a cursor that is not one', 10, 'garbage'],
    ['a cursor with a bad time', 10, Buffer.from('yesterday|abc').toString('base64url')],
  ])('refuses %s', (_case, limit, cursor) => {
    expect(() => sut(limit, cursor)).toThrow(DomainError);
  });
});

describe(toPage.name, () => {
  const row = (n: number) => ({ createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n)), id: `id-${n}` });

  it('cuts the look-ahead row and points the cursor at the last row shown', () => {
    const sut = toPage([row(3), row(2), row(1)], { limit: 2 }, (r) => r.id);
    expect(sut.items).toEqual(['id-3', 'id-2']);
    expect(sut.nextCursor).toBe(encodeCursor(row(2)));
  });

  it('has no cursor on the last page', () => {
    expect(toPage([row(1)], { limit: 2 }, (r) => r.id).nextCursor).toBeNull();
  });
});
