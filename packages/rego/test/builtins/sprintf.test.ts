import { describe, expect, it } from 'vitest';
import { RObject, RSet } from '../../src/value.ts';
import { call, rows } from './call.ts';

describe('sprintf (Go fmt)', () => {
  it.each(rows([
    ['sprintf', ['hi %s', ['there']], '"hi there"'],
    ['sprintf', ['hi %s', [true]], '"hi true"'],
    ['sprintf', ['hi %02d', [5]], '"hi 05"'],
    ['sprintf', ['hi %.2f', [3.1415]], '"hi 3.14"'],
    ['sprintf', ['hi %02X.%02X', [127, 1]], '"hi 7F.01"'],
    ['sprintf', ['hi %v', [['there', 5, 3.14]]], '"hi [\\"there\\", 5, 3.14]"'],
    ['sprintf', ['%v', [new RSet()]], '"set()"'],
    ['sprintf', ['%v', [new RObject([['b', new RSet([2, 1])], ['a', null]])]], '"{\\"a\\": null, \\"b\\": {1, 2}}"'],
    ['sprintf', ['%s', [123456789123456789123n]], '"123456789123456789123"'],
    ['sprintf', ['%v', [18446744073709551618n]], '"18446744073709551618"'],
    ['sprintf', ['%d', [1208925819614629174706175n]], '"1208925819614629174706175"'],
    ['sprintf', ['%s', [5]], '"%!s(int=5)"'],
    ['sprintf', ['%d', ['x']], '"%!d(string=x)"'],
    ['sprintf', ['%d %d', [1]], '"1 %!d(MISSING)"'],
    ['sprintf', ['x', [1]], '"x%!(EXTRA int=1)"'],
    ['sprintf', ['100%%', []], '"100%"'],
    ['sprintf', ['%v', [3.5]], '"3.5"'],
    ['sprintf', ['%v', [1234567.5]], '"1.2345675e+06"'],
    ['sprintf', ['%v', [0.00001]], '"1e-05"'],
    ['sprintf', ['%e', [1234.5678]], '"1.234568e+03"'],
    ['sprintf', ['%g', [0.5]], '"0.5"'],
    ['sprintf', ['%.3g', [1234.5678]], '"1.23e+03"'],
    ['sprintf', ['%5s|%-5s|', ['ab', 'cd']], '"   ab|cd   |"'],
    ['sprintf', ['%+d %x %o %b', [5, 255, 8, 5]], '"+5 ff 10 101"'],
    ['sprintf', ['%q', ['a"b']], '"\\"a\\\\\\"b\\""'],
    ['sprintf', ['%s', 'x'], 'eval_type_error: sprintf: operand 2 must be array but got string'],
    ['sprintf', ['%.1f %.0f %.0f %.2f', [2.25, 2.5, 3.5, 1.005]], '"2.2 2 4 1.00"'],
    ['sprintf', ['%.3e %.0e %e', [1.0005, 25.5, 25]], '"1.000e+00 3e+01 %!e(int=25)"'],
    ['sprintf', ['%.2f %f', [0.001, 1e21]], '"0.00 1000000000000000000000.000000"'],
    ['sprintf', ['%.2f', [999.999]], '"1000.00"'],
    ['sprintf', ['%.1e', [9.96]], '"1.0e+01"'],
    ['sprintf', ['%.3g %g %g', [0.0001234, 100000.5, 1e6 + 0.5]], '"0.000123 100000.5 1.0000005e+06"'],
    ['sprintf', ['%8.3f|%-8.2f|%08.3f', [3.14159, -2.5, -3.14159]], '"   3.142|-2.50   |-003.142"'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});

describe('sprintf argument indexes, * width and precision, %T (fmt doPrintf)', () => {
  it.each(rows([
    ['sprintf', ['%[2]d %[1]d', [1, 2]], '"2 1"'],
    ['sprintf', ['%[1]d %[1]x', [255]], '"255 ff"'],
    // Reordered formats never report EXTRA arguments.
    ['sprintf', ['%[1]d', [1, 2]], '"1"'],
    ['sprintf', ['%[3]d', [1, 2]], '"%!d(BADINDEX)"'],
    ['sprintf', ['%[x]d', [1]], '"%!d(BADINDEX)"'],
    ['sprintf', ['%[2]*[1]d', [12, 5]], '"   12"'],
    ['sprintf', ['%*d', [5, 3]], '"    3"'],
    ['sprintf', ['%-*d|', [-5, 3]], '"3    |"'],
    ['sprintf', ['%*d', ['x', 3]], '"%!(BADWIDTH)3"'],
    ['sprintf', ['%.*f', [2, 3.14159]], '"3.14"'],
    ['sprintf', ['%.*f', [-1, 2.5]], '"%!(BADPREC)2.500000"'],
    ['sprintf', ['%T %T %T %T', [1, 1.5, 's', [1]]], '"int float64 string string"'],
    ['sprintf', ['%#v %#v', ['a', 1]], '"\\"a\\" 1"'],
    // A bad verb prints its operand with %v under the same width.
    ['sprintf', ['%5t', ['x']], '"%!t(string=    x)"'],
    ['sprintf', ['%', []], '"%!(NOVERB)"'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });
});
