// lore over HTTP: a public-inbox server (lore.kernel.org or any server with its URL layout) read
// through its web endpoints, politely.
//
// Two kinds of URL:
//   <base>/<list>/<msgid>/   (also .../T/, .../t/, .../raw, .../t.mbox.gz, legacy .../m/<msgid>.html)
//       one thread: GET <base>/<list>/<msgid>/t.mbox.gz (gzipped mboxrd of the whole thread),
//       spooled to a temporary file and read with the mbox reader. <base>/r/<msgid> and
//       <base>/all/<msgid>/ are first resolved with GET .../raw: a redirect names the list; when
//       the extindex ("all") answers itself, the List-Id of the message names it (else "lore").
//   <base>/<list>/          (with --since <date> the first time; later runs continue)
//       new messages since a date-time, oldest first:
//         1. GET <base>/<list>/new.atom: the latest entries (public-inbox's "feedmax", 25 by
//            default), newest first, each with <link href="<base>/<list>/<msgid>/"/> and
//            <updated> (the message's Date). A 404 here means there is no such list. When no entry
//            is newer than the cursor, the run stops after this one request.
//         2. POST <base>/<list>/?q=d:YYYYMMDD..&x=m (dt:YYYYMMDDhhmmss.. for a time of day): the
//            gzipped mboxrd of every search result, whatever the count (PublicInbox::Mbox::mbox_all
//            refills the Xapian result set until done; "x=m" is ignored for GET; 404 = no results).
//            Results come newest-indexed first, so they are spooled to a temporary file, indexed
//            by Date and yielded oldest first.
//         3. Fallback when the server has no search (501), refuses the POST, or answers with
//            something that is not an mbox (an anti-bot page): page back through the Atom feed
//            (new.atom?t=YYYYMMDDhhmmss gives the entries received before that time, see
//            PublicInbox::View::paginate_recent) down to the start, then GET
//            <base>/<list>/<msgid>/raw for each new entry, oldest first.
//       The cursor (state["lore:newest"]) holds the newest Date taken and the Message-IDs taken
//       at that second; it is committed with each stored batch, so a rerun without --since (or a
//       killed run) continues after what was stored. Known limit: a message that arrives late with
//       a Date older than the cursor is not picked up (both the feed and "d:" are Date based).
//
// Politeness: User-Agent "patchlore/<version> (+https://github.com/patchlore[; contact: ...])"
// (and an HTTP From header with PATCHLORE_CONTACT when set), one request at a time per server
// spaced by the rate limit (PATCHLORE_HTTP_RATE requests/second, default 1), retries with
// exponential backoff and jitter on 429/5xx/network errors/timeouts honouring Retry-After
// (PATCHLORE_HTTP_RETRIES, default 5), a timeout per request (PATCHLORE_HTTP_TIMEOUT seconds,
// default 60: the whole request for feeds and raw messages, no data for that long for mbox
// downloads). The server is the URL's origin; PATCHLORE_LORE_URL (e.g. a mirror, or a server
// with a path prefix such as https://example.org/pi/) replaces https://lore.kernel.org and is
// stripped from URLs that start with it.

import { createWriteStream, readFileSync, rmSync } from "node:fs";
import { mkdtemp, open, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleepTimer } from "node:timers/promises";
import { parseMailDate } from "../../lib/mail/date";
import { decodeUrlPart } from "../../lib/mail/references";
import { openMbox, splitMbox } from "./mbox";
import { SourceError, type OpenSourceOptions, type Source, type SourceItem, type SourceMessage } from "./types";
import { headerBlock, listNameFromHeaders, sanitizeListName, startsWithFrom } from "./util";

// ---------------------------------------------------------------------------------------------
// options

export interface LoreHttpOptions extends OpenSourceOptions {
  /** public-inbox base URL replacing https://lore.kernel.org (default $PATCHLORE_LORE_URL) */
  baseUrl?: string;
  /** requests per second to one server (default $PATCHLORE_HTTP_RATE or 1) */
  rate?: number;
  /** per-request timeout in ms (default $PATCHLORE_HTTP_TIMEOUT seconds, or 60 s) */
  timeoutMs?: number;
  /** retries after the first attempt (default $PATCHLORE_HTTP_RETRIES or 5) */
  retries?: number;
  /** first backoff delay in ms, doubled per retry, with jitter (default 1000) */
  backoffMs?: number;
  /** longest backoff delay in ms (default 60 s) */
  maxBackoffMs?: number;
  /** longest Retry-After honoured in ms; a server asking for more is an error (default 10 min) */
  maxRetryAfterMs?: number;
  /** contact (an e-mail address) for the User-Agent and From headers (default $PATCHLORE_CONTACT) */
  contact?: string;
  /** use the mbox.gz of search results for list URLs (default true; false: Atom + /raw only) */
  searchMbox?: boolean;
}

