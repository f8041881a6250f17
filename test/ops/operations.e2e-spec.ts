import { startTestApp, type TestApp } from '../support/test-app';
import { testEngine } from '../support/test-database';

describe(`operations endpoints on ${testEngine()}`, () => {
  let sut: TestApp;
  beforeAll(async () => {
    sut = await startTestApp();
  });
  afterAll(() => sut.close());

  it('answers liveness', async () => {
    const res = await fetch(`${sut.baseUrl}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('reports ready once the database answers and every migration is applied', async () => {
    const res = await fetch(`${sut.baseUrl}/health/ready`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', checks: { database: 'ok', migrations: 'ok' } });
  });

  it('echoes a caller-supplied request id and makes one otherwise', async () => {
    const given = await fetch(`${sut.baseUrl}/health/live`, { headers: { 'x-request-id': 'support-ticket-42' } });
    expect(given.headers.get('x-request-id')).toBe('support-ticket-42');
    const made = await fetch(`${sut.baseUrl}/health/live`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exports Prometheus text with latency histograms by route', async () => {
    await fetch(`${sut.baseUrl}/health/live`);
    const res = await fetch(`${sut.baseUrl}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/acqp_http_request_duration_seconds_count\{method="GET",route="\/health\/live",status_code="200"\} [1-9]/);
  });

  it('serves the OpenAPI document', async () => {
    const res = await fetch(`${sut.baseUrl}/docs/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready', '/metrics']));
  });

  it('reports not ready while draining', async () => {
    const { HealthService } = await import('../../src/ops/health.service');
    const other = await startTestApp();
    try {
      other.app.get(HealthService).startDraining();
      const res = await fetch(`${other.baseUrl}/health/ready`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'unavailable', draining: true });
    } finally {
      await other.close();
    }
  });
});
