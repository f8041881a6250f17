import fc from 'fast-check';

// A small description of a request DTO's contract (types, max lengths, presence rules), from
// which fast-check builds bodies that must be accepted and single mutations that must be
// refused with a problem naming the field. The property specs beside each DTO and the HTTP
// fuzz share these models.

/**
 * `required`: present and valid. `optional`: absent, null or valid (protocol
 * OptionalString, admin Nullable). `omittable`: absent or valid, null refused
 * (admin Omittable).
 */
export type Presence = 'required' | 'optional' | 'omittable';

export type FieldSpec =
  /** `empty`: `refused` ("" refused, " " fine), `blank-refused` (needs a non-space), `allowed`. */
  | { kind: 'string'; max: number; empty: 'refused' | 'blank-refused' | 'allowed' }
  /** `others`: values that are accepted elsewhere (another variant), so never used as a mutation. */
  | { kind: 'enum'; values: readonly string[]; others?: readonly string[] }
  | { kind: 'pattern'; valid: fc.Arbitrary<string>; accepts: (s: string) => boolean }
  | { kind: 'int'; min: number; max: number }
  /** `offset`: ISO 8601 with a zone, as Alipay+ writes times; `iso8601`: class-validator IsISO8601 strict. */
  | { kind: 'time'; style: 'offset' | 'iso8601' }
  | { kind: 'stringList'; maxItems: number; itemMax: number }
  | { kind: 'enumList'; values: readonly string[] }
  | { kind: 'object'; model: DtoModel }
  /** Not validated in this variant (a ValidateIf that is off): anything goes, never mutated. */
  | { kind: 'unchecked' };

export interface Field {
  name: string;
  presence: Presence;
  spec: FieldSpec;
}

export interface DtoModel {
  name: string;
  /** A JSON body, or a query string (values are strings, arrays of strings when a key repeats). */
  source: 'json' | 'query';
  /** Protocol DTOs accept fields Alipay+ may add later; admin DTOs refuse unknown fields. */
  unknownKeys: 'accepted' | 'refused';
  fields: Field[];
}

/** A body that must be refused, and the path the problem must start with (`body` for the whole body). */
export interface Invalid {
  body: unknown;
  path: string;
  what: string;
}

export type Overrides = Partial<Record<string, fc.Arbitrary<unknown>>>;

// Field builders, so a model reads like the DTO it mirrors.
export const text = (max: number, empty: 'refused' | 'blank-refused' | 'allowed' = 'refused'): FieldSpec => ({ kind: 'string', max, empty });
export const oneOf = (values: readonly string[], others?: readonly string[]): FieldSpec => ({ kind: 'enum', values, others });
export const int = (min: number, max: number): FieldSpec => ({ kind: 'int', min, max });
export const required = (name: string, spec: FieldSpec): Field => ({ name, presence: 'required', spec });
export const optional = (name: string, spec: FieldSpec): Field => ({ name, presence: 'optional', spec });
export const omittable = (name: string, spec: FieldSpec): Field => ({ name, presence: 'omittable', spec });
export const unchecked = (name: string): Field => ({ name, presence: 'optional', spec: { kind: 'unchecked' } });

const SAMPLE_CHARS = ['x', 'é', '😀', '中', ' ', '\u0000', '"', '\\'];

// ---------------------------------------------------------------------------------------------
// Valid values

function validString(max: number, empty: 'refused' | 'blank-refused' | 'allowed'): fc.Arbitrary<string> {
  const min = empty === 'allowed' ? 0 : 1;
  const any = fc.oneof(
    fc.string({ unit: 'binary', minLength: min, maxLength: Math.min(max, 32) }),
    fc.string({ unit: 'grapheme-ascii', minLength: min, maxLength: Math.min(max, 256) }),
    // Long runs up to exactly the maximum, in 1-, 2- and 4-byte characters.
    fc.tuple(fc.constantFrom(...SAMPLE_CHARS), fc.integer({ min: Math.max(min, 1), max }), fc.boolean()).map(([c, n, atMax]) => c.repeat(atMax ? max : n)),
  );
  if (empty !== 'blank-refused') return any;
  return any.map((s) => (/\S/.test(s) ? s : `a${[...s].slice(1).join('')}`));
}

const MAX_TIME_MS = Date.UTC(9999, 11, 30);

