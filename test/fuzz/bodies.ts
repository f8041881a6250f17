import fc from 'fast-check';
import { deeplyNested, validBody, type DtoModel, type Overrides } from './dto-model';
import { invalidBody } from './dto-mutations';
import type { BodySpec, Splice } from './plan';

// Request bodies: junk, bodies a DTO must refuse, and their bytes at sending time.

const SPLICE_PROTO = [
  '"__proto__":{"accessToken":"x"}',
  '"__proto__":null',
  '"__proto__":[]',
  '"constructor":{"prototype":{"x":1}}',
  '"constructor":1',
  '"a":{"__proto__":{"b":1}}',
  '"a":[{"constructor":{"prototype":{}}}]',
];

export const splice: fc.Arbitrary<Splice> = fc.oneof(
  fc
    .tuple(fc.constantFrom(10_000, 10_000, 3_000, 500), fc.constantFrom('array', 'object') as fc.Arbitrary<'array'>)
    .map(([depth, shape]): Splice => ({ kind: 'deep', depth, shape })),
  fc.constant<Splice>({ kind: 'invalid-utf8' }),
  fc.constant<Splice>({ kind: 'huge-numbers' }),
  fc.constantFrom(...SPLICE_PROTO).map((text): Splice => ({ kind: 'proto', text })),
);

const junkJson = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.object({ maxDepth: 2 }));

/** Bodies for unsigned junk: anything at all. */
export const junkBody: fc.Arbitrary<BodySpec> = fc.oneof(
  { arbitrary: fc.constant<BodySpec>({ kind: 'none' }), weight: 60 },
  { arbitrary: fc.uint8Array({ maxLength: 512 }).map((b): BodySpec => ({ kind: 'bytes', bytes: [...b] })), weight: 60 },
  { arbitrary: fc.string({ maxLength: 200 }).map((text): BodySpec => ({ kind: 'text', text })), weight: 40 },
  { arbitrary: junkJson.map((value): BodySpec => ({ kind: 'json', value })), weight: 60 },
  {
    arbitrary: fc.tuple(junkJson, fc.double({ min: 0, max: 0.999, noNaN: true })).map(([value, f]): BodySpec => ({ kind: 'truncated', value, keep: f })),
    weight: 40,
  },
  {
    arbitrary: fc
      .tuple(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }), splice)
      .map(([value, s]): BodySpec => ({ kind: 'json', value, splice: s })),
    weight: 60,
  },
  {
    arbitrary: fc.constantFrom('limit-1', 'limit', 'limit+1', '2x limit').map((size): BodySpec => ({ kind: 'sized', around: {}, size: size as 'limit' })),
    weight: 3,
  },
);

