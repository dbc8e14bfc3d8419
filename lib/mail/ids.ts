// Message-IDs in the identity headers (Message-ID, In-Reply-To, References): which tokens are
// usable ids, and the synthetic id of a message without one.
import { createHash } from "node:crypto";
import { LIMITS } from "./limits";

export const CTL_OR_SPACE = /[\x00-\x20\x7f]/;

function isUsableId(id: string): boolean {
  return id.length > 0 && id.length <= LIMITS.maxMsgidLength && !CTL_OR_SPACE.test(id) && Buffer.byteLength(id, "utf8") <= LIMITS.maxMsgidLength;
}

/** Removes folding (line break + blanks) completely: ids are sometimes folded mid-token. */
function unfoldTight(v: string): string {
  return v.indexOf("\n") < 0 && v.indexOf("\r") < 0 ? v : v.replace(/\r?\n[ \t]*|\r/g, "");
}

/** `<...>` tokens of a header value, in order, usable ones only. A value without any `<` holding
 * bare tokens is accepted when it is a single token, or when every token contains an "@". */
export function extractIds(value: string): { ids: string[]; rejected: number } {
  const v = unfoldTight(value);
  const ids: string[] = [];
  let rejected = 0;
  if (v.indexOf("<") >= 0) {
    const re = /<([^<>]*)>/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(v)) !== null) {
      const id = m[1].trim();
      if (isUsableId(id)) ids.push(id);
      else rejected++;
    }
    return { ids, rejected };
  }
  const toks = v.trim().split(/[\s,]+/).filter((t) => t.length > 0);
  if (toks.length === 1) {
    if (isUsableId(toks[0])) ids.push(toks[0]);
    else rejected++;
  } else if (toks.length > 1 && toks.every((t) => t.indexOf("@") > 0)) {
    for (const t of toks) if (isUsableId(t)) ids.push(t);
  } else if (toks.length > 0) rejected++;
  return { ids, rejected };
}

export function syntheticMsgid(raw: Buffer): string {
  return `patchlore-${createHash("sha256").update(raw).digest("hex").slice(0, 32)}@synthetic.invalid`;
}
