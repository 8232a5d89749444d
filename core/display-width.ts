/**
 * Columns a terminal gives a string: a Han character takes two, so `padEnd` (which counts UTF-16
 * units) would misalign the ready box and the tables in Chinese.
 */
import stringWidth from 'string-width';

export function padEndDisplay(text: string, columns: number): string {
  return text + ' '.repeat(Math.max(0, columns - stringWidth(text)));
}

export function displayWidth(text: string): number {
  return stringWidth(text);
}
