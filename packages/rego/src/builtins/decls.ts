/**
 * OPA's declared types of every builtin in its v1.x capabilities (capabilities/v1.12.2.json), written in OPA's own
 * type notation (`types.Sprint`): `any<…>` is a union, `array[T]` a dynamic array, `array<A, B>` a static one,
 * `object<k: T>[K: V]` static keys then dynamic ones, `set[T]`. The compiler's type checker parses these (see
 * compile/rego-types.ts); they are data, independent of the implementations, so a builtin a family has not
 * implemented yet is still declared (and a call to it is "undefined function" only when it is missing from the
 * registry).
 */

export interface BuiltinDecl {
  readonly args: readonly string[];
  /** Absent for builtins without a result (print-like). */
  readonly result?: string;
  /** Arguments of this type may follow the declared ones (`print`). */
  readonly variadic?: string;
}

// Types that recur in many declarations, spelled as OPA prints them.
const A = 'any';
const S = 'string';
const N = 'number';
const B = 'boolean';
const OBJ = 'object[any: any]';
const SOBJ = 'object[string: any]';
const ARR = 'array[any]';
const SET = 'set[any]';
const ARR_OR_SET = 'any<array[any], set[any]>';
const STR_OR_OBJ = `any<string, ${OBJ}>`;
const TIME = 'any<number, array<number, string>>';
const PATHS = 'any<array[any<string, array[any]>], set[any<string, array[any]>]>';
const CIDRS = 'any<string, array[any<string, array[any]>], object[string: any<string, array[any]>], set[any<string, array[any]>]>';
const STRS = 'any<string, array[string], set[string]>';
const GRAPH = `object[any: ${ARR_OR_SET}]`;

const fn = (args: readonly string[], result?: string): BuiltinDecl => (result === undefined ? { args } : { args, result });
const str1: BuiltinDecl = fn([S], S);
const str2: BuiltinDecl = fn([S, S], S);
const pred2: BuiltinDecl = fn([S, S], B);
const anyPred: BuiltinDecl = fn([A], B);
const cmp: BuiltinDecl = fn([A, A], B);
const num1: BuiltinDecl = fn([N], N);
const num2: BuiltinDecl = fn([N, N], N);
const set2: BuiltinDecl = fn([SET, SET], SET);

