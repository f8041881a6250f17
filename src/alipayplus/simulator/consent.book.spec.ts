import { ConsentBook, redirectWithCode } from './consent.book';

describe(ConsentBook.name, () => {
  let sut: ConsentBook;
  beforeEach(() => {
    sut = new ConsentBook();
  });
  const consent = (authState: string) => ({
    authState,
    authClientId: 'C',
    referenceMerchantId: 'M',
    authRedirectUrl: 'https://m.example/back',
    scopes: ['AGREEMENT_PAY'],
    customerBelongsTo: 'ALIPAY_CN',
    acquirerId: 'A',
    pspId: 'P',
  });

  it('finds by ticket, or the latest consent prepared with an authState, and gives each out once', () => {
    const first = sut.open(consent('S1'));
    const second = sut.open(consent('S1'));
    expect(first.ticket).not.toBe(second.ticket);
    expect(sut.find(first.ticket)).toBe(first);
    expect(sut.find({ authState: 'S1' })).toBe(second);

    expect(sut.take({ authState: 'S1' })).toBe(second);
    expect(sut.take(second.ticket)).toBeUndefined();
    expect(sut.pending()).toEqual([first]);
  });
});

describe(redirectWithCode.name, () => {
  it.each([
    ['https://m.example/back', 'https://m.example/back?authCode=C%2B1&authState=S+2'],
    ['https://m.example/back?x=1', 'https://m.example/back?x=1&authCode=C%2B1&authState=S+2'],
    ['https://m.example/back?x=1#done', 'https://m.example/back?x=1&authCode=C%2B1&authState=S+2#done'],
  ])('%s', (url, expected) => {
    expect(redirectWithCode(url, 'C+1', 'S 2')).toBe(expected);
  });
});
