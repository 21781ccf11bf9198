import { describe, expect, it } from 'vitest';
import { RObject, RSet } from '../../src/value.ts';
import { call } from './call.ts';

const vars = new RObject([
  ['a', new RObject([['b', 'deep']])],
  ['items', ['x', 'y', 'z']],
  ['m', new RObject([['k2', 2], ['k1', 'one']])],
  ['env', 'prod'],
  ['n', 1.5],
  ['i', 3],
  ['s', new RSet(['b', 'a'])],
  ['nul', null],
  ['t', true],
  ['html', `<a href='x'>&</a>`],
  ['empty', []],
]);

const render = (template: string): string => call('strings.render_template', template, vars);
const failure = (message: string): string => `eval_builtin_error: strings.render_template: template: template:1: ${message}`;

describe('strings.render_template (Go text/template)', () => {
  it.each([
    ['{{ .a.b }}', '"deep"'],
    ['{{ range .items }}{{ . }},{{ end }}', '"x,y,z,"'],
    ['{{ range $k, $v := .m }}{{$k}}={{$v}};{{end}}', '"k1=one;k2=2;"'],
    ['{{ range $i, $e := .items }}{{ if $i }}, {{ end }}{{ $e }}{{ end }}', '"x, y, z"'],
    ['{{ range $e := .items }}{{ $e }}{{ end }}', '"xyz"'],
    ['{{ range .empty }}x{{ else }}none{{ end }}', '"none"'],
    ['{{ range .items }}{{ if eq . "y" }}{{ break }}{{ end }}{{ . }}{{ end }}', '"x"'],
    ['{{ range .items }}{{ if eq . "y" }}{{ continue }}{{ end }}{{ . }}{{ end }}', '"xz"'],
    ['{{ if eq .env "prod" }}P{{ else if eq .env "qa" }}Q{{ else }}N{{ end }}', '"P"'],
    ['{{ if and (eq .env "prod") (gt (len .items) 2) }}big{{ end }}', '"big"'],
    ['{{ with .a }}{{ .b }}{{ end }}', '"deep"'],
    ['{{ with .missing }}x{{ else }}none{{ end }}', '"none"'],
    ['{{ len .items }} {{ len .m }} {{ len .env }}', '"3 2 4"'],
    ['{{ index .items 1 }} {{ index .m "k1" }}', '"y one"'],
    ['{{ printf "%s-%v-%d" .env .i (len .items) }}', '"prod-3-3"'],
    // printf is Go's fmt over the decoded variables: their numbers are json.Number, a string kind, so %d refuses them.
    ['{{ printf "%d" .i }}', '"%!d(json.Number=3)"'],
    ['{{ printf "%t %T %v" .t .m .nope }}', '"true map[string]interface {} <nil>"'],
    ['{{ .env | printf "%q" }}', '"\\"prod\\""'],
    ['{{ $x := "v" }}{{ $x = "w" }}{{ $x }}', '"w"'],
    ['{{ and .t .env }} {{ or .nul "default" }} {{ not .t }}', '"prod default false"'],
    ['{{ print 1 2 "a" "b" 3 }}', '"1 2ab3"'],
    ['{{ html .html }}', '"&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;"'],
    ['{{ urlquery "a b&c" }}', '"a+b%26c"'],
    // Values print as Go's fmt %v prints the JSON-decoded data: numbers as written, sets as slices, objects as maps.
    ['{{ .n }} {{ .i }} {{ .t }}', '"1.5 3 true"'],
    ['{{ .s }} {{ .m }}', '"[a b] map[k1:one k2:2]"'],
    ['{{ 1.0 }} {{ 0x10 }} {{ \'a\' }} {{ `raw` }} {{ "a\\tb" }}', '"1 16 97 raw a\\tb"'],
    // Trim markers and comments.
    ['a  {{- .env -}}  b', '"aprodb"'],
    ['x{{/* note */}}y{{- /* trimmed */ -}} z', '"xyz"'],
    // Missing keys and null render as <undefined>, as OPA v1.19 does, and are false in conditions.
    ['{{ .nope }} {{ .missing.deeper }} {{ .nul }}', '"<undefined> <undefined> <undefined>"'],
    ['{{ if .nope }}yes{{ else }}no{{ end }}', '"no"'],
  ])('%s → %s', (template, want) => {
    expect(render(template)).toBe(want);
  });

  it.each([
    ['{{ .a', failure('unclosed action')],
    ['{{ if .t }}x', failure('unexpected EOF')],
    ['{{ end }}', failure('unexpected {{end}}')],
    ['{{ break }}', failure('{{break}} outside {{range}}')],
    ['{{ foo }}', failure('function "foo" not defined')],
    ['{{ $y }}', failure('undefined variable "$y"')],
    ['{{ .env.x }}', failure(`executing "template": can't evaluate field x in type string`)],
    ['{{ index .items 5 }}', failure('executing "template": error calling index: index out of range: 5')],
    // Numbers in the variables are json.Number, a string kind: Go refuses to compare them with an int literal.
    ['{{ eq .i 3 }}', failure('executing "template": error calling eq: incompatible types for comparison')],
    ['{{ template "x" }}', failure('{{template}} is not supported by strings.render_template')],
  ])('%s fails: %s', (template, want) => {
    expect(render(template)).toBe(want);
  });

  it('checks its operands', () => {
    expect(call('strings.render_template', 1, vars)).toBe('eval_type_error: strings.render_template: operand 1 must be string but got number');
    expect(call('strings.render_template', '', [])).toBe('eval_type_error: strings.render_template: operand 2 must be object but got array');
  });
});
