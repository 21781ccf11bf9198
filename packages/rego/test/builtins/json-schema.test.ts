import { describe, expect, it } from 'vitest';
import { parseTerm } from '../../src/ast/parser.ts';
import { termToValue } from '../../src/term-value.ts';
import type { Value } from '../../src/value.ts';
import { call } from './call.ts';

const term = (s: string): Value => termToValue(parseTerm(s));
const match = (doc: string, schema: string): string => call('json.match_schema', term(doc), term(schema));
const violation = (field: string, type: string, desc: string): string =>
  JSON.stringify({ desc, error: `${field}: ${desc}`, field, type });
const invalid = (...vs: string[]): string => `[false,[${vs.join(',')}]]`;

describe('json.match_schema', () => {
  it.each([
    ['object keywords', '{"name": "x", "replicas": 3}',
      '{"type": "object", "properties": {"name": {"type": "string", "minLength": 2}, "replicas": {"type": "integer", "maximum": 2}}, "required": ["name", "image"]}',
      invalid(violation('(root)', 'required', 'image is required'),
        violation('name', 'string_gte', 'String length must be greater than or equal to 2'),
        violation('replicas', 'number_lte', 'Must be less than or equal to 2'))],
    ['additionalProperties false names the property on its parent', '{"a": 1, "extra": true}',
      '{"additionalProperties": false, "properties": {"a": {}}}',
      invalid(violation('(root)', 'additional_property_not_allowed', 'Additional property extra is not allowed'))],
    ['array keywords', '[1, 2, 2]', '{"uniqueItems": true, "minItems": 4, "items": {"type": "integer"}}',
      invalid(violation('(root)', 'array_min_items', 'Array must have at least 4 items'),
        violation('(root)', 'unique', 'array items[1,2] must be unique'))],
    ['enum quotes the allowed JSON values', '{"env": "qa"}', '{"properties": {"env": {"enum": ["prod", "staging"]}}}',
      invalid(violation('env', 'enum', 'env must be one of the following: "prod", "staging"'))],
    ['const', '{"env": "qa"}', '{"properties": {"env": {"const": "prod"}}}',
      invalid(violation('env', 'const', 'env does not match: "prod"'))],
    ['nested paths are dotted', '{"a": {"b": [{"c": "x"}]}}',
      '{"properties": {"a": {"properties": {"b": {"items": {"properties": {"c": {"type": "number"}}}}}}}}',
      invalid(violation('a.b.0.c', 'invalid_type', 'Invalid type. Expected: number, given: string'))],
    ['anyOf reports the closest branch', '"5"', '{"anyOf": [{"type": "string"}, {"type": "integer", "minimum": 10}]}',
      invalid(violation('(root)', 'number_any_of', 'Must validate at least one schema (anyOf)'),
        violation('(root)', 'number_gte', 'Must be greater than or equal to 10'))],
    ['oneOf with two matches', '"5"', '{"oneOf": [{"type": "integer"}, {"minimum": 1}]}',
      invalid(violation('(root)', 'number_one_of', 'Must validate one and only one schema (oneOf)'))],
    ['multipleOf is exact decimal arithmetic', '"0.3"', '{"multipleOf": 0.1}', '[true,[]]'],
    ['multipleOf failure', '"0.35"', '{"multipleOf": 0.1}', invalid(violation('(root)', 'multiple_of', 'Must be a multiple of 0.1'))],
    ['1.0 is an integer', '"1.0"', '{"type": "integer"}', '[true,[]]'],
    ['pattern and format', '"\\"abc\\""', '{"pattern": "^[0-9]+$", "format": "email"}',
      invalid(violation('(root)', 'pattern', "Does not match pattern '^[0-9]+$'"), violation('(root)', 'format', "Does not match format 'email'"))],
    ['date-time checks the calendar', '"\\"2024-02-30T00:00:00Z\\""', '{"format": "date-time"}',
      invalid(violation('(root)', 'format', "Does not match format 'date-time'"))],
    ['type lists', '"null"', '{"type": ["string", "number"]}',
      invalid(violation('(root)', 'invalid_type', 'Invalid type. Expected: [string,number], given: null'))],
    ['draft 6 exclusiveMaximum is a number', '"10"', '{"exclusiveMaximum": 10}', invalid(violation('(root)', 'number_lt', 'Must be less than 10'))],
    ['draft 4 exclusiveMaximum is a flag', '"10"', '{"$schema": "http://json-schema.org/draft-04/schema#", "maximum": 10, "exclusiveMaximum": true}',
      invalid(violation('(root)', 'number_lt', 'Must be less than 10'))],
    ['local $ref', '{"a": 1}', '{"$ref": "#/definitions/x", "definitions": {"x": {"required": ["b"]}}}',
      invalid(violation('(root)', 'required', 'b is required'))],
    ['recursive $ref', '{"child": {"child": {"name": 1}}}',
      '{"properties": {"name": {"type": "string"}, "child": {"$ref": "#"}}}',
      invalid(violation('child.child.name', 'invalid_type', 'Invalid type. Expected: string, given: integer'))],
    ['dependencies', '{"foo": 1}', '{"dependencies": {"foo": ["bar"]}}', invalid(violation('(root)', 'missing_dependency', 'Has a dependency on bar'))],
    ['if/then', '{"x": 1}', '{"if": {"required": ["x"]}, "then": {"required": ["y"]}}',
      invalid(violation('(root)', 'condition_then', 'Must validate "then" as "if" was valid'), violation('(root)', 'required', 'y is required'))],
    ['not', '{"x": 1}', '{"not": {"required": ["x"]}}', invalid(violation('(root)', 'number_not', 'Must not validate the schema (not)'))],
    ['propertyNames', '{"Ab": 1}', '{"propertyNames": {"pattern": "^[a-z]+$"}}',
      invalid(violation('(root)', 'invalid_property_name', 'Property name of "Ab" does not match'), violation('(root)', 'pattern', "Does not match pattern '^[a-z]+$'"))],
    ['contains', '[1, "a"]', '{"contains": {"type": "string", "minLength": 2}}',
      invalid(violation('(root)', 'contains', 'At least one of the items must match'), violation('1', 'string_gte', 'String length must be greater than or equal to 2'))],
    ['false schema', '{"x": 1}', '"false"', invalid(violation('(root)', 'false', 'False always fails validation'))],
    ['an empty enum rejects everything', '{"v": 1}', '{"enum": []}',
      invalid(violation('(root)', 'enum', '(root) must be one of the following: '))],
    ['sets validate as arrays', '{"tags": {"a", "b"}}', '{"properties": {"tags": {"type": "array", "items": {"enum": ["a", "b"]}}}}', '[true,[]]'],
  ])('%s', (_label, doc, schema, want) => {
    expect(match(doc, schema)).toBe(want);
  });

  it.each([
    ['{}', '{"type": "unknown"}', 'has a primitive type that is NOT VALID -- given: /unknown/ Expected valid values are:[array boolean integer number null object string]'],
    ['{}', '{"minLength": -1}', 'minLength must be greater than or equal to 0'],
    ['{}', '{"type": 5}', 'Invalid type. Expected: string/array of strings, given: type'],
    ['{}', '{"properties": 5}', 'Invalid type. Expected: object, given: properties'],
    ['{}', '{"pattern": "(("}', "Invalid regex pattern '(('"],
    ['{}', '{"enum": [1, 1.0]}', 'enum items must be unique'],
    ['{}', '{"multipleOf": 0}', 'multipleOf must be strictly greater than 0'],
    ['{}', '"{bad"', 'invalid JSON string'],
    ['"{bad"', '{}', 'invalid JSON string'],
    // Nothing outside the schema is fetched: OPA restricts remote refs to allow_net, we allow none.
    ['{}', '{"$ref": "http://169.254.169.254/s.json"}', 'References to other documents are not allowed: http://169.254.169.254/s.json'],
    ['{}', '{"$ref": "file:///etc/passwd"}', 'References to other documents are not allowed: file:///etc/passwd'],
  ])('rejects %s against %s', (doc, schema, message) => {
    expect(match(doc, schema)).toBe(`eval_builtin_error: json.match_schema: ${message}`);
  });
});