interface Resolved {
  rate: number;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  maxBackoffMs: number;
  maxRetryAfterMs: number;
  contact: string | null;
  searchMbox: boolean;
}

function envNumber(name: string): number | undefined {
  const v = process.env[name];
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new SourceError(`${name}=${v} is not a non-negative number`);
  return n;
}

function resolveOptions(o: LoreHttpOptions): Resolved {
  const rate = o.rate ?? envNumber("PATCHLORE_HTTP_RATE") ?? 1;
  if (!(rate > 0)) throw new SourceError(`the request rate must be positive (got ${rate})`);
  const timeoutS = envNumber("PATCHLORE_HTTP_TIMEOUT");
  return {
    rate,
    timeoutMs: o.timeoutMs ?? (timeoutS !== undefined ? timeoutS * 1000 : 60_000),
    retries: Math.floor(o.retries ?? envNumber("PATCHLORE_HTTP_RETRIES") ?? 5),
    backoffMs: o.backoffMs ?? 1000,
    maxBackoffMs: o.maxBackoffMs ?? 60_000,
    maxRetryAfterMs: o.maxRetryAfterMs ?? 600_000,
    contact: (o.contact ?? process.env.PATCHLORE_CONTACT ?? "").trim() || null,
    searchMbox: o.searchMbox ?? true,
  };
}

const VERSION: string = (() => {
  try {
    return JSON.parse(readFileSync(path.join(import.meta.dirname, "../../package.json"), "utf8")).version ?? "0";
  } catch {
    return "0";
  }
})();

export function userAgent(contact?: string | null): string {
  return `patchlore/${VERSION} (+https://github.com/patchlore${contact ? `; contact: ${contact}` : ""})`;
}

// ---------------------------------------------------------------------------------------------
// --since

const UNIT_MS: Record<string, number> = { second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 7 * 86_400_000 };

/**
 * "2024-03-01" (UTC midnight), "20240301", an ISO date-time ("2024-03-01T12:00:00Z", no zone =
 * UTC), or git-style "2.weeks.ago" / "3 days ago" (seconds to years). Throws Error when not a date.
 */
export function parseSince(input: string, now: Date = new Date()): Date {
  const s = input.trim();
  let m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(s);
  if (m) {
    const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
    if (d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3]) return d;
  } else if ((m = /^(\d+)[.\s]+(second|minute|hour|day|week|month|year)s?[.\s]+ago$/i.exec(s))) {
    const n = +m[1];
    const unit = m[2].toLowerCase();
    const d = new Date(now.getTime());
    if (unit === "month") d.setUTCMonth(d.getUTCMonth() - n);
    else if (unit === "year") d.setUTCFullYear(d.getUTCFullYear() - n);
    else d.setTime(d.getTime() - n * UNIT_MS[unit]);
    return d;
  } else if (/^\d{4}-\d{2}-\d{2}[T\s]\d/.test(s)) {
    const d = parseMailDate(s);
    if (d) return d.date;
  }
  throw new Error(`not a date: ${input} (use YYYY-MM-DD, an ISO date-time such as 2024-03-01T12:00:00Z, or N.days.ago / N.weeks.ago)`);
}

// ---------------------------------------------------------------------------------------------
// URLs

export const LORE_ORIGIN = "https://lore.kernel.org";

