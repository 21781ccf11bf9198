import { describe, expect, it } from 'vitest';
import { call, rows } from './call.ts';

describe('uuid.parse', () => {
  it.each(rows([
    // Version 1: google/uuid's Time() over the 60-bit timestamp, node id bytes, multicast/local bits of byte 10.
    ['uuid.parse', ['c2fc67c2-47f2-11ee-b67a-9f3619c7493f'],
      '{"clocksequence":13946,"macvariables":"local:multicast","nodeid":"9f-36-19-c7-49-3f","time":1693481847404333000,"variant":"RFC4122","version":1}'],
    ['uuid.parse', ['6ba7b810-9dad-11d1-80b4-00c04fd430c8'],
      '{"clocksequence":180,"macvariables":"global:unicast","nodeid":"00-c0-4f-d4-30-c8","time":886630433151182400,"variant":"RFC4122","version":1}'],
    // Version 2 adds the DCE id (time_low) and domain (byte 9); an unknown domain prints as DomainN.
    ['uuid.parse', ['000003e8-48b9-21ee-b200-325096b39f47'],
      '{"clocksequence":12800,"domain":"Person","id":1000,"macvariables":"local:unicast","nodeid":"32-50-96-b3-9f-47","time":1693566990121469600,"variant":"RFC4122","version":2}'],
    ['uuid.parse', ['6ba7b810-9dad-21d1-80b4-00c04fd430c8'],
      '{"clocksequence":180,"domain":"Domain180","id":1806153744,"macvariables":"global:unicast","nodeid":"00-c0-4f-d4-30-c8","time":886630433151182400,"variant":"RFC4122","version":2}'],
    ['uuid.parse', ['886313e1-3b8a-5372-9b90-0c9aee199e5d'], '{"variant":"RFC4122","version":5}'],
    ['uuid.parse', ['00000000-0000-0000-0000-000000000000'], '{"variant":"Reserved","version":0}'],
    ['uuid.parse', ['00000000-0000-4000-c000-000000000000'], '{"variant":"Microsoft","version":4}'],
    ['uuid.parse', ['00000000-0000-4000-e000-000000000000'], '{"variant":"Future","version":4}'],
    // google/uuid's four spellings: urn prefix (any case), braces (only the first character is checked: none), bare hex.
    ['uuid.parse', ['URN:UUID:00000000-0000-4000-8000-000000000000'], '{"variant":"RFC4122","version":4}'],
    ['uuid.parse', ['{00000000-0000-4000-8000-000000000000}'], '{"variant":"RFC4122","version":4}'],
    ['uuid.parse', ['x00000000-0000-4000-8000-000000000000y'], '{"variant":"RFC4122","version":4}'],
    ['uuid.parse', ['6BEA8EF2D3D33CD184E09BAB06A52ECE'], '{"variant":"RFC4122","version":3}'],
    // Anything else is undefined, never an error (OPA drops the parse error).
    ['uuid.parse', ['00000000-0000-4000-8000-00000000000'], 'undefined'],
    ['uuid.parse', ['00000000_0000-4000-8000-000000000000'], 'undefined'],
    ['uuid.parse', ['0000000g-0000-4000-8000-000000000000'], 'undefined'],
    ['uuid.parse', ['urn:uuix:00000000-0000-4000-8000-000000000000'], 'undefined'],
    ['uuid.parse', ['00000000-0000-4000-8000-00000000000é'], 'undefined'],
    ['uuid.parse', [123], 'eval_type_error: uuid.parse: operand 1 must be string but got number'],
  ]))('%s', (_label, name, args, want) => {
    expect(call(name, ...args)).toBe(want);
  });

  it('keeps the 64-bit time exact', () => {
    // the largest 60-bit timestamp overflows int64 nanoseconds; Go wraps (sec*1e9 + nsec), and so must we
    expect(call('uuid.parse', 'ffffffff-ffff-1fff-8000-000000000000')).toContain('"time":-7607606781572612196');
  });
});