export const BUILTIN_DECLS: ReadonlyMap<string, BuiltinDecl> = new Map<string, BuiltinDecl>([
  ['abs', num1],
  ['all', fn([ARR_OR_SET], B)],
  ['and', set2],
  ['any', fn([ARR_OR_SET], B)],
  ['array.concat', fn([ARR, ARR], ARR)],
  // Newer than v1.12 (capabilities v1.20).
  ['array.flatten', fn([ARR], ARR)],
  ['array.reverse', fn([ARR], ARR)],
  ['array.slice', fn([ARR, N, N], ARR)],
  ['assign', cmp],
  ['base64.decode', str1],
  ['base64.encode', str1],
  ['base64.is_valid', fn([S], B)],
  ['base64url.decode', str1],
  ['base64url.encode', str1],
  ['base64url.encode_no_pad', str1],
  ['bits.and', num2],
  ['bits.lsh', num2],
  ['bits.negate', num1],
  ['bits.or', num2],
  ['bits.rsh', num2],
  ['bits.xor', num2],
  ['cast_array', fn([A], ARR)],
  ['cast_boolean', fn([A], B)],
  ['cast_null', fn([A], 'null')],
  ['cast_object', fn([A], OBJ)],
  ['cast_set', fn([A], SET)],
  ['cast_string', fn([A], S)],
  ['ceil', num1],
  ['concat', fn([S, 'any<array[string], set[string]>'], S)],
  ['contains', pred2],
  ['count', fn([`any<string, array[any], ${OBJ}, set[any]>`], N)],
  ['crypto.hmac.equal', pred2],
  ['crypto.hmac.md5', str2],
  ['crypto.hmac.sha1', str2],
  ['crypto.hmac.sha256', str2],
  ['crypto.hmac.sha512', str2],
  ['crypto.md5', str1],
  ['crypto.parse_private_keys', fn([S], `array[${SOBJ}]`)],
  ['crypto.sha1', str1],
  ['crypto.sha256', str1],
  ['crypto.x509.parse_and_verify_certificates', fn([S], `array<boolean, array[${SOBJ}]>`)],
  ['crypto.x509.parse_and_verify_certificates_with_options', fn([S, SOBJ], `array<boolean, array[${SOBJ}]>`)],
  ['crypto.x509.parse_certificate_request', fn([S], SOBJ)],
  ['crypto.x509.parse_certificates', fn([S], `array[${SOBJ}]`)],
  ['crypto.x509.parse_keypair', fn([S, S], SOBJ)],
  ['crypto.x509.parse_rsa_private_key', fn([S], SOBJ)],
  ['div', num2],
  ['endswith', pred2],
  ['eq', cmp],
  ['equal', cmp],
  ['floor', num1],
  ['format_int', fn([N, N], S)],
  ['glob.match', fn([S, 'any<null, array[string]>', S], B)],
  ['glob.quote_meta', str1],
  ['graph.reachable', fn([GRAPH, ARR_OR_SET], SET)],
  ['graph.reachable_paths', fn([GRAPH, ARR_OR_SET], 'set[array[any]]')],
  ['graphql.is_valid', fn([STR_OR_OBJ, STR_OR_OBJ], B)],
  ['graphql.parse', fn([STR_OR_OBJ, STR_OR_OBJ], `array<${OBJ}, ${OBJ}>`)],
  ['graphql.parse_and_verify', fn([STR_OR_OBJ, STR_OR_OBJ], `array<boolean, ${OBJ}, ${OBJ}>`)],
  ['graphql.parse_query', fn([S], OBJ)],
  ['graphql.parse_schema', fn([S], OBJ)],
  ['graphql.schema_is_valid', fn([STR_OR_OBJ], B)],
  ['gt', cmp],
  ['gte', cmp],
  ['hex.decode', str1],
  ['hex.encode', str1],
  ['http.send', fn([SOBJ], OBJ)],
  ['indexof', fn([S, S], N)],
  ['indexof_n', fn([S, S], 'array[number]')],
  ['internal.member_2', cmp],
  ['internal.member_3', fn([A, A, A], B)],
  ['internal.print', fn(['array[set[any]]'])],
  ['internal.template_string', fn([ARR], S)],
  ['internal.test_case', fn([ARR])],
  ['intersection', fn(['set[set[any]]'], SET)],
  ['io.jwt.decode', fn([S], `array<${OBJ}, ${OBJ}, string>`)],
  ['io.jwt.decode_verify', fn([S, SOBJ], `array<boolean, ${OBJ}, ${OBJ}>`)],
  ['io.jwt.encode_sign', fn([SOBJ, SOBJ, SOBJ], S)],
  ['io.jwt.encode_sign_raw', fn([S, S, S], S)],
  ['io.jwt.verify_eddsa', pred2],
  ['io.jwt.verify_es256', pred2],
  ['io.jwt.verify_es384', pred2],
  ['io.jwt.verify_es512', pred2],
  ['io.jwt.verify_hs256', pred2],
  ['io.jwt.verify_hs384', pred2],
  ['io.jwt.verify_hs512', pred2],
  ['io.jwt.verify_ps256', pred2],
  ['io.jwt.verify_ps384', pred2],
  ['io.jwt.verify_ps512', pred2],
  ['io.jwt.verify_rs256', pred2],
  ['io.jwt.verify_rs384', pred2],
  ['io.jwt.verify_rs512', pred2],
  ['is_array', anyPred],
  ['is_boolean', anyPred],
  ['is_null', anyPred],
  ['is_number', anyPred],
  ['is_object', anyPred],
  ['is_set', anyPred],
  ['is_string', anyPred],
  ['json.filter', fn([OBJ, PATHS], A)],
  ['json.is_valid', fn([S], B)],
  ['json.marshal', fn([A], S)],
  ['json.marshal_with_options', fn([A, 'object<indent: string, prefix: string, pretty: boolean>[string: any]'], S)],
  ['json.match_schema', fn([STR_OR_OBJ, STR_OR_OBJ], 'array<boolean, array[object<desc: string, error: string, field: string, type: string>]>')],
  ['json.patch', fn([A, 'array[object<op: string, path: any>[any: any]]'], A)],
  ['json.remove', fn([OBJ, PATHS], A)],
  ['json.unmarshal', fn([S], A)],
  ['json.verify_schema', fn([STR_OR_OBJ], 'array<boolean, any<null, string>>')],
  ['lower', str1],
  ['lt', cmp],
  ['lte', cmp],
  ['max', fn([ARR_OR_SET], A)],
  ['min', fn([ARR_OR_SET], A)],
  ['minus', fn(['any<number, set[any]>', 'any<number, set[any]>'], 'any<number, set[any]>')],
  ['mul', num2],
  ['neq', cmp],
  ['net.cidr_contains', pred2],
  ['net.cidr_contains_matches', fn([CIDRS, CIDRS], 'set[array<any, any>]')],
  ['net.cidr_expand', fn([S], 'set[string]')],
  ['net.cidr_intersects', pred2],
  ['net.cidr_is_valid', fn([S], B)],
  ['net.cidr_merge', fn(['any<array[any<string>], set[string]>'], 'set[string]')],
  ['net.cidr_overlap', pred2],
  ['net.lookup_ip_addr', fn([S], 'set[string]')],
  ['numbers.range', fn([N, N], 'array[number]')],
  ['numbers.range_step', fn([N, N, N], 'array[number]')],
  ['object.filter', fn([OBJ, `any<array[any], ${OBJ}, set[any]>`], A)],
  ['object.get', fn([OBJ, A, A], A)],
  ['object.keys', fn([OBJ], SET)],
  ['object.remove', fn([OBJ, `any<array[any], ${OBJ}, set[any]>`], A)],
  ['object.subset', fn([`any<array[any], ${OBJ}, set[any]>`, `any<array[any], ${OBJ}, set[any]>`], A)],
  ['object.union', fn([OBJ, OBJ], A)],
  ['object.union_n', fn([`array[${OBJ}]`], A)],
  ['opa.runtime', fn([], SOBJ)],
  ['or', set2],
  ['plus', num2],
  ['print', { args: [], variadic: A }],
  ['product', fn(['any<array[number], set[number]>'], N)],
  ['providers.aws.sign_req', fn([SOBJ, SOBJ, N], OBJ)],
  ['rand.intn', fn([S, N], N)],
  ['re_match', pred2],
  ['regex.find_all_string_submatch_n', fn([S, S, N], 'array[array[string]]')],
  ['regex.find_n', fn([S, S, N], 'array[string]')],
  ['regex.globs_match', pred2],
  ['regex.is_valid', fn([S], B)],
  ['regex.match', pred2],
  ['regex.replace', fn([S, S, S], S)],
  ['regex.split', fn([S, S], 'array[string]')],
  ['regex.template_match', fn([S, S, S, S], B)],
  ['rego.metadata.chain', fn([], ARR)],
  ['rego.metadata.rule', fn([], A)],
  ['rego.parse_module', fn([S, S], SOBJ)],
  ['rem', num2],
  ['replace', fn([S, S, S], S)],
  ['round', num1],
  ['semver.compare', fn([S, S], N)],
  ['semver.is_valid', anyPred],
  ['set_diff', set2],
  ['sort', fn([ARR_OR_SET], ARR)],
  ['split', fn([S, S], 'array[string]')],
  ['sprintf', fn([S, ARR], S)],
  ['startswith', pred2],
  ['strings.any_prefix_match', fn([STRS, STRS], B)],
  ['strings.any_suffix_match', fn([STRS, STRS], B)],
  ['strings.count', fn([S, S], N)],
  ['strings.render_template', fn([S, SOBJ], S)],
  ['strings.replace_n', fn(['object[string: string]', S], S)],
  ['strings.reverse', str1],
  // Not in the capabilities files read (v1.12, v1.20); declared from its implementation's operand checks.
  ['strings.split_n', fn([S, S, N], 'array[string]')],
  ['substring', fn([S, N, N], S)],
  ['sum', fn(['any<array[number], set[number]>'], N)],
  ['time.add_date', fn([N, N, N, N], N)],
  ['time.clock', fn([TIME], 'array<number, number, number>')],
  ['time.date', fn([TIME], 'array<number, number, number>')],
  ['time.diff', fn([TIME, TIME], 'array<number, number, number, number, number, number>')],
  ['time.format', fn(['any<number, array<number, string>, array<number, string, string>>'], S)],
  ['time.now_ns', fn([], N)],
  ['time.parse_duration_ns', fn([S], N)],
  ['time.parse_ns', fn([S, S], N)],
  ['time.parse_rfc3339_ns', fn([S], N)],
  ['time.weekday', fn([TIME], S)],
  ['to_number', fn(['any<null, boolean, number, string>'], N)],
  ['trace', fn([S], B)],
  ['trim', str2],
  ['trim_left', str2],
  ['trim_prefix', str2],
  ['trim_right', str2],
  ['trim_space', str1],
  ['trim_suffix', str2],
  ['type_name', fn([A], S)],
  ['union', fn(['set[set[any]]'], SET)],
  ['units.parse', fn([S], N)],
  ['units.parse_bytes', fn([S], N)],
  ['upper', str1],
  ['urlquery.decode', str1],
  ['urlquery.decode_object', fn([S], 'object[string: array[string]]')],
  ['urlquery.encode', str1],
  ['urlquery.encode_object', fn([`object[string: ${STRS}]`], S)],
  ['uuid.parse', fn([S], SOBJ)],
  ['uuid.rfc4122', str1],
  ['walk', fn([A], 'array<array[any], any>')],
  ['yaml.is_valid', fn([S], B)],
  ['yaml.marshal', fn([A], S)],
  ['yaml.unmarshal', fn([S], A)],
]);

/** Builtins OPA marks deprecated: a Rego v1 module calling one is rejected (`rego_type_error`). */
export const DEPRECATED_BUILTINS: ReadonlySet<string> = new Set([
  'all', 'any', 'cast_array', 'cast_boolean', 'cast_null', 'cast_object', 'cast_set', 'cast_string', 'net.cidr_overlap',
  're_match', 'set_diff',
]);

/**
 * Builtins whose result depends on the world outside the policy and its input: the network or the host OPA runs
 * on. A policy calling one is refused at compile time unless the caller enables it by name (compile option
 * `allowBuiltins`). Other nondeterministic builtins (time.now_ns, rand.intn, uuid.rfc4122, JWT signing) stay
 * allowed: they read only the clock or randomness.
 */
export const OUTSIDE_BUILTINS: ReadonlySet<string> = new Set(['http.send', 'net.lookup_ip_addr', 'opa.runtime']);