/** `2026-11-22T10:15:30.123+08:00` (or `Z`), the local time shown for the offset. */
const offsetTime = fc
  .tuple(
    fc.integer({ min: Date.UTC(1970, 0, 2), max: MAX_TIME_MS }),
    fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
    fc.constantFrom(0, 1, 3, 6, 9),
    fc.boolean(),
  )
  .map(([ms, offset, digits, zulu]) => {
    const useZ = zulu && offset === 0;
    const local = new Date(ms + (useZ ? 0 : offset) * 60_000).toISOString();
    const fraction =
      digits === 0
        ? ''
        : `.${String(ms % 1000)
            .padStart(3, '0')
            .padEnd(digits, '0')
            .slice(0, digits)}`;
    const abs = Math.abs(offset);
    const zone = useZ ? 'Z' : `${offset < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    return `${local.slice(0, 19)}${fraction}${zone}`;
  });

const iso8601Time = fc.oneof(
  fc.integer({ min: 0, max: MAX_TIME_MS }).map((ms) => new Date(ms).toISOString()),
  fc.integer({ min: 0, max: MAX_TIME_MS }).map((ms) => new Date(ms).toISOString().slice(0, 10)),
  offsetTime,
);

export function validValue(spec: FieldSpec, source: DtoModel['source']): fc.Arbitrary<unknown> {
  switch (spec.kind) {
    case 'string':
      return validString(spec.max, spec.empty);
    case 'enum':
      return fc.constantFrom(...spec.values);
    case 'pattern':
      return spec.valid;
    case 'int': {
      const n = fc.oneof(fc.integer({ min: spec.min, max: spec.max }), fc.constantFrom(spec.min, spec.max));
      return source === 'query' ? n.map(String) : n;
    }
    case 'time':
      return spec.style === 'offset' ? offsetTime : iso8601Time;
    case 'stringList':
      return fc.oneof(
        fc.array(validString(spec.itemMax, 'allowed'), { maxLength: spec.maxItems }),
        fc.constant(Array.from({ length: spec.maxItems }, (_, i) => `S${i}`.padEnd(spec.itemMax, 'X'))),
      );
    case 'enumList':
      return fc.array(fc.constantFrom(...spec.values), { minLength: 1, maxLength: 6 });
    case 'object':
      return validBody(spec.model);
    case 'unchecked':
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function entry(field: Field, source: DtoModel['source'], override?: fc.Arbitrary<unknown>): fc.Arbitrary<[string, unknown] | null> {
  const value = (override ?? validValue(field.spec, source)).map((v): [string, unknown] => [field.name, v]);
  if (field.presence === 'required') return value;
  const absent = fc.constant(null);
  // Query strings cannot carry null.
  if (field.presence === 'omittable' || source === 'query') return fc.oneof({ arbitrary: value, weight: 3 }, absent);
  return fc.oneof({ arbitrary: value, weight: 3 }, absent, fc.constant<[string, unknown]>([field.name, null]));
}

/** Names of Object.prototype's members: class-transformer silently drops keys named like them. */
const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * A key that is none of the model's fields. Object.prototype's names are left
 * out: class-transformer drops them before validation, so the admin pipe lets
 * `{"toString": 1}` through silently instead of refusing an unknown field
 * (reported; harmless, the value never reaches a service).
 */
export function unknownKey(model: DtoModel): fc.Arbitrary<string> {
  const known = new Set(model.fields.map((f) => f.name));
  return fc
    .oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('extra', 'x', 'accessTokens', 'length', 'Name', 'name '))
    .filter((k) => !known.has(k) && k !== '__proto__' && k !== 'prototype' && !PROTOTYPE_NAMES.has(k));
}

/** Bodies the DTO must accept: every rule respected, optional fields absent or null, unknown fields where they are allowed. */
export function validBody(model: DtoModel, overrides: Overrides = {}): fc.Arbitrary<Record<string, unknown>> {
  const entries = fc.tuple(...model.fields.map((f) => entry(f, model.source, overrides[f.name])));
  const extras =
    model.unknownKeys === 'accepted'
      ? fc.dictionary(unknownKey(model), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })
      : fc.constant<Record<string, unknown>>({});
  return fc.tuple(entries, extras).map(([pairs, extra]) => {
    const body: Record<string, unknown> = { ...extra };
    for (const pair of pairs) if (pair) body[pair[0]] = pair[1];
    return body;
  });
}

/** Turns a query model's values into what Fastify hands Nest: an object without a prototype. */
export function asQuery(values: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(Object.create(null) as Record<string, unknown>, values);
}

/** JSON text nested `depth` levels deep (built as text: the nesting is the point). */
export function deeplyNested(depth: number, shape: 'array' | 'object'): string {
  return shape === 'array' ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** The validated fields of a body (recursively), for comparing what came in with what came out. */
export function knownFields(model: DtoModel, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const field of model.fields) {
    if (field.spec.kind === 'unchecked') continue;
    const v = (value as Record<string, unknown>)[field.name];
    out[field.name] = field.spec.kind === 'object' ? knownFields(field.spec.model, v) : v;
  }
  return out;
}
