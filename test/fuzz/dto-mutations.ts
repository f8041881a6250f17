import fc from 'fast-check';
import { unknownKey, validBody, validValue, type DtoModel, type Field, type FieldSpec, type Invalid, type Overrides } from './dto-model';

// Bodies a DTO must refuse, each breaking exactly one rule of one field (or of the body as
// a whole), with the path the problem must name.

/** Size of the "huge array" mutation: far beyond any list the DTOs allow, cheap to build. */
export const HUGE_ARRAY_LENGTH = 10_000;

/** Characters validator.js counts as one each (no U+FE0E/FE0F presentation selectors: see validation bug report). */
const OVERSIZE_CHARS = ['x', 'é', '😀', '中', '"'];
const WHITESPACE = ['', ' ', '\t', '\n', '\r\n', '\u00a0', '\u3000', '\ufeff', '\u2028'];

interface BadValue {
  value: unknown;
  /** Below the field, for nested objects. */
  path?: string;
  what: string;
}

type WeightedBad = { arbitrary: fc.Arbitrary<BadValue>; weight: number };

/** Weight of ordinary mutations; huge arrays get 1, as validating one costs ~100 ms (class-transformer copies every item). */
const USUAL = 6;

const bad = (what: string, value: fc.Arbitrary<unknown>, weight = USUAL): WeightedBad => ({
  arbitrary: value.map((v) => ({ value: v, what })),
  weight,
});

function nest(value: unknown, depth: number, shape: 'array' | 'object'): unknown {
  let v = value;
  for (let i = 0; i < depth; i++) v = shape === 'array' ? [v] : { value: v };
  return v;
}

function hugeArray(item: unknown): unknown[] {
  return new Array<unknown>(HUGE_ARRAY_LENGTH).fill(item);
}

/** Values of a JSON type other than string (null excluded: it is a presence question). */
const notAString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(Number.MAX_SAFE_INTEGER * 1024),
  fc.array(fc.string({ maxLength: 4 }), { minLength: 1, maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { minKeys: 0, maxKeys: 2 }),
);

function wrongTypes(spec: FieldSpec, valid: fc.Arbitrary<unknown>, source: DtoModel['source']): WeightedBad[] {
  if (source === 'query') {
    // The only other shape a query value can take: the key repeated.
    return [bad('repeated query key', fc.array(fc.string({ maxLength: 8 }), { minLength: 2, maxLength: 4 }))];
  }
  const arrayShaped = spec.kind === 'stringList' || spec.kind === 'enumList';
  const out = [
    // A list nested in a list has a member that is not a string: refused like any other shape.
    bad(
      'extra nesting (array)',
      fc.tuple(valid, fc.constantFrom(1, 2, 3, 50)).map(([v, d]) => nest(v, d, 'array')),
    ),
    // Zeros: never a string, never a member, and too many for every bounded list.
    bad(
      'huge array',
      fc.constant(null).map(() => hugeArray(0)),
      1,
    ),
  ];
  if (spec.kind === 'object') {
    out.push(bad('not an object', fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 2 }))));
    return out;
  }
  if (arrayShaped) {
    out.push(bad('not an array', fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.dictionary(fc.string({ maxLength: 3 }), fc.string()))));
    return out;
  }
  out.push(
    bad(
      'extra nesting (object)',
      fc.tuple(valid, fc.constantFrom(1, 2, 50)).map(([v, d]) => nest(v, d, 'object')),
    ),
  );
  if (spec.kind === 'int') {
    out.push(bad('wrong type', fc.oneof(fc.integer({ min: spec.min, max: spec.max }).map(String), fc.boolean(), fc.string())));
  } else {
    out.push(bad('wrong type', notAString));
  }
  return out;
}

