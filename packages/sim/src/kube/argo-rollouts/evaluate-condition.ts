/**
 * A small evaluator for AnalysisTemplate `successCondition` / `failureCondition` (Argo evaluates them with
 * expr-lang over `result`). It covers the forms Argo's docs use: `result[0] < 0.05`, `result >= 0.95`,
 * `len(result) == 0 || result[0] >= 0.95`, `isNaN(result[0])`, `default(result[0], 0)`, `all(result, {# < 1})`,
 * `and`/`or`/`not`, arithmetic and parentheses. Anything else is an EvaluationError, which a measurement records
 * as Error — as an expression expr-lang cannot evaluate is for Argo.
 */
export class EvaluationError extends Error {}

type Value = number | boolean | string | null | Value[] | Lambda;
interface Lambda { lambda: Node }

type Node =
  | { t: 'lit'; v: Value }
  | { t: 'ident'; name: string }
  | { t: 'item' }
  | { t: 'index'; target: Node; index: Node }
  | { t: 'call'; name: string; args: Node[] }
  | { t: 'unary'; op: string; arg: Node }
  | { t: 'binary'; op: string; left: Node; right: Node }
  | { t: 'lambda'; body: Node };

const TOKEN = /\s*(\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|"[^"]*"|'[^']*'|[A-Za-z_][A-Za-z0-9_]*|&&|\|\||==|!=|<=|>=|[-+*/%<>!()[\],{}#])/y;

