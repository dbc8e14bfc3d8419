// The text and JSON the review pass writes, as PostgreSQL takes them: NULs dropped, lone
// surrogates made well-formed (clean, json).

export const clean = (s: string) => (s.includes("\u0000") ? s.replaceAll("\u0000", "") : s);
/** a JSON document PostgreSQL takes: no NUL, no lone surrogate in any string */
export const json = (v: unknown): string => {
  // JSON.stringify writes a NUL as \u0000 and a lone surrogate as \udXXX: without either (or
  // text that looks like them) the strings need no cleaning
  const plain = JSON.stringify(v);
  if (!/\\u(?:0000|d[89a-f])/i.test(plain)) return plain;
  return JSON.stringify(v, (_k, x) => {
    if (typeof x !== "string") return x;
    const t = clean(x);
    return t.isWellFormed() ? t : t.toWellFormed();
  });
};
