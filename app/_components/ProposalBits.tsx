// Small pieces of the proposal pages: the status badge, how a member or link was found (method,
// confidence, evidence as a readable line), people, URLs of proposals. Everything rendered is text
// (React escapes it); evidence comes from mail, so it is never HTML.
import type { PersonRef } from "@/lib/views/refs";
import { STATUS_LABEL, type WorkStatus } from "@/lib/knowledge/status";
import { messageUrl, searchUrl, withQuery } from "../_lib/urls";

export const proposalUrl = (id: number) => `/proposals/${id}/`;
export const proposalsUrl = (o: { list?: string | null; q?: string | null; status?: string | null; page?: number } = {}) =>
  withQuery("/proposals/", { list: o.list, q: o.q, status: o.status, page: o.page });

/**
 * The status of a proposal, a series or a patch (lib/knowledge/status workStatus: one rule for the
 * proposals pass, the series and patch views, every page and the API).
 */
export function StatusBadge({ status, title }: { status: string; title?: string }) {
  const known = Object.hasOwn(STATUS_LABEL, status);
  return (
    <span className={`pp-status pp-st-${known ? status : "other"}`} data-status={status} title={title}>
      {known ? (status === "merged" ? "merged upstream" : STATUS_LABEL[status as WorkStatus]) : status}
    </span>
  );
}

const METHOD_TEXT: Record<string, string> = {
  "version-line": "version line",
  root: "topic thread",
  "body-ref": "named in a message",
  "link-trailer": "Link:/Closes: trailer",
  footnote: "footnote link",
  fixes: "Fixes: trailer",
  "shared-code": "same functions changed",
  "text-similarity": "similar title and cover text",
  "in-thread": "report in its thread",
  "robot-report": "robot report about its patch",
  curated: "added by a curator",
};

export const methodText = (m: string) => (Object.hasOwn(METHOD_TEXT, m) ? METHOD_TEXT[m] : m);

const str = (v: unknown): string | null => (typeof v === "string" && v ? v : null);

/** One line saying what the evidence is: the line that named it, the functions, the shared words. */
export function evidenceText(method: string, e: Record<string, unknown> | null | undefined): string {
  if (!e) return "";
  const parts: string[] = [];
  if (str(e.text)) parts.push(`“${str(e.text)}”`);
  if (method === "version-line" && str(e.link)) parts.push(`version link by ${str(e.link)}${str(e.from) ? ` from <${str(e.from)}>` : ""}`);
  if (str(e.seed)) parts.push(str(e.seed)!);
  if (Array.isArray(e.functions) && e.functions.length) {
    const fs = (e.functions as unknown[]).filter((x): x is string => typeof x === "string").map((f) => f.replace(/^.*::/, ""));
    parts.push(`functions ${fs.slice(0, 6).join(", ")}${fs.length > 6 ? ` (+${fs.length - 6})` : ""}`);
  }
  if (typeof e.jaccard === "number") parts.push(`overlap ${e.jaccard}`);
  if (typeof e.overlap === "number") parts.push(`overlap ${e.overlap}`);
  if (typeof e.cosine === "number") parts.push(`cosine ${e.cosine}`);
  if (Array.isArray(e.terms) && e.terms.length) parts.push(`words ${(e.terms as unknown[]).filter((x) => typeof x === "string").slice(0, 6).join(", ")}`);
  if (e.dependency === true) parts.push("a dependency");
  if (str(e.matchedBy)) parts.push(`matched by ${str(e.matchedBy)}`);
  if (e.similarity && typeof e.similarity === "object") {
    const s = e.similarity as Record<string, unknown>;
    parts.push(`also ${methodText(String(s.method ?? ""))}${typeof s.confidence === "number" ? ` ${s.confidence.toFixed(2)}` : ""}`);
  }
  if (typeof e.mergedFrom === "number" || typeof e.mergedFrom === "string") parts.push(`merged from proposal ${e.mergedFrom}`);
  return parts.join(" · ");
}

/** method · confidence, with the evidence as the title. */
export function Provenance({ method, confidence, evidence }: { method: string; confidence: number; evidence?: Record<string, unknown> | null }) {
  const ev = evidenceText(method, evidence);
  return (
    <span className="pp-prov" title={ev || undefined}>
      <span className="pp-method">{methodText(method)}</span> <span className="pp-conf">{confidence.toFixed(2)}</span>
    </span>
  );
}

export function Person({ p }: { p: PersonRef | null }) {
  if (!p || (!p.name && !p.address)) return <span className="dim">—</span>;
  const label = p.name || p.address;
  return p.address ? (
    <a className="pp-person" href={searchUrl(`f:${p.address}`)} title={p.address}>
      {label}
    </a>
  ) : (
    <span className="pp-person">{label}</span>
  );
}

/** A message link when the list is known. */
export function MsgLink({ list, msgid, children, hash }: { list: string | null; msgid: string | null; children: React.ReactNode; hash?: string }) {
  if (!list || !msgid) return <>{children}</>;
  return <a href={`${messageUrl(list, msgid)}${hash ? `#${hash}` : ""}`}>{children}</a>;
}

export function day(iso: string | null): string {
  return iso ? iso.slice(0, 10) : "?";
}

/** "2023-04-12 → 2025-02-04 (1 year 10 months)" */
export function spanText(first: string | null, last: string | null): string {
  if (!first || !last) return first ? day(first) : "";
  const a = new Date(first);
  const b = new Date(last);
  let months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
  if (b.getUTCDate() < a.getUTCDate()) months--;
  const y = Math.floor(months / 12);
  const m = months % 12;
  const len = months <= 0 ? "" : ` (${[y ? `${y} year${y > 1 ? "s" : ""}` : "", m ? `${m} month${m > 1 ? "s" : ""}` : ""].filter(Boolean).join(" ")})`;
  return `${day(first)} → ${day(last)}${len}`;
}

const RELATION_TEXT: Record<string, string> = {
  predecessor: "earlier work this continues",
  successor: "later work that continues this",
  alternative: "another design for the same code",
  related: "related",
};
export const relationText = (r: string) => (Object.hasOwn(RELATION_TEXT, r) ? RELATION_TEXT[r] : r);
