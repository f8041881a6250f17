import { Writable } from 'node:stream';
import { createRootLogger } from './logger';

describe(createRootLogger.name, () => {
  const capture = () => {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    return { sut: createRootLogger('info', stream), lines };
  };

  it('writes JSON lines with level names and the message under msg', () => {
    const { sut, lines } = capture();
    sut.child({ reqId: 'r-1' }).info({ merchantId: 'm1' }, 'hello');
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'hello', reqId: 'r-1', merchantId: 'm1', service: 'acqp-gateway' });
  });

  it('never writes a token, auth code, key or signature whole', () => {
    const { sut, lines } = capture();
    const accessToken = '281010033AB2F588D14B43238637264FCA5A1234';
    sut.info({
      accessToken,
      notification: { refreshToken: 'REFRESH-SECRET-0001', authCode: 'AUTHCODE-SECRET-0001' },
      deep: { body: { signature: 'SIGNATURE-SECRET-0001' } },
      privateKey: '-----BEGIN PRIVATE KEY-----MIIE',
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of [accessToken, 'REFRESH-SECRET-0001', 'AUTHCODE-SECRET-0001', 'SIGNATURE-SECRET-0001', 'MIIE']) {
      expect(text).not.toContain(secret);
    }
    expect(String(lines[0].accessToken)).toMatch(/^\[redacted .+\]$/);
  });

  it('redacts signature and authorization request headers', () => {
    const { sut, lines } = capture();
    sut.info({ req: { headers: { signature: 'algorithm=RSA256,signature=abc', authorization: 'Bearer xyz' } } });
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('signature=abc');
    expect(text).not.toContain('Bearer xyz');
  });

  it('keeps SQL and its parameters out of logged database errors', () => {
    const { sut, lines } = capture();
    const err = Object.assign(new Error('Duplicate entry'), {
      query: 'INSERT INTO authorizations (access_token_enc) VALUES (?)',
      parameters: ['v1.k1.SECRETCIPHERTEXT'],
      driverError: { code: 'ER_DUP_ENTRY', sql: "INSERT INTO authorizations VALUES ('v1.k1.SECRETCIPHERTEXT')" },
    });
    sut.error({ err }, 'failed');
    const text = JSON.stringify(lines[0]);
    expect(text).not.toContain('SECRETCIPHERTEXT');
    expect(text).toContain('ER_DUP_ENTRY');
    expect(text).toContain('Duplicate entry');
  });
});