function invalidValues(field: Field, source: DtoModel['source']): WeightedBad[] {
  const spec = field.spec;
  const valid = validValue(spec, source);
  const out = wrongTypes(spec, valid, source);
  if (field.presence !== 'optional' && source === 'json') out.push(bad('null', fc.constant(null)));

  switch (spec.kind) {
    case 'string': {
      out.push(
        bad(
          'over-length',
          fc.tuple(fc.constantFrom(...OVERSIZE_CHARS), fc.integer({ min: 1, max: 64 })).map(([c, k]) => c.repeat(spec.max + k)),
        ),
      );
      if (spec.empty !== 'allowed') out.push(bad('empty string', fc.constant('')));
      if (spec.empty === 'blank-refused')
        out.push(
          bad(
            'blank string',
            fc.array(fc.constantFrom(...WHITESPACE), { minLength: 1, maxLength: 4 }).map((a) => a.join('')),
          ),
        );
      break;
    }
    case 'enum': {
      const accepted = new Set([...spec.values, ...(spec.others ?? [])]);
      out.push(
        bad(
          'not one of the values',
          fc
            .oneof(
              fc.string({ maxLength: 20 }),
              fc.constantFrom(...spec.values).map((v) => v.toLowerCase()),
              fc.constantFrom(...spec.values).map((v) => `${v} `),
              fc.constantFrom(...spec.values).map((v) => ` ${v}`),
            )
            .filter((v) => !accepted.has(v)),
        ),
      );
      break;
    }
    case 'pattern':
      out.push(
        bad(
          'does not match',
          fc.oneof(fc.string({ maxLength: 24 }), fc.constantFrom('', 'failed', 'A'.repeat(17), 'PEND ING')).filter((s) => !spec.accepts(s)),
        ),
      );
      break;
    case 'int': {
      const beyond = fc.oneof(
        fc.constantFrom(spec.min - 1, spec.max + 1),
        fc.integer({ min: spec.max + 1, max: spec.max * 1000 }),
        fc.integer({ min: -1_000_000, max: spec.min - 1 }),
      );
      const fractional = fc.integer({ min: spec.min, max: spec.max - 1 }).map((n) => n + 0.5);
      if (source === 'query') {
        const acceptedText = (s: string) => {
          const n = Number(s);
          return Number.isInteger(n) && n >= spec.min && n <= spec.max;
        };
        out.push(
          bad('out of range', beyond.map(String)),
          bad('not a whole number', fc.oneof(fractional.map(String), fc.constantFrom('', ' ', 'abc', 'NaN', 'Infinity', '1,5', '10e', '0.1e1x'))),
          bad(
            'not a number',
            fc.string({ maxLength: 10 }).filter((s) => !acceptedText(s)),
          ),
        );
      } else {
        out.push(bad('out of range', beyond), bad('not a whole number', fractional));
      }
      break;
    }
    case 'time': {
      // Nothing that starts like a date can be told apart from a valid one without the validator itself.
      const garbage = fc.string({ maxLength: 40 }).filter((s) => !/^[+-]?\d/.test(s));
      const fixed =
        spec.style === 'offset'
          ? [
              '2027-06-06T12:12:12',
              '2027-06-06 12:12:12+08:00',
              '2027-06-06T12:12:12+0800',
              '2027-06-06',
              '1780000000000',
              '06/06/2027',
              '2027-06-06T12:12:12 Z',
              'Z',
            ]
          : ['yesterday', '2026-13-01T00:00:00Z', '2026-11-20T25:00:00Z', '20261', 'T10:00:00Z', '2026-11-20T10:00:00+25:00'];
      out.push(bad('not a time', fc.oneof(garbage, fc.constantFrom(...fixed))));
      break;
    }
    case 'stringList':
      out.push(
        bad(
          'too many items',
          fc.integer({ min: spec.maxItems + 1, max: spec.maxItems + 100 }).map((n) => Array.from({ length: n }, (_, i) => `S${i}`)),
        ),
        bad(
          'an item too long',
          fc.tuple(validValue(spec, source), fc.integer({ min: 1, max: 32 })).map(([list, k]) => [...(list as string[]), 'X'.repeat(spec.itemMax + k)]),
        ),
        bad(
          'an item not a string',
          fc.tuple(validValue(spec, source), notAString, fc.nat()).map(([list, item, at]) => {
            const l = [...(list as unknown[])];
            l.splice(at % (l.length + 1), 0, item);
            return l;
          }),
        ),
      );
      break;
    case 'enumList':
      out.push(
        bad('empty list', fc.constant([])),
        bad(
          'an unknown member',
          fc
            .tuple(
              validValue(spec, source),
              fc.string({ maxLength: 16 }).filter((s) => !spec.values.includes(s)),
            )
            .map(([list, x]) => [...(list as string[]), x]),
        ),
        bad(
          'a non-string member',
          fc.tuple(validValue(spec, source), notAString).map(([list, x]) => [x, ...(list as unknown[])]),
        ),
      );
      break;
    case 'object':
      out.push({
        arbitrary: invalidFieldsOf(spec.model).map((inner) => ({ value: inner.body, path: inner.path, what: `nested: ${inner.what}` })),
        weight: USUAL * 4,
      });
      break;
    case 'unchecked':
      return [];
  }
  return out;
}

