/**
 * Errors of the Rego engine, coded exactly as OPA codes them so messages can be compared with OPA's own tests.
 * Text form matches OPA: `file:row: code: message` when located, else `code: message`.
 */
export type RegoErrorCode =
  | 'rego_parse_error'
  | 'rego_compile_error'
  | 'rego_type_error'
  | 'rego_unsafe_var_error'
  | 'rego_recursion_error'
  | 'eval_conflict_error'
  | 'eval_type_error'
  | 'eval_builtin_error';

export interface Location {
  readonly file: string;
  readonly row: number;
  readonly col: number;
}

export class RegoError extends Error {
  readonly code: RegoErrorCode;
  readonly location: Location | undefined;
  /** The message without code or location. */
  readonly detail: string;

  constructor(code: RegoErrorCode, detail: string, location?: Location) {
    super(formatRegoError(code, detail, location));
    this.name = 'RegoError';
    this.code = code;
    this.detail = detail;
    this.location = location;
  }
}

export function formatRegoError(code: RegoErrorCode, detail: string, location?: Location): string {
  return location ? `${location.file}:${location.row}: ${code}: ${detail}` : `${code}: ${detail}`;
}

/** `file:row:col: code: message`, for people (the OPA-compatible `message` omits the column). */
export function formatRegoErrorWithColumn(e: RegoError): string {
  const l = e.location;
  return l ? `${l.file}:${l.row}:${l.col}: ${e.code}: ${e.detail}` : `${e.code}: ${e.detail}`;
}

export function conflict(message: string, location: Location | undefined): RegoError {
  return new RegoError('eval_conflict_error', message, location);
}

function byLocation(a: RegoError, b: RegoError): number {
  const x = a.location, y = b.location;
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  return x.file.localeCompare(y.file) || x.row - y.row || x.col - y.col;
}

/** Thrown by `compileModules`/`parseModule` when any parse or compile problem was found; carries all of them. */
export class RegoCompileError extends Error {
  readonly errors: readonly RegoError[];

  constructor(unsorted: readonly RegoError[]) {
    // Reported in source order, as OPA sorts them; one problem reported twice is shown once.
    const seen = new Set<string>();
    const errors = [...unsorted].sort(byLocation).filter((e) => !seen.has(e.message) && seen.add(e.message));
    super(errors.length === 1 ? errors[0]!.message : `${errors.length} errors occurred:\n${errors.map((e) => e.message).join('\n')}`);
    this.name = 'RegoCompileError';
    this.errors = errors;
  }
}