/** Bodies a signed protocol call must refuse. */
export function refusedBody(models: DtoModel[], overrides: Overrides): fc.Arbitrary<{ body: BodySpec; what: string }> {
  const model = fc.constantFrom(...models);
  const invalid = model.chain((m) => invalidBody(m, overrides).map((i) => ({ ...i, model: m })));
  const valid = model.chain((m) => validBody(m, overrides).map((body) => ({ body, model: m })));
  const asObject = (v: unknown) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? v : {});
  return fc.oneof(
    { arbitrary: invalid.map((i) => ({ body: { kind: 'json', value: i.body } satisfies BodySpec, what: `${i.model.name} ${i.what}` })), weight: 150 },
    {
      arbitrary: fc
        .tuple(invalid, splice)
        .map(([i, s]) => ({ body: { kind: 'json', value: asObject(i.body), splice: s } satisfies BodySpec, what: `${i.model.name} ${i.what} + ${s.kind}` })),
      weight: 40,
    },
    {
      // The parser alone must refuse these: a valid body cut short, or with a prototype key.
      arbitrary: fc
        .tuple(valid, fc.double({ min: 0, max: 0.999, noNaN: true }))
        .map(([v, keep]) => ({ body: { kind: 'truncated', value: v.body, keep } satisfies BodySpec, what: `${v.model.name} truncated` })),
      weight: 20,
    },
    {
      arbitrary: fc.tuple(valid, fc.constantFrom('"__proto__":{}', '"__proto__":{"x":1}', '"constructor":{"prototype":{}}')).map(([v, text]) => ({
        body: { kind: 'json', value: v.body, splice: { kind: 'proto', text } } satisfies BodySpec,
        what: `${v.model.name} valid + ${text}`,
      })),
      weight: 15,
    },
    {
      arbitrary: fc.uint8Array({ maxLength: 300 }).map((b) => ({ body: { kind: 'bytes', bytes: [...b] } satisfies BodySpec, what: 'random bytes' })),
      weight: 10,
    },
    { arbitrary: fc.constant({ body: { kind: 'none' } satisfies BodySpec, what: 'no body' }), weight: 5 },
    {
      arbitrary: fc.tuple(invalid, fc.constantFrom('limit-1', 'limit', 'limit+1', '2x limit')).map(([i, size]) => ({
        body: { kind: 'sized', around: asObject(i.body), size } satisfies BodySpec,
        what: `${i.model.name} ${i.what} padded to ${size}`,
      })),
      weight: 2,
    },
  );
}

const HUGE_NUMBERS = `"n1":1e999999,"n2":-${'9'.repeat(5000)},"n3":0.${'0'.repeat(5000)}1,"n4":123456789012345678901234567890,"n5":-0,"n6":1E-400`;
const INVALID_UTF8 = Buffer.concat([
  Buffer.from('"'),
  Buffer.from([0xff, 0xfe]),
  Buffer.from('":"'),
  Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80, 0xf4, 0x90, 0x80, 0x80, 0xc0, 0xaf, 0xe2, 0x82]),
  Buffer.from('"'),
]);
const deepCache = new Map<string, string>();

function spliceBytes(s: Splice): Buffer {
  switch (s.kind) {
    case 'deep': {
      const key = `${s.shape}:${s.depth}`;
      if (!deepCache.has(key)) deepCache.set(key, `"deep":${deeplyNested(s.depth, s.shape)}`);
      return Buffer.from(deepCache.get(key)!);
    }
    case 'invalid-utf8':
      return INVALID_UTF8;
    case 'huge-numbers':
      return Buffer.from(HUGE_NUMBERS);
    case 'proto':
      return Buffer.from(s.text);
  }
}

function jsonBytes(value: unknown, s?: Splice): Buffer {
  const text = JSON.stringify(value) ?? 'null';
  if (!s || !text.startsWith('{')) return Buffer.from(text);
  const rest = text.slice(1);
  return Buffer.concat([Buffer.from('{'), spliceBytes(s), Buffer.from(rest === '}' ? '}' : `,${rest}`)]);
}

export function bodyBytes(spec: BodySpec, limit: number): Buffer | null {
  switch (spec.kind) {
    case 'none':
      return null;
    case 'text':
      return Buffer.from(spec.text);
    case 'bytes':
      return Buffer.from(spec.bytes);
    case 'json':
      return jsonBytes(spec.value, spec.splice);
    case 'truncated': {
      const full = Buffer.from(JSON.stringify(spec.value) ?? 'null');
      return full.subarray(0, Math.min(full.length - 1, Math.floor(full.length * spec.keep)));
    }
    case 'sized': {
      const size = { 'limit-1': limit - 1, limit, 'limit+1': limit + 1, '2x limit': 2 * limit }[spec.size];
      const head = Buffer.from(JSON.stringify(spec.around) ?? '{}');
      const prefix = head.length > 2 ? `${head.subarray(0, head.length - 1).toString()},"pad":"` : '{"pad":"';
      const padding = Math.max(0, size - Buffer.byteLength(prefix) - 2);
      return Buffer.from(`${prefix}${'x'.repeat(padding)}"}`);
    }
  }
}
