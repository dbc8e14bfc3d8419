// Whitespace collapsed: what `s.replace(/\s+/g, " ").trim()` gives, without a regular expression
// (anchoring and porting compare every line of a patch this way). Internal to lib/review.

/** \s: tab, line feed, vertical tab, form feed, carriage return, space and the Unicode spaces */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** a line that collapsing changes: white space other than a space, two spaces, a space at an end */
const CHANGES = /[^\S ]| {2}|^ | $/;

/** Every run of whitespace made one space, none at either end. */
export function collapseSpace(s: string): string {
  return CHANGES.test(s) ? collapse(s) : s;
}

function collapse(s: string): string {
  const n = s.length;
  let i = 0;
  while (i < n && isSpace(s.charCodeAt(i))) i++;
  let out = "";
  let from = i;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c > 32 && c < 0xa0) {
      i++;
      continue;
    }
    if (!isSpace(c)) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n && isSpace(s.charCodeAt(j))) j++;
    if (j === n) return out + s.slice(from, i);
    // a single space stays as it is; any other run becomes one space
    if (c !== 32 || j !== i + 1) {
      out += s.slice(from, i) + " ";
      from = j;
    }
    i = j;
  }
  return from === 0 ? s : out + s.slice(from);
}