/** Message-ID -> URL path segment, escaped like public-inbox's mid_href (MID_ESC). */
export function escapeMid(mid: string): string {
  let out = "";
  for (const ch of mid) {
    if (/[A-Za-z0-9\-._~!$&'()*+,;=:@]/.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, "utf8")) out += "%" + b.toString(16).toUpperCase().padStart(2, "0");
  }
  return out;
}

export interface LoreTarget {
  /** server base URL, ends with "/" (origin, or PATCHLORE_LORE_URL with its path prefix) */
  base: string;
  /** first path segment: the list (inbox) name, or "r"/"all" before resolution */
  list: string;
  /** escaped Message-ID path segment for a thread URL, null for a list URL */
  midSegment: string | null;
}

const NOT_A_MESSAGE = new Set(["", "new.atom", "new.html", "_", "atom.xml", "index.html"]);

/** Splits a lore/public-inbox URL into base, list and message. Throws SourceError when it is not one. */
export function parseLoreUrl(input: string, baseUrl?: string): LoreTarget {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new SourceError(`not a URL: ${input}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new SourceError(`not an http(s) URL: ${input}`);
  let base = url.origin + "/";
  let rest = url.pathname;
  const configured = (baseUrl ?? process.env.PATCHLORE_LORE_URL ?? "").trim();
  if (configured) {
    let b: URL;
    try {
      b = new URL(configured);
    } catch {
      throw new SourceError(`PATCHLORE_LORE_URL is not a URL: ${configured}`);
    }
    const bHref = b.origin + b.pathname.replace(/\/*$/, "/");
    if ((url.origin + url.pathname).startsWith(bHref)) {
      base = bHref;
      rest = url.pathname.slice(b.pathname.replace(/\/*$/, "/").length - 1);
    } else if (url.hostname === "lore.kernel.org") {
      base = bHref;
    }
  }
  const segs = rest.split("/").slice(1); // "/list/mid/T/" -> ["list", "mid", "T", ""]
  const list = segs[0] ? decodeUrlPart(segs[0]) : "";
  if (!list) throw new SourceError(`${input}: no list in the URL (expected ${base}<list>/ or ${base}<list>/<message-id>/)`);
  let mid = segs[1] ?? "";
  if ((mid === "m" || mid === "f") && segs[2]) mid = segs[2].replace(/\.(html|txt)$/, ""); // legacy /<list>/m/<mid>.html
  if (NOT_A_MESSAGE.has(mid)) {
    if (list === "r" || list === "all") {
      if (list === "all") return { base, list, midSegment: null };
      throw new SourceError(`${input}: a /r/ URL needs a Message-ID (${base}r/<message-id>)`);
    }
    return { base, list, midSegment: null };
  }
  return { base, list, midSegment: mid };
}

export function isHttpUrl(s: string): boolean {
  return /^https?:\/\//i.test(s);
}

// ---------------------------------------------------------------------------------------------
// HTTP: rate limit, timeout, retries

/** An HTTP answer the caller may handle (e.g. a 501 from a server without search). */
export class HttpStatusError extends SourceError {
  constructor(
    message: string,
    readonly status: number,
    readonly url: string,
  ) {
    super(message);
  }
}

/** A transient failure (network error, timeout): worth another attempt. */
class Retryable extends Error {}

// one queue per server for the whole process: requests start one at a time, at least
// 1/rate after the previous one actually started
const turns = new Map<string, Promise<void>>();
const lastStart = new Map<string, number>();

async function waitTurn(key: string, intervalMs: number, signal?: AbortSignal): Promise<void> {
  const prev = turns.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  turns.set(key, prev.then(() => mine));
  await prev;
  try {
    const wait = (lastStart.get(key) ?? 0) + intervalMs - Date.now();
    if (wait > 0) await sleepTimer(wait, undefined, signal ? { signal } : undefined);
    lastStart.set(key, Date.now());
  } finally {
    release();
  }
}

function parseRetryAfter(v: string | null, now = Date.now()): number | null {
  if (!v) return null;
  const t = v.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const d = Date.parse(t);
  return Number.isNaN(d) ? null : Math.max(0, d - now);
}

function describeNetworkError(e: unknown): string {
  const err = e as Error & { cause?: { code?: string; message?: string } };
  const code = err?.cause?.code;
  if (code === "ECONNREFUSED") return "connection refused";
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return "connection reset";
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return "host not found";
  return err?.cause?.message ?? err?.message ?? String(e);
}

type Want = "buffer" | { file: string };

interface RequestSpec {
  url: string;
  method?: "GET" | "POST";
  want: Want;
  /** message for a 404/410 */
  notFound: string;
  signal?: AbortSignal;
  /** follow redirects (each hop is a rate-limited request); default true */
  follow?: boolean;
}

interface Answer {
  url: string;
  status: number;
  contentType: string;
  body: Buffer | null;
  /** URLs redirected from, in order */
  redirects: string[];
}

export class LoreHttpClient {
  readonly ua: string;
  constructor(readonly o: Resolved) {
    this.ua = userAgent(o.contact);
  }

  private headers(method: string): Record<string, string> {
    const h: Record<string, string> = { "user-agent": this.ua, accept: "*/*" };
    if (this.o.contact && this.o.contact.includes("@")) h.from = this.o.contact;
    if (method === "POST") h["content-type"] = "application/x-www-form-urlencoded";
    return h;
  }

  /** One attempt: rejects with Retryable for transient failures, resolves with any HTTP status. */
  private async attempt(url: string, method: string, want: Want, signal?: AbortSignal): Promise<{ res: Response; body: Buffer | null }> {
    const ac = new AbortController();
    let timedOut = false;
    const timeoutMs = this.o.timeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        ac.abort(new Error("timeout"));
      }, timeoutMs);
    };
    const onOuter = () => ac.abort(signal?.reason);
    signal?.addEventListener("abort", onOuter, { once: true });
    arm();
    try {
      const res = await fetch(url, { method, headers: this.headers(method), body: method === "POST" ? "" : undefined, redirect: "manual", signal: ac.signal });
      if (res.status < 200 || res.status >= 300) {
        await res.body?.cancel().catch(() => {});
        return { res, body: null };
      }
      if (want === "buffer") return { res, body: Buffer.from(await res.arrayBuffer()) };
      // a download: the timeout becomes "no data for that long"
      const out = createWriteStream(want.file);
      const closed = new Promise<void>((resolve, reject) => {
        out.on("close", resolve);
        out.on("error", reject);
      });
      try {
        if (res.body) {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            arm();
            if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", r));
          }
        }
      } finally {
        out.end();
        await closed;
      }
      return { res, body: null };
    } catch (e) {
      if (signal?.aborted) throw signal.reason ?? e;
      if (timedOut) throw new Retryable(`timed out after ${timeoutMs / 1000}s`);
      if (e instanceof SourceError) throw e;
      const fsErr = e as NodeJS.ErrnoException;
      if (fsErr?.syscall && fsErr.path) throw new SourceError(`cannot write the download of ${url} to ${fsErr.path}: ${fsErr.message}`);
      throw new Retryable(describeNetworkError(e));
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener("abort", onOuter);
    }
  }

  /** GET/POST with rate limit, retries and redirects. 2xx resolves; 404/410 and other errors throw. */
  async request(spec: RequestSpec): Promise<Answer> {
    const method = spec.method ?? "GET";
    const redirects: string[] = [];
    let url = spec.url;
    for (let hop = 0; ; hop++) {
      const { res, body } = await this.withRetries(url, method, spec.want, spec.signal);
      const status = res.status;
      if (status >= 300 && status < 400 && (spec.follow ?? true)) {
        const loc = res.headers.get("location");
        if (!loc) throw new HttpStatusError(`${url} answered ${status} without a Location`, status, url);
        if (hop >= 5) throw new SourceError(`too many redirects from ${spec.url}`);
        const next = new URL(loc, url);
        if (next.protocol !== "http:" && next.protocol !== "https:") throw new SourceError(`${url} redirects to ${next.href}, which is not http(s)`);
        redirects.push(url);
        url = next.href;
        continue;
      }
      if (status >= 200 && status < 300) {
        return { url, status, contentType: res.headers.get("content-type") ?? "", body, redirects };
      }
      if (status === 404 || status === 410) throw new HttpStatusError(spec.notFound, status, url);
      throw new HttpStatusError(`${url} answered ${status} ${res.statusText}`.trim(), status, url);
    }
  }

  private async withRetries(url: string, method: string, want: Want, signal?: AbortSignal): Promise<{ res: Response; body: Buffer | null }> {
    const key = new URL(url).host;
    const interval = 1000 / this.o.rate;
    const attempts = this.o.retries + 1;
    let last = "";
    for (let i = 0; i < attempts; i++) {
      await waitTurn(key, interval, signal);
      let wait: number | null = null;
      try {
        const r = await this.attempt(url, method, want, signal);
        const s = r.res.status;
        if (s === 429 || s === 500 || s === 502 || s === 503 || s === 504 || s === 408) {
          last = `${s} ${r.res.statusText}`.trim();
          wait = parseRetryAfter(r.res.headers.get("retry-after"));
          if (wait !== null && wait > this.o.maxRetryAfterMs) {
            throw new SourceError(
              `${new URL(url).host} asks to wait ${Math.round(wait / 1000)}s before retrying ${url} (${last}, Retry-After), ` +
                `longer than the ${Math.round(this.o.maxRetryAfterMs / 1000)}s patchlore waits: try again later`,
            );
          }
        } else {
          return r;
        }
      } catch (e) {
        if (!(e instanceof Retryable)) throw e;
        last = e.message;
      }
      if (i + 1 >= attempts) break;
      if (wait === null) {
        const exp = Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** i);
        wait = exp / 2 + Math.random() * (exp / 2); // "equal jitter"
      } else {
        wait += Math.random() * Math.min(1000, wait * 0.1); // a little jitter on top of Retry-After
      }
      await sleepTimer(wait, undefined, signal ? { signal } : undefined);
    }
    throw new SourceError(`${new URL(url).host} did not answer ${url} after ${attempts} attempt${attempts === 1 ? "" : "s"}: ${last}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Atom

export interface FeedEntry {
  /** Message-ID (decoded from the link) */
  mid: string;
  /** the link's last path segment, escaped as the server wrote it */
  segment: string;
  /** <updated>, ms since the epoch (whole seconds) */
  t: number;
}

function xmlUnescape(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
    const k = e.toLowerCase();
    if (k === "amp") return "&";
    if (k === "lt") return "<";
    if (k === "gt") return ">";
    if (k === "quot") return '"';
    if (k === "apos") return "'";
    return String.fromCodePoint(k.startsWith("#x") ? parseInt(k.slice(2), 16) : parseInt(k.slice(1), 10));
  });
}

/** Entries of a public-inbox Atom feed, in feed order. */
export function parseAtom(xml: string): FeedEntry[] {
  const out: FeedEntry[] = [];
  for (const m of xml.matchAll(/<entry\b[^>]*>([\s\S]*?)<\/entry>/g)) {
    const body = m[1].replace(/<content\b[\s\S]*?<\/content>/, "");
    let href: string | null = null;
    for (const l of body.matchAll(/<link\b([^>]*)>/g)) {
      const attrs = l[1];
      const rel = /\brel\s*=\s*"([^"]*)"/.exec(attrs)?.[1];
      const h = /\bhref\s*=\s*"([^"]*)"/.exec(attrs)?.[1];
      if (h && (!rel || rel === "alternate")) {
        href = xmlUnescape(h);
        break;
      }
    }
    const updated = /<updated>\s*([^<]+?)\s*<\/updated>/.exec(body)?.[1];
    if (!href || !updated) continue;
    const t = Date.parse(updated);
    if (Number.isNaN(t)) continue;
    const segs = href.replace(/[?#].*$/, "").split("/").filter((x) => x.length > 0);
    const segment = segs[segs.length - 1];
    if (!segment) continue;
    out.push({ mid: decodeUrlPart(segment), segment, t: Math.floor(t / 1000) * 1000 });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// helpers

function headerValue(headers: string, name: string): string | null {
  const m = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, "im").exec(headers);
  return m ? m[1].replace(/\r?\n[ \t]+/g, " ").trim() : null;
}

function msgidOf(raw: Buffer): string | null {
  const v = headerValue(headerBlock(raw, 64 * 1024), "message-id");
  if (!v) return null;
  const m = /<([^<>\s]+)>/.exec(v) ?? /^(\S+)$/.exec(v);
  return m ? m[1] : null;
}

/** The message's Date, whole seconds, or null. */
function dateOf(raw: Buffer): number | null {
  const d = parseMailDate(headerValue(headerBlock(raw, 64 * 1024), "date"));
  return d ? Math.floor(d.date.getTime() / 1000) * 1000 : null;
}

function isGzip(b: Buffer): boolean {
  return b.length >= 2 && b[0] === 0x1f && b[1] === 0x8b;
}

async function fileHead(file: string, n: number): Promise<Buffer> {
  const fh = await open(file, "r");
  try {
    const b = Buffer.alloc(n);
    const { bytesRead } = await fh.read(b, 0, n, 0);
    return b.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

// temporary spool directories, removed when done (and at exit, for runs that stop early)
const tmpDirs = new Set<string>();
let exitHook = false;
async function makeTmpDir(): Promise<string> {
  const d = await mkdtemp(path.join(os.tmpdir(), "patchlore-lore-"));
  tmpDirs.add(d);
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => {
      for (const x of tmpDirs) rmSync(x, { recursive: true, force: true });
    });
  }
  return d;
}
async function dropTmpDir(d: string | null): Promise<void> {
  if (!d) return;
  tmpDirs.delete(d);
  await rm(d, { recursive: true, force: true });
}

/** Split a /raw answer (mboxrd, possibly several messages with that Message-ID) into messages. */
async function rawMessages(body: Buffer): Promise<Buffer[]> {
  let i = 0;
  while (i < body.length && (body[i] === 0x0a || body[i] === 0x0d)) i++;
  if (!startsWithFrom(body, i)) return body.length > i ? [body.subarray(i)] : [];
  const out: Buffer[] = [];
  const one = body.subarray(i);
  for await (const m of splitMbox((async function* () {
    yield one;
  })())) out.push(m.raw);
  return out;
}

function fmtUtc(t: number, withTime: boolean): string {
  const iso = new Date(t).toISOString(); // 2024-03-01T12:34:56.000Z
  const d = iso.slice(0, 10).replace(/-/g, "");
  return withTime ? d + iso.slice(11, 19).replace(/:/g, "") : d;
}

/** The search query for "Date at or after t": d:YYYYMMDD.. at midnight UTC, else dt:YYYYMMDDhhmmss.. */
export function sinceQuery(t: number): string {
  return t % 86_400_000 === 0 ? `d:${fmtUtc(t, false)}..` : `dt:${fmtUtc(t, true)}..`;
}

// ---------------------------------------------------------------------------------------------
// the cursor

export const CURSOR_KEY = "lore:newest";

interface Cursor {
  /** ms, whole seconds */
  t: number;
  /** Message-IDs taken at exactly t */
  ids: string[];
}

function readCursor(state: Record<string, string>): Cursor | null {
  const v = state[CURSOR_KEY];
  if (!v) return null;
  try {
    const j = JSON.parse(v) as { t?: string; ids?: unknown };
    const t = Date.parse(j.t ?? "");
    if (Number.isNaN(t)) return null;
    return { t, ids: Array.isArray(j.ids) ? j.ids.filter((x): x is string => typeof x === "string") : [] };
  } catch {
    return null;
  }
}

function writeCursor(c: Cursor): string {
  return JSON.stringify({ t: new Date(c.t).toISOString(), ids: c.ids });
}

/** Tracks what is new relative to the start and moves the cursor forward message by message. */
class Window {
  private cur: Cursor;
  constructor(
    readonly start: number,
    readonly from: Cursor | null,
  ) {
    this.cur = from && from.t >= start ? { t: from.t, ids: [...from.ids] } : { t: start, ids: [] };
  }
  /** should a message dated t with this Message-ID be taken? */
  wants(t: number, mid: string | null): boolean {
    if (t < this.start) return false;
    if (this.from && t === this.from.t && mid && this.from.ids.includes(mid)) return false;
    return true;
  }
  /** record a taken message; returns the cursor value to commit with it */
  take(t: number, mid: string | null): string {
    if (t > this.cur.t) this.cur = { t, ids: [] };
    if (t === this.cur.t && mid && !this.cur.ids.includes(mid)) this.cur.ids.push(mid);
    return writeCursor(this.cur);
  }
}

// ---------------------------------------------------------------------------------------------
// the source

export class LoreHttpSource implements Source {
  readonly kind = "lore-http" as const;
  private spoolDir: string | null = null;
  private threadFile: string | null = null;

  constructor(
    readonly http: LoreHttpClient,
    readonly o: Resolved,
    /** the thread or list URL (normalised) */
    readonly location: string,
    readonly target: { base: string; list: string; midSegment: string | null },
    private readonly listName: string | null,
    private readonly since: number | null,
    /** list mode: the first page of new.atom, fetched when opening */
    private readonly feed: FeedEntry[] | null,
  ) {}

  get mode(): "thread" | "list" {
    return this.target.midSegment ? "thread" : "list";
  }

  get listUrl(): string {
    return `${this.target.base}${escapeMid(this.target.list)}/`;
  }

  suggestedListName(): string | null {
    return this.listName;
  }

  private refFor(raw: Buffer, fallback: string): string {
    const mid = msgidOf(raw);
    return mid ? `lore:${this.listUrl}${escapeMid(mid)}/` : `lore:${fallback}`;
  }

  // ---- thread

  private threadMboxUrl(): string {
    return `${this.listUrl}${this.target.midSegment}/t.mbox.gz`;
  }

  /** Downloads t.mbox.gz into a spool file (once). */
  async fetchThread(signal?: AbortSignal): Promise<string> {
    if (this.threadFile) return this.threadFile;
    const dir = (this.spoolDir ??= await makeTmpDir());
    const file = path.join(dir, "t.mbox.gz");
    const url = this.threadMboxUrl();
    const mid = decodeUrlPart(this.target.midSegment!);
    await this.http.request({
      url,
      want: { file },
      signal,
      notFound: `no such message on lore (${new URL(url).host}): <${mid}> in ${this.target.list} — ${url} answered 404`,
    });
    const head = await fileHead(file, 64);
    if (!isGzip(head) && !startsWithFrom(head)) {
      throw new SourceError(`${url} did not answer with an mbox (an error page or an anti-bot check?): ${JSON.stringify(head.toString("latin1").slice(0, 40))}…`);
    }
    this.threadFile = file;
    return file;
  }

  private async *threadItems(signal?: AbortSignal): AsyncGenerator<SourceItem> {
    try {
      const file = await this.fetchThread(signal);
      const mbox = await openMbox(file);
      let n = 0;
      for await (const item of mbox.items({}, signal)) {
        yield { raw: (item as SourceMessage).raw, ref: this.refFor((item as SourceMessage).raw, `${this.threadMboxUrl()}#${n}`) };
        n++;
      }
    } finally {
      this.threadFile = null;
      await dropTmpDir(this.spoolDir);
      this.spoolDir = null;
    }
  }

  // ---- list

  private startFor(state: Record<string, string>): { start: number; from: Cursor | null } {
    const from = readCursor(state);
    const start = this.since ?? from?.t;
    if (start === undefined) {
      throw new SourceError(
        `${this.location} is a list: the first run needs --since <date> (e.g. --since 2024-03-01 or --since 2.weeks.ago); ` +
          `later runs continue after the newest message taken`,
      );
    }
    return { start, from };
  }

  async count(state: Record<string, string> = {}): Promise<number | null> {
    if (this.mode === "thread") {
      const file = await this.fetchThread();
      const mbox = await openMbox(file);
      let n = 0;
      for await (const _ of mbox.items()) n++;
      return n;
    }
    const from = readCursor(state);
    const start = this.since ?? from?.t;
    if (start === undefined || !this.feed) return null;
    const w = new Window(start, from);
    const covered = this.feed.length > 0 && this.feed[this.feed.length - 1].t < start;
    const fresh = this.feed.filter((e) => w.wants(e.t, e.mid)).length;
    if (fresh === 0) return 0;
    return covered ? fresh : null;
  }

  items(state: Record<string, string> = {}, signal?: AbortSignal): AsyncIterable<SourceItem> {
    return this.mode === "thread" ? this.threadItems(signal) : this.listItems(state, signal);
  }

  private async *listItems(state: Record<string, string>, signal?: AbortSignal): AsyncGenerator<SourceItem> {
    const { start, from } = this.startFor(state);
    const w = new Window(start, from);
    const feed = this.feed ?? [];
    const freshInFeed = feed.filter((e) => w.wants(e.t, e.mid));
    if (freshInFeed.length === 0) return; // the newest entries are all taken: nothing new
    if (this.o.searchMbox) {
      const r = await this.searchMbox(w, signal);
      if (r === "done") return;
      if (r !== "fallback") {
        yield* r;
        return;
      }
    }
    yield* this.rawItems(w, feed, signal);
  }

  /** POST ?q=d:...&x=m; yields oldest first, or "fallback" when the server cannot do it. */
  private async searchMbox(w: Window, signal?: AbortSignal): Promise<"done" | "fallback" | AsyncGenerator<SourceItem>> {
    const q = sinceQuery(w.start);
    const url = `${this.listUrl}?q=${encodeURIComponent(q).replace(/%3A/g, ":")}&x=m`;
    const dir = await makeTmpDir();
    const gz = path.join(dir, "results.mbox.gz");
    try {
      await this.http.request({ url, method: "POST", want: { file: gz }, signal, notFound: "no results" });
    } catch (e) {
      await dropTmpDir(dir);
      if (e instanceof HttpStatusError) {
        // 404: no results for the query (the feed said otherwise: let the feed decide)
        return "fallback";
      }
      throw e;
    }
    const head = await fileHead(gz, 64);
    if (!isGzip(head) && !startsWithFrom(head)) {
      await dropTmpDir(dir);
      return "fallback"; // an HTML page (anti-bot check, "x=m ignored" search page...)
    }
    return this.sortedSpool(dir, gz, w, url, signal);
  }

  private async *sortedSpool(dir: string, gz: string, w: Window, url: string, signal?: AbortSignal): AsyncGenerator<SourceItem> {
    try {
      // pass 1: unpack the messages into one file, index them by Date
      const bin = path.join(dir, "messages.bin");
      const out = await open(bin, "w");
      const index: { pos: number; len: number; t: number; mid: string | null; seq: number }[] = [];
      let pos = 0;
      try {
        const mbox = await openMbox(gz);
        let seq = 0;
        for await (const item of mbox.items({}, signal)) {
          const raw = (item as SourceMessage).raw;
          const t = dateOf(raw) ?? w.start;
          const mid = msgidOf(raw);
          seq++;
          if (!w.wants(t, mid)) continue;
          await out.write(raw, 0, raw.length, pos);
          index.push({ pos, len: raw.length, t, mid, seq });
          pos += raw.length;
        }
      } finally {
        await out.close();
      }
      await rm(gz, { force: true });
      // results come newest-indexed first: oldest Date first, then oldest-indexed first
      index.sort((a, b) => a.t - b.t || b.seq - a.seq);
      // pass 2: yield in that order
      const fh = await open(bin, "r");
      try {
        for (const e of index) {
          signal?.throwIfAborted();
          const raw = Buffer.alloc(e.len);
          await fh.read(raw, 0, e.len, e.pos);
          const value = w.take(e.t, e.mid);
          yield { raw, ref: this.refFor(raw, `${url}#${e.seq}`), cursor: { key: CURSOR_KEY, value } };
        }
      } finally {
        await fh.close();
      }
    } finally {
      await dropTmpDir(dir);
    }
  }

  /** Atom pages back to the start, then /raw per entry, oldest first. */
  private async *rawItems(w: Window, firstPage: FeedEntry[], signal?: AbortSignal): AsyncGenerator<SourceItem> {
    const seen = new Map<string, FeedEntry>();
    let page = firstPage;
    let cutoff = 0;
    let stalls = 0;
    for (;;) {
      let progress = false;
      for (const e of page) {
        const k = `${e.segment}\n${e.t}`;
        if (!seen.has(k)) {
          seen.set(k, e);
          progress = true;
        }
      }
      if (page.length === 0) break;
      const oldest = Math.min(...page.map((e) => e.t));
      if (oldest < w.start) break; // covered back to the start
      if (progress) stalls = 0;
      else if (++stalls > 2) break; // the server ignores ?t=: the first page is all there is
      // entries received before the oldest shown, overlapping its second (or one second further
      // back when a whole page shares one second)
      cutoff = progress ? oldest + 1000 : cutoff - 1000;
      page = await this.fetchFeed(`new.atom?t=${fmtUtc(cutoff, true)}`, signal);
    }
    const entries = [...seen.values()].filter((e) => w.wants(e.t, e.mid));
    // oldest first; the feed is newest-received first, so equal dates keep the reverse feed order
    const order = new Map(entries.map((e, i) => [e, i]));
    entries.sort((a, b) => a.t - b.t || order.get(b)! - order.get(a)!);
    for (const e of entries) {
      signal?.throwIfAborted();
      const url = `${this.listUrl}${e.segment}/raw`;
      let ans: Answer;
      try {
        ans = await this.http.request({ url, want: "buffer", signal, notFound: "gone" });
      } catch (err) {
        if (err instanceof HttpStatusError && err.status === 404) continue; // removed since the feed was read
        throw err;
      }
      const msgs = await rawMessages(ans.body ?? Buffer.alloc(0));
      for (let i = 0; i < msgs.length; i++) {
        const raw = msgs[i];
        const value = w.take(e.t, e.mid);
        yield { raw, ref: this.refFor(raw, `${url}#${i}`), cursor: { key: CURSOR_KEY, value } };
      }
    }
  }

  async fetchFeed(rel: string, signal?: AbortSignal): Promise<FeedEntry[]> {
    const url = this.listUrl + rel;
    const ans = await this.http.request({
      url,
      want: "buffer",
      signal,
      notFound: `no such list on lore (${new URL(url).host}): ${this.target.list} — ${url} answered 404`,
    });
    return parseAtom((ans.body ?? Buffer.alloc(0)).toString("utf8"));
  }
}

/** Opens a lore/public-inbox URL: a thread (downloaded now) or a list (its Atom feed read now). */
export async function openLoreHttp(input: string, opts: LoreHttpOptions = {}): Promise<LoreHttpSource> {
  const o = resolveOptions(opts);
  const http = new LoreHttpClient(o);
  const t = parseLoreUrl(input, opts.baseUrl);
  let since: number | null = null;
  if (opts.since !== undefined && opts.since !== null && opts.since !== "") {
    let d: Date;
    try {
      d = opts.since instanceof Date ? opts.since : parseSince(String(opts.since));
    } catch (e) {
      throw new SourceError((e as Error).message);
    }
    if (Number.isNaN(d.getTime())) throw new SourceError(`--since: not a date`);
    since = Math.floor(d.getTime() / 1000) * 1000;
  }

  if (!t.midSegment) {
    if (t.list === "all" || t.list === "r") {
      throw new SourceError(`${input}: following all of lore is not supported; give a list URL (${t.base}<list>/) or a message URL`);
    }
    const name = sanitizeListName(t.list);
    const location = `${t.base}${escapeMid(t.list)}/`;
    const src = new LoreHttpSource(http, o, location, t, name, since, null);
    const feed = await src.fetchFeed("new.atom");
    return new LoreHttpSource(http, o, location, t, name, since, feed);
  }

  let target = t;
  let name: string | null = null;
  if (t.list === "r" || t.list === "all") {
    // which list holds it? a redirect says so; else the message's List-Id
    const url = `${t.base}${t.list}/${t.midSegment}/raw`;
    const mid = decodeUrlPart(t.midSegment);
    const ans = await http.request({
      url,
      want: "buffer",
      notFound: `no such message on lore (${new URL(url).host}): <${mid}> — ${url} answered 404`,
    });
    const final = parseLoreUrl(ans.url, ans.url.startsWith(t.base) ? t.base : undefined);
    if (final.midSegment && final.list !== "r" && final.list !== "all") {
      target = final;
    } else {
      target = { base: final.base, list: "all", midSegment: final.midSegment ?? t.midSegment };
      // a redirect may have dropped the "raw": then ask the extindex for the message itself
      let body = ans.body ?? Buffer.alloc(0);
      if (!/\/raw$/.test(new URL(ans.url).pathname)) {
        const rawUrl = `${target.base}all/${target.midSegment}/raw`;
        body = (await http.request({ url: rawUrl, want: "buffer", notFound: `no such message on lore (${new URL(rawUrl).host}): <${mid}> — ${rawUrl} answered 404` })).body ?? body;
      }
      const first = (await rawMessages(body))[0];
      name = first ? listNameFromHeaders(headerBlock(first)) : null;
    }
  }
  name ??= target.list === "all" ? "lore" : sanitizeListName(target.list);
  const location = `${target.base}${escapeMid(target.list)}/${target.midSegment}/`;
  const src = new LoreHttpSource(http, o, location, target, name ?? "lore", since, null);
  await src.fetchThread(); // now, so that a bad URL fails before anything is created
  return src;
}
