const ESC = '\x1b';

/**
 * What a terminal shows for `raw`, row by row: carriage returns, line and screen erases and the cursor moves the
 * console adapter and Node's readline write (CSI A, G, K, J) applied; other escape sequences are dropped.
 */
export function screen(raw: string): string[] {
  const rows: string[] = [''];
  let row = 0;
  let col = 0;
  // A UTF-16 unit per column: an emoji's two units take its two columns.
  const put = (ch: string): void => {
    const line = rows[row] ?? '';
    rows[row] = line.slice(0, col).padEnd(col) + ch + line.slice(col + 1);
    col++;
  };
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i] ?? '';
    if (ch === ESC) {
      const m = /^\[(\d*)([A-Za-z])/.exec(raw.slice(i + 1));
      if (!m) continue;
      i += m[0].length;
      const n = Number(m[1] || '1');
      switch (m[2]) {
        case 'A': row = Math.max(0, row - n); break;
        case 'G': col = n - 1; break;
        case 'K': rows[row] = m[1] === '2' ? '' : (rows[row] ?? '').slice(0, col); break;
        case 'J': rows[row] = (rows[row] ?? '').slice(0, col); rows.splice(row + 1); break;
      }
      continue;
    }
    if (ch === '\r') col = 0;
    else if (ch === '\n') { row++; col = 0; rows[row] ??= ''; }
    else put(ch);
  }
  return rows;
}