describe('json.verify_schema', () => {
  it.each([
    ['{"type": "string"}', '[true,null]'],
    ['"{\\"type\\": \\"string\\"}"', '[true,null]'],
    ['{"type": "foo"}', '[false,"jsonschema: has a primitive type that is NOT VALID -- given: /foo/ Expected valid values are:[array boolean integer number null object string]"]'],
    ['"{\\"type\\": 1"', '[false,"jsonschema: invalid JSON string"]'],
    ['{"$ref": "#/definitions/missing"}', `[false,"jsonschema: Object has no key 'missing'"]`],
  ])('%s → %s', (schema, want) => {
    expect(call('json.verify_schema', term(schema))).toBe(want);
  });
});

describe('json schema compilation details', () => {
  it('compiles definitions even when nothing refers to them', () => {
    expect(call('json.verify_schema', term('{"definitions": {"x": {"type": "nope"}}}'))).toContain('given: /nope/');
    expect(call('json.verify_schema', term('{"definitions": {"x": 1}}')))
      .toBe('[false,"jsonschema: Invalid type. Expected: array of schemas, given: definitions"]');
  });

  it('ignores keywords beside $ref', () => {
    expect(match('{"a": 1}', '{"$ref": "#/definitions/ok", "definitions": {"ok": {}}, "type": "string"}')).toBe('[true,[]]');
  });
});

describe('json schema formats (gojsonschema checkers)', () => {
  const valid = (format: string, value: string): boolean =>
    match(JSON.stringify(JSON.stringify(value)), `{"format": "${format}"}`) === '[true,[]]';

  it.each([
    ['date-time', '2024-02-29T12:00:00Z', true],
    ['date-time', '2024-02-29T12:00:00.5+05:30', true],
    ['date-time', '2024-02-29', true], // gojsonschema also tries "2006-01-02"
    ['date-time', '12:00:00', true], //  … and "15:04:05"
    ['date-time', '2024-02-30T12:00:00Z', false],
    ['date-time', '2024-02-29t12:00:00z', false],
    ['date', '2023-02-29', false],
    ['time', '23:59:59', true],
    ['time', '24:00:00', false],
    ['email', 'ops@example.com', true],
    ['email', 'Ops Team <ops@example.com>', true],
    ['email', 'ops.example.com', false],
    ['hostname', 'api.example.com', true],
    ['hostname', 'api.example.com.', false],
    ['hostname', '-api.example.com', false],
    ['ipv4', '10.0.0.1', true],
    ['ipv4', '10.0.0.256', false],
    ['ipv6', '2001:db8::1', true],
    ['ipv6', '10.0.0.1', false],
    ['uri', 'https://example.com/a?b=c', true],
    ['uri', '/relative/path', false],
    ['uri-reference', '/relative/path', true],
    ['uri-template', 'https://example.com/{id}', true],
    ['uuid', 'F47AC10B-58CC-4372-A567-0E02B2C3D479', true],
    ['regex', '^[a-z]+$', true],
    ['regex', '(', false],
    ['json-pointer', '/a/~1b', true],
    ['json-pointer', 'a/b', false],
    ['relative-json-pointer', '1/a', true],
    ['no-such-format', 'anything', true],
  ])('%s %j → %s', (format, value, want) => {
    expect(valid(format, value)).toBe(want);
  });
});