function tokenize(text: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    if (/^\s*$/.test(text.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const match = TOKEN.exec(text);
    if (!match?.[1]) throw new EvaluationError(`unexpected character at ${start} in ${JSON.stringify(text)}`);
    tokens.push(match[1]);
  }
  return tokens;
}

const BINARY_LEVELS: string[][] = [['||', 'or'], ['&&', 'and'], ['==', '!=', '<', '<=', '>', '>=', 'in'], ['+', '-'], ['*', '/', '%']];

function parse(text: string): Node {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): string | undefined => tokens[pos];
  const expect = (token: string): void => {
    if (tokens[pos] !== token) throw new EvaluationError(`expected ${token} in ${JSON.stringify(text)}`);
    pos += 1;
  };
  const binary = (level: number): Node => {
    const ops = BINARY_LEVELS[level];
    if (!ops) return unary();
    let left = binary(level + 1);
    for (let op = peek(); op !== undefined && ops.includes(op); op = peek()) {
      pos += 1;
      left = { t: 'binary', op, left, right: binary(level + 1) };
    }
    return left;
  };
  const unary = (): Node => {
    const op = peek();
    if (op === '!' || op === 'not' || op === '-' || op === '+') {
      pos += 1;
      return { t: 'unary', op, arg: unary() };
    }
    return postfix();
  };
  const postfix = (): Node => {
    let node = primary();
    while (peek() === '[') {
      pos += 1;
      const index = binary(0);
      expect(']');
      node = { t: 'index', target: node, index };
    }
    return node;
  };
  const primary = (): Node => {
    const token = tokens[pos];
    pos += 1;
    if (token === undefined) throw new EvaluationError(`unexpected end of ${JSON.stringify(text)}`);
    if (/^\d/.test(token)) return { t: 'lit', v: Number(token) };
    if (/^["']/.test(token)) return { t: 'lit', v: token.slice(1, -1) };
    if (token === '(') {
      const inner = binary(0);
      expect(')');
      return inner;
    }
    if (token === '{') {
      const body = binary(0);
      expect('}');
      return { t: 'lambda', body };
    }
    if (token === '#') return { t: 'item' };
    if (token === 'true' || token === 'false') return { t: 'lit', v: token === 'true' };
    if (token === 'nil') return { t: 'lit', v: null };
    if (/^[A-Za-z_]/.test(token)) {
      if (peek() !== '(') return { t: 'ident', name: token };
      pos += 1;
      const args: Node[] = [];
      while (peek() !== ')') {
        args.push(binary(0));
        if (peek() === ',') pos += 1;
        else break;
      }
      expect(')');
      return { t: 'call', name: token, args };
    }
    throw new EvaluationError(`unexpected ${token} in ${JSON.stringify(text)}`);
  };
  const root = binary(0);
  if (pos !== tokens.length) throw new EvaluationError(`unexpected ${tokens[pos] ?? ''} in ${JSON.stringify(text)}`);
  return root;
}

function num(value: Value, what: string): number {
  if (typeof value !== 'number') throw new EvaluationError(`${what} is not a number: ${JSON.stringify(value)}`);
  return value;
}

function bool(value: Value): boolean {
  if (typeof value !== 'boolean') throw new EvaluationError(`expected a bool, got ${JSON.stringify(value)}`);
  return value;
}

function list(value: Value): Value[] {
  if (!Array.isArray(value)) throw new EvaluationError(`expected an array, got ${JSON.stringify(value)}`);
  return value;
}

function evaluate(node: Node, env: { result: Value; item?: Value }): Value {
  switch (node.t) {
    case 'lit':
      return node.v;
    case 'ident':
      if (node.name === 'result') return env.result;
      throw new EvaluationError(`unknown name ${node.name}`);
    case 'item':
      if (env.item === undefined) throw new EvaluationError('# outside a predicate');
      return env.item;
    case 'lambda':
      return { lambda: node.body };
    case 'index': {
      const target = list(evaluate(node.target, env));
      const index = num(evaluate(node.index, env), 'index');
      const resolved = index < 0 ? target.length + index : index;
      const item = target[resolved];
      if (item === undefined) throw new EvaluationError(`index out of range: ${index} (array length is ${target.length})`);
      return item;
    }
    case 'unary': {
      const arg = evaluate(node.arg, env);
      if (node.op === '!' || node.op === 'not') return !bool(arg);
      return node.op === '-' ? -num(arg, 'operand') : num(arg, 'operand');
    }
    case 'binary':
      return evaluateBinary(node.op, node.left, node.right, env);
    case 'call':
      return evaluateCall(node.name, node.args, env);
    default: {
      const never: never = node;
      return never;
    }
  }
}

function evaluateBinary(op: string, leftNode: Node, rightNode: Node, env: { result: Value; item?: Value }): Value {
  if (op === '||' || op === 'or') return bool(evaluate(leftNode, env)) || bool(evaluate(rightNode, env));
  if (op === '&&' || op === 'and') return bool(evaluate(leftNode, env)) && bool(evaluate(rightNode, env));
  const left = evaluate(leftNode, env);
  const right = evaluate(rightNode, env);
  switch (op) {
    case '==':
      return JSON.stringify(left) === JSON.stringify(right) && !(typeof left === 'number' && Number.isNaN(left));
    case '!=':
      return !(JSON.stringify(left) === JSON.stringify(right) && !(typeof left === 'number' && Number.isNaN(left)));
    case 'in':
      return list(right).some((item) => JSON.stringify(item) === JSON.stringify(left));
    case '<':
      return num(left, 'left operand') < num(right, 'right operand');
    case '<=':
      return num(left, 'left operand') <= num(right, 'right operand');
    case '>':
      return num(left, 'left operand') > num(right, 'right operand');
    case '>=':
      return num(left, 'left operand') >= num(right, 'right operand');
    case '+':
      return num(left, 'left operand') + num(right, 'right operand');
    case '-':
      return num(left, 'left operand') - num(right, 'right operand');
    case '*':
      return num(left, 'left operand') * num(right, 'right operand');
    case '/':
      return num(left, 'left operand') / num(right, 'right operand');
    case '%':
      return num(left, 'left operand') % num(right, 'right operand');
    default:
      throw new EvaluationError(`unknown operator ${op}`);
  }
}

function evaluateCall(name: string, argNodes: Node[], env: { result: Value; item?: Value }): Value {
  const arg = (i: number): Value => {
    const node = argNodes[i];
    if (!node) throw new EvaluationError(`${name}() needs ${i + 1} arguments`);
    return evaluate(node, env);
  };
  const predicate = (): ((item: Value) => boolean) => {
    const fn = arg(1);
    if (fn === null || typeof fn !== 'object' || Array.isArray(fn)) throw new EvaluationError(`${name}() needs a predicate {…}`);
    return (item) => bool(evaluate(fn.lambda, { ...env, item }));
  };
  switch (name) {
    case 'len': {
      const value = arg(0);
      if (typeof value === 'string') return value.length;
      return list(value).length;
    }
    case 'isNaN':
      return Number.isNaN(num(arg(0), 'isNaN argument'));
    case 'isInf': {
      const value = num(arg(0), 'isInf argument');
      return value === Infinity || value === -Infinity;
    }
    case 'isNil':
      return arg(0) === null;
    case 'default': {
      let value: Value;
      try {
        value = arg(0);
      } catch (err) {
        if (err instanceof EvaluationError) return arg(1);
        throw err;
      }
      return value === null ? arg(1) : value;
    }
    case 'abs':
      return Math.abs(num(arg(0), 'abs argument'));
    case 'asFloat':
    case 'asInt': {
      const value = arg(0);
      const n = typeof value === 'string' ? Number(value) : num(value, `${name} argument`);
      return name === 'asInt' ? Math.trunc(n) : n;
    }
    case 'all':
      return list(arg(0)).every(predicate());
    case 'any':
      return list(arg(0)).some(predicate());
    case 'none':
      return !list(arg(0)).some(predicate());
    default:
      throw new EvaluationError(`unknown function ${name}()`);
  }
}

/** Evaluates a condition over a measurement's `result` (a number, or an array of numbers for a vector). */
export function evaluateCondition(condition: string, result: number | number[]): boolean {
  const value = evaluate(parse(condition), { result });
  if (typeof value !== 'boolean') throw new EvaluationError(`condition ${JSON.stringify(condition)} did not evaluate to a bool`);
  return value;
}
