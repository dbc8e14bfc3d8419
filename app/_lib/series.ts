// Wording for series, versions and version links. Pure.

export interface VersionLike {
  version: number;
  revision: string;
  isRfc: boolean;
}

/** "RFC" (an RFC without a version), "RFC v2", "v1", "v5.1". */
export function versionLabel(v: VersionLike): string {
  const rev = v.revision || String(v.version);
  if (v.isRfc) return rev === "1" ? "RFC" : `RFC v${rev}`;
  return `v${rev}`;
}

/** "complete", "missing 3, 5 of 7". */
export function completenessText(s: { complete: boolean; missing: number[]; total: number }): string {
  if (s.complete || !s.missing.length) return s.complete ? "complete" : `incomplete (${s.total} expected)`;
  return `missing ${s.missing.map(formatIndex).join(", ")} of ${s.total}`;
}

/** A patch's place in its series: 0.5 stays 0.5, 3 is 3. */
export function formatIndex(i: number): string {
  return Number.isInteger(i) ? String(i) : String(Math.round(i * 100) / 100);
}

const METHOD_TEXT: Record<string, string> = {
  "change-id": "by change-id",
  supersedes: "by Supersedes:/Obsoleted-by:",
  "partial-reroll": "as a partial reroll",
  reference: "by a reference to the earlier version",
  "reply-to-previous": "sent as a reply to the earlier version",
  changelog: "by its changelog",
  title: "by title",
};

/** "linked by change-id", "linked by title, confidence 0.6". */
export function linkText(l: { method: string; kind?: string; confidence: number }): string {
  const how = METHOD_TEXT[l.method] ?? `by ${l.method}`;
  const conf = l.confidence >= 0.995 ? "" : `, confidence ${(Math.round(l.confidence * 100) / 100).toString()}`;
  const kind = l.kind && l.kind !== "new-version" ? ` (${l.kind.replace(/-/g, " ")})` : "";
  return `linked ${how}${conf}${kind}`;
}

const PAIR_TEXT: Record<string, string> = {
  "patch-id": "same patch-id",
  content: "same content (whitespace, line numbers aside)",
  title: "paired by title",
  "position+files": "paired by position and files",
};

export function pairText(method: string | null): string {
  return method ? PAIR_TEXT[method] ?? method : "";
}

/** A file name for a series' mbox: "v2_20231017_mira_mm-vmscan-batch-lru-rotation.mbox", [A-Za-z0-9._-] only. */
export function mboxFilename(s: VersionLike & { date: string | null; author: string; title: string }): string {
  const d = s.date ? new Date(s.date) : null;
  const ymd = d && !Number.isNaN(d.getTime()) ? d.toISOString().slice(0, 10).replace(/-/g, "") : "";
  const who = s.author.split("@")[0] ?? "";
  const slug = (x: string) =>
    x
      .normalize("NFKD")
      .replace(/[^\x20-\x7e]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "");
  const parts = [slug(versionLabel(s)), ymd, slug(who), slug(s.title).slice(0, 60).replace(/-+$/, "")].filter(Boolean);
  return (parts.join("_") || "series") + ".mbox";
}
