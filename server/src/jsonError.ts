/**
 * Locates the first syntax error in a JSON text (RFC 8259), so that a rejected request or frame can say
 * exactly where it went wrong. V8's `JSON.parse` messages only sometimes carry a position.
 *
 * Iterative (an explicit container stack), so deeply nested input cannot exhaust the call stack.
 * Only called after `JSON.parse` has failed.
 */

export interface JsonSyntaxError {
  /** Zero-based character offset of the first offending character (text.length for a premature end). */
  position: number;
  line: number;
  column: number;
  /** e.g. `unexpected character "}"` or `unexpected end of input`. */
  reason: string;
}

class At {
  constructor(readonly pos: number) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't', 'u']);

function scan(text: string): number {
  const n = text.length;
  const ws = (i: number): number => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
    return i;
  };
  const string = (i: number): number => {
    if (text[i] !== '"') throw new At(i);
    let j = i + 1;
    while (j < n) {
      const ch = text[j] as string;
      if (ch === '"') return j + 1;
      if (ch.charCodeAt(0) < 0x20) throw new At(j);
      if (ch === '\\') {
        const esc = text[j + 1];
        if (esc === undefined || !ESCAPES.has(esc)) throw new At(j + 1);
        if (esc === 'u') {
          HEX4.lastIndex = j + 2;
          if (!HEX4.test(text)) throw new At(j + 2);
          j += 6;
        } else {
          j += 2;
        }
      } else {
        j++;
      }
    }
    throw new At(n);
  };
  const literal = (i: number, word: string): number => {
    for (let k = 0; k < word.length; k++) if (text[i + k] !== word[k]) throw new At(i + k);
    return i + word.length;
  };
  const scalar = (i: number): number => {
    const c = text[i];
    if (c === '"') return string(i);
    if (c === 't') return literal(i, 'true');
    if (c === 'f') return literal(i, 'false');
    if (c === 'n') return literal(i, 'null');
    NUMBER.lastIndex = i;
    if (NUMBER.test(text)) return NUMBER.lastIndex;
    throw new At(i);
  };
  const key = (i: number): number => {
    i = ws(string(ws(i)));
    if (text[i] !== ':') throw new At(i);
    return ws(i + 1);
  };

  const stack: string[] = [];
  let i = ws(0);
  for (;;) {
    // Expect a value at i.
    const c = text[i];
    let closedEmpty = false;
    if (c === '{' || c === '[') {
      stack.push(c);
      i = ws(i + 1);
      if (text[i] === (c === '{' ? '}' : ']')) {
        stack.pop();
        i += 1;
        closedEmpty = true;
      } else {
        if (c === '{') i = key(i);
        continue;
      }
    }
    if (!closedEmpty) i = scalar(i);
    // After a value: a separator, a closer, or the end.
    for (;;) {
      i = ws(i);
      const top = stack[stack.length - 1];
      if (top === undefined) {
        if (i < n) throw new At(i);
        return -1;
      }
      if (text[i] === ',') {
        i = ws(i + 1);
        if (top === '{') i = key(i);
        break;
      }
      if (text[i] === (top === '{' ? '}' : ']')) {
        stack.pop();
        i += 1;
        continue;
      }
      throw new At(i);
    }
  }
}

/** The first syntax error in `text`, or null if it is valid JSON. */
export function locateJsonError(text: string): JsonSyntaxError | null {
  let position: number;
  try {
    position = scan(text);
  } catch (err) {
    if (!(err instanceof At)) throw err;
    position = err.pos;
  }
  if (position < 0) return null;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  const ch = text[position];
  const reason = ch === undefined ? 'unexpected end of input' : `unexpected character ${JSON.stringify(ch)}`;
  return { position, line, column, reason };
}

/** "at position 7 (line 1, column 8): unexpected character \"}\"" */
export function describeJsonError(text: string): string {
  const e = locateJsonError(text);
  if (!e) return 'at an unknown position';
  return `at position ${e.position} (line ${e.line}, column ${e.column}): ${e.reason}`;
}