function setField(body: Record<string, unknown>, name: string, value: unknown): Record<string, unknown> {
  return { ...body, [name]: value };
}

function withoutField(body: Record<string, unknown>, name: string): Record<string, unknown> {
  const copy = { ...body };
  delete copy[name];
  return copy;
}

/** Field-level mutations only: one field broken (or a required one missing, or an unknown key where refused). */
function invalidFieldsOf(model: DtoModel, overrides: Overrides = {}): fc.Arbitrary<Invalid> {
  const base = validBody(model, overrides);
  const candidates: Array<{ arbitrary: fc.Arbitrary<Invalid>; weight: number }> = [];
  for (const field of model.fields) {
    for (const { arbitrary, weight } of invalidValues(field, model.source)) {
      candidates.push({
        weight,
        arbitrary: fc.tuple(base, arbitrary).map(([body, b]) => ({
          body: setField(body, field.name, b.value),
          path: b.path ? `${field.name}.${b.path}` : field.name,
          what: `${field.name}: ${b.what}`,
        })),
      });
    }
    if (field.presence === 'required') {
      candidates.push({
        weight: USUAL,
        arbitrary: base.map((body) => ({ body: withoutField(body, field.name), path: field.name, what: `${field.name}: missing` })),
      });
    }
  }
  if (model.unknownKeys === 'refused') {
    candidates.push({
      weight: USUAL * 2,
      arbitrary: fc.tuple(base, unknownKey(model), fc.jsonValue({ maxDepth: 1 })).map(([body, key, value]) => ({
        body: { ...body, [key]: value },
        path: key,
        what: `unknown field ${JSON.stringify(key)}`,
      })),
    });
  }
  return fc.oneof(...candidates);
}

/** JSON that is not an object: refused as a whole. */
export const notAnObject: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 4 }),
  fc.string({ maxLength: 16 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);

/**
 * Bodies the DTO must refuse, each with the path the problem must name:
 * wrong types, over-length strings, "" for optional fields, missing required
 * fields, extra nesting, huge arrays, unknown fields where refused, non-object JSON.
 */
export function invalidBody(model: DtoModel, overrides: Overrides = {}): fc.Arbitrary<Invalid> {
  const fields = invalidFieldsOf(model, overrides);
  if (model.source === 'query') return fields;
  return fc.oneof({ arbitrary: fields, weight: 9 }, { arbitrary: notAnObject.map((body) => ({ body, path: 'body', what: 'not an object' })), weight: 1 });
}

/** Objects whose known keys hold any JSON at all: for "never throws". */
export function anyValuesFor(model: DtoModel): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  for (const f of model.fields) shape[f.name] = fc.jsonValue({ maxDepth: 3 });
  return fc.record(shape, { requiredKeys: [] });
}
