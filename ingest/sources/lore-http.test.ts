// lore over HTTP against a local server (node:http on 127.0.0.1) that serves the fixture mails of
// test/fixtures-lore the way public-inbox does: t.mbox.gz, raw, new.atom (with ?t= paging), the
// mbox.gz of search results (POST ?q=d:...&x=m), /r/ redirects, /all/, plus injected faults.
// No real network.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { mboxrd } from "../../lib/export/mbox";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { performance } from "node:perf_hooks";
import zlib from "node:zlib";
import { parseMailDate } from "../../lib/mail/date";
import { createTestDb } from "../../test/db";
import { ingestSource } from "../pipeline";
import { openSource } from "./index";
import {
  CURSOR_KEY,
  escapeMid,
  openLoreHttp,
  parseAtom,
  parseLoreUrl,
  parseSince,
  sinceQuery,
  userAgent,
  type LoreHttpOptions,
} from "./lore-http";
import { SourceError, type SourceItem, type SourceMessage } from "./types";

const FIX = path.resolve(import.meta.dirname, "../../test/fixtures-lore");

// ---------------------------------------------------------------------------------------------
// fixture mails

interface Mail {
  mid: string;
  raw: string;
  t: number;
  list: string;
  root: string;
  subject: string;
  from: string;
}

function header(raw: string, name: string): string {
  const m = new RegExp(`^${name}:[ \\t]*(.*)$`, "im").exec(raw.slice(0, raw.indexOf("\n\n")));
  return m ? m[1].trim() : "";
}

function loadMails(dir: string, list: string): Mail[] {
  const mails: Mail[] = [];
  for (const f of fs.readdirSync(path.join(FIX, dir)).sort()) {
    const raw = fs.readFileSync(path.join(FIX, dir, f), "utf8");
    const mid = header(raw, "message-id").replace(/^<|>$/g, "");
    const irt = header(raw, "in-reply-to").replace(/^<|>$/g, "");
    const parent = mails.find((m) => m.mid === irt);
    mails.push({
      mid, raw, list,
      t: parseMailDate(header(raw, "date"))!.date.getTime(),
      root: parent ? parent.root : mid,
      subject: header(raw, "subject"),
      from: header(raw, "from"),
    });
  }
  return mails;
}

const THREAD = loadMails("thread", "linux-frob");
const LIST = loadMails("list", "frob-devel");

/** What lore serves: the mails as mboxrd (lib/export/mbox writes it as public-inbox does). */
function loreMbox(mails: Mail[]): Buffer {
  return mboxrd(mails.map((m) => Buffer.from(m.raw)));
}

function xml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function ts14(t: number): string {
  return new Date(t).toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

// ---------------------------------------------------------------------------------------------
// the fake lore

interface Logged {
  method: string;
  url: string;
  ua: string | undefined;
  from: string | undefined;
  at: number;
  status?: number;
}

class FakeLore {
  server!: http.Server;
  base = "";
  lists = new Map<string, Mail[]>();
  log: Logged[] = [];
  /** pathname (+search) -> actions for the next requests: "503", "503:<retry-after>", "429", "hang", "reset", "ok" */
  faults = new Map<string, string[]>();
  searchDisabled = false;
  searchHtml = false;
  /** /r/<msgid>/... redirects to /all/<msgid>/ (dropping the rest) instead of to the list */
  rToAll = false;
  feedmax = 5;
  onRequest: ((l: Logged) => void) | null = null;
  private hanging: http.ServerResponse[] = [];

  reset() {
    this.log = [];
    this.faults.clear();
    this.searchDisabled = false;
    this.searchHtml = false;
    this.rToAll = false;
    this.feedmax = 5;
    this.onRequest = null;
    this.lists = new Map([["linux-frob", [...THREAD]], ["frob-devel", [...LIST]]]);
  }

  async start() {
    this.reset();
    this.server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, "127.0.0.1", r));
    const addr = this.server.address() as { port: number };
    this.base = `http://127.0.0.1:${addr.port}`;
  }

  async stop() {
    for (const r of this.hanging) r.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  paths(): string[] {
    return this.log.map((l) => `${l.method} ${l.url}${l.status ? ` ${l.status}` : ""}`);
  }

  private send(res: http.ServerResponse, l: Logged, status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) {
    l.status = status;
    res.writeHead(status, { "content-type": type, ...extra });
    res.end(body);
  }

  private find(mid: string, list: string | null): Mail | undefined {
    for (const [name, mails] of this.lists) {
      if (list && list !== name) continue;
      const m = mails.find((x) => x.mid === mid);
      if (m) return m;
    }
    return undefined;
  }

  private atom(list: string, mails: Mail[], before: number | null): string {
    const entries = mails
      .map((m, seq) => ({ m, seq }))
      .filter((e) => before === null || e.m.t < before)
      .sort((a, b) => b.m.t - a.m.t || b.seq - a.seq)
      .slice(0, this.feedmax);
    const head =
      `<?xml version="1.0" encoding="us-ascii"?>\n<feed\nxmlns="http://www.w3.org/2005/Atom"\nxmlns:thr="http://purl.org/syndication/thread/1.0">` +
      `<title>${list}</title><link\nrel="alternate"\ntype="text/html"\nhref="${this.base}/${list}/"/><link\nrel="self"\nhref="${this.base}/${list}/new.atom"/>` +
      `<id>mailto:${list}@lists.example.org</id><updated>2024-03-07T00:00:00Z</updated>`;
    const body = entries
      .map(({ m }) => {
        const email = /<([^>]+)>/.exec(m.from)?.[1] ?? "";
        const name = m.from.replace(/\s*<[^>]+>/, "");
        return (
          `<entry><author><name>${xml(name)}</name><email>${xml(email)}</email></author><title>${xml(m.subject)}</title>` +
          `<updated>${new Date(m.t).toISOString().replace(/\.000Z$/, "Z")}</updated><link\nhref="${this.base}/${list}/${escapeMid(m.mid)}/"/>` +
          `<id>urn:uuid:${m.mid.length}</id><content\ntype="xhtml"><div\nxmlns="http://www.w3.org/1999/xhtml"><pre\nstyle="white-space:pre-wrap">` +
          `<a\nhref="https://example.com/x">x</a> ${xml(m.raw.slice(m.raw.indexOf("\n\n") + 2, 200))}</pre></div></content></entry>`
        );
      })
      .join("");
    return head + body + "</feed>";
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const l: Logged = {
      method: req.method ?? "GET", url: req.url ?? "/", ua: req.headers["user-agent"], from: req.headers["from"] as string | undefined,
      at: performance.now(),
    };
    this.log.push(l);
    this.onRequest?.(l);
    req.resume();
    const url = new URL(req.url ?? "/", this.base);
    const queue = this.faults.get(url.pathname + url.search) ?? this.faults.get(url.pathname);
    const action = queue?.shift();
    if (action === "hang") {
      this.hanging.push(res);
      return;
    }
    if (action === "reset") {
      req.socket.destroy();
      return;
    }
    if (action?.startsWith("503")) {
      const ra = action.split(":")[1];
      return this.send(res, l, 503, "text/plain", "busy\n", ra ? { "retry-after": ra } : {});
    }
    if (action === "429") return this.send(res, l, 429, "text/plain", "slow down\n");

    let p = url.pathname;
    if (p.startsWith("/pi/")) p = p.slice(3); // the same inboxes under a path prefix
    const segs = p.split("/").slice(1).map((s) => decodeURIComponent(s));
    const [list, second, third] = segs;
    if (list === "r" && second) {
      const m = this.find(second, null);
      if (!m) return this.send(res, l, 404, "text/plain", "not found\n");
      const pfx = url.pathname.startsWith("/pi/") ? "/pi" : "";
      if (this.rToAll) return this.send(res, l, 302, "text/plain", "moved\n", { location: `${this.base}${pfx}/all/${escapeMid(m.mid)}/` });
      const loc = `${pfx}/${m.list}/${escapeMid(m.mid)}/${segs.slice(2).join("/")}`;
      return this.send(res, l, 301, "text/plain", "moved\n", { location: loc });
    }
    const mails = list === "all" ? [...this.lists.values()].flat() : this.lists.get(list);
    if (!mails) return this.send(res, l, 404, "text/plain", "No such inbox\n");
    if (second === "new.atom") {
      const t = url.searchParams.get("t");
      const before = t && /^\d{14}$/.test(t) ? Date.UTC(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8), +t.slice(8, 10), +t.slice(10, 12), +t.slice(12, 14)) : null;
      return this.send(res, l, 200, "application/atom+xml", this.atom(list, mails, before));
    }
    if (!second) {
      const q = url.searchParams.get("q");
      if (q && url.searchParams.get("x") === "m" && req.method === "POST") {
        if (this.searchDisabled) return this.send(res, l, 501, "text/html", "<html>Search not available</html>");
        if (this.searchHtml) return this.send(res, l, 200, "text/html", "<html><body>checking your browser…</body></html>");
        let since: number | null = null;
        let m: RegExpExecArray | null;
        if ((m = /(?:^|\s)d:(\d{4})(\d{2})(\d{2})\.\.(?:\s|$)/.exec(q))) since = Date.UTC(+m[1], +m[2] - 1, +m[3]);
        else if ((m = /(?:^|\s)dt:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})\.\.(?:\s|$)/.exec(q))) since = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
        if (since === null) return this.send(res, l, 400, "text/html", "<html>Bad query</html>");
        const hits = mails.filter((x) => x.t >= since!).reverse(); // ORDER BY docid DESC
        if (!hits.length) return this.send(res, l, 404, "text/plain", "No results found\n");
        return this.send(res, l, 200, "application/gzip", zlib.gzipSync(loreMbox(hits)));
      }
      return this.send(res, l, 200, "text/html", "<html><body>index (x=m is ignored for GET)</body></html>");
    }
    const msg = this.find(second, list === "all" ? null : list);
    if (!msg) return this.send(res, l, 404, "text/plain", "not found\n");
    if (third === "raw") return this.send(res, l, 200, "text/plain; charset=utf-8", loreMbox([msg]));
    if (third === "t.mbox.gz") {
      const all = list === "all" ? [...this.lists.values()].flat() : mails;
      return this.send(res, l, 200, "application/gzip", zlib.gzipSync(loreMbox(all.filter((x) => x.root === msg.root))));
    }
    return this.send(res, l, 200, "text/html", `<html><body>${xml(msg.subject)}</body></html>`);
  }
}

const lore = new FakeLore();
const FAST: LoreHttpOptions = { rate: 200, backoffMs: 20, timeoutMs: 5000 };

beforeAll(async () => {
  await lore.start();
  process.env.PATCHLORE_HTTP_RATE = "200"; // for openSource/ingestSource, which take no HTTP options
  process.env.PATCHLORE_HTTP_TIMEOUT = "5";
});
afterAll(async () => {
  await lore.stop();
});
beforeEach(() => lore.reset());

async function collect(items: AsyncIterable<SourceItem>): Promise<SourceMessage[]> {
  const out: SourceMessage[] = [];
  for await (const i of items) out.push(i as SourceMessage);
  return out;
}

function midOf(m: SourceMessage): string {
  return /^message-id:\s*<([^>]+)>/im.exec(m.raw.toString("latin1"))![1];
}

const threadUrl = (mail: Mail, form = "") => `${lore.base}/linux-frob/${escapeMid(mail.mid)}/${form}`;
const listUrl = () => `${lore.base}/frob-devel/`;
const since = (iso: string) => LIST.filter((m) => m.t >= Date.parse(iso));
/** oldest first; equal dates in arrival order */
const byDate = (ms: Mail[]) => ms.map((m, i) => ({ m, i })).sort((a, b) => a.m.t - b.m.t || a.i - b.i).map((e) => e.m.mid);

// ---------------------------------------------------------------------------------------------

describe("parsing", () => {
  it("--since takes dates, ISO date-times and N.units.ago", () => {
    expect(parseSince("2024-03-04").toISOString()).toBe("2024-03-04T00:00:00.000Z");
    expect(parseSince("20240304").toISOString()).toBe("2024-03-04T00:00:00.000Z");
    expect(parseSince("2024-03-04T12:30:00Z").toISOString()).toBe("2024-03-04T12:30:00.000Z");
    expect(parseSince("2024-03-04T12:30:00+01:00").toISOString()).toBe("2024-03-04T11:30:00.000Z");
    expect(parseSince("2024-03-04 12:30").toISOString()).toBe("2024-03-04T12:30:00.000Z");
    const now = new Date("2024-03-20T00:00:00Z");
    expect(parseSince("2.weeks.ago", now).toISOString()).toBe("2024-03-06T00:00:00.000Z");
    expect(parseSince("3 days ago", now).toISOString()).toBe("2024-03-17T00:00:00.000Z");
    expect(parseSince("1.month.ago", now).toISOString()).toBe("2024-02-20T00:00:00.000Z");
    expect(() => parseSince("last tuesday")).toThrow(/not a date/);
    expect(() => parseSince("2024-02-31")).toThrow(/not a date/);
  });

  it("lore URLs: thread forms, list URLs, /r/ and /all/, a base with a path prefix", () => {
    const mid = "20240212080000.1000-1-ann@example.org";
    for (const form of ["", "T/", "t/", "raw", "t.mbox.gz", "#m1"]) {
      expect(parseLoreUrl(`https://lore.kernel.org/linux-frob/${mid}/${form}`, "")).toEqual({ base: "https://lore.kernel.org/", list: "linux-frob", midSegment: mid });
    }
    expect(parseLoreUrl(`https://lore.kernel.org/linux-frob/m/${mid}.html`, "").midSegment).toBe(mid);
    expect(parseLoreUrl("https://lore.kernel.org/linux-frob/", "")).toEqual({ base: "https://lore.kernel.org/", list: "linux-frob", midSegment: null });
    expect(parseLoreUrl("https://lore.kernel.org/linux-frob/new.atom", "").midSegment).toBeNull();
    expect(parseLoreUrl("https://lore.kernel.org/linux-frob", "").midSegment).toBeNull();
    expect(parseLoreUrl(`https://lore.kernel.org/r/${mid}`, "")).toMatchObject({ list: "r", midSegment: mid });
    expect(parseLoreUrl(`https://lore.kernel.org/all/${mid}/`, "")).toMatchObject({ list: "all", midSegment: mid });
    // PATCHLORE_LORE_URL: a mirror replaces lore.kernel.org, and its path prefix is not a list
    expect(parseLoreUrl(`https://lore.kernel.org/linux-frob/${mid}/`, "http://127.0.0.1:9/pi/")).toEqual({ base: "http://127.0.0.1:9/pi/", list: "linux-frob", midSegment: mid });
    expect(parseLoreUrl(`http://127.0.0.1:9/pi/linux-frob/${mid}/`, "http://127.0.0.1:9/pi")).toEqual({ base: "http://127.0.0.1:9/pi/", list: "linux-frob", midSegment: mid });
    expect(parseLoreUrl(`http://10.0.0.1:8080/linux-frob/`, "http://127.0.0.1:9/pi/")).toEqual({ base: "http://10.0.0.1:8080/", list: "linux-frob", midSegment: null });
    expect(() => parseLoreUrl("https://lore.kernel.org/", "")).toThrow(SourceError);
  });

  it("Message-IDs are escaped like public-inbox (slash as %2F) and search dates are UTC", () => {
    expect(escapeMid("a/b.20240304@example.net")).toBe("a%2Fb.20240304@example.net");
    expect(escapeMid("x+y=z$@host")).toBe("x+y=z$@host");
    expect(escapeMid("100%#?")).toBe("100%25%23%3F");
    expect(sinceQuery(Date.parse("2024-03-04T00:00:00Z"))).toBe("d:20240304..");
    expect(sinceQuery(Date.parse("2024-03-05T09:10:00Z"))).toBe("dt:20240305091000..");
  });

  it("Atom entries: link, updated, Message-ID from the link", async () => {
    lore.feedmax = 3;
    const res = await fetch(`${lore.base}/frob-devel/new.atom?t=20240305000000`);
    const entries = parseAtom(await res.text());
    expect(entries.map((e) => e.mid)).toEqual(["20240304150000.6@carol.example.net", "a/b.20240304@example.net", "20240303183000.5@eve.example.net"]);
    expect(entries[1].segment).toBe("a%2Fb.20240304@example.net");
    expect(new Date(entries[0].t).toISOString()).toBe("2024-03-04T15:00:00.000Z");
  });
});

describe("a thread URL", () => {
  const root = THREAD[0];
  const mid3 = THREAD[2];

  it("fetches t.mbox.gz once and yields the 5 messages in order through the Source API", async () => {
    const src = await openSource(threadUrl(mid3));
    expect(src.kind).toBe("lore-http");
    expect(src.location).toBe(threadUrl(mid3));
    expect(src.suggestedListName()).toBe("linux-frob");
    expect(await src.count({})).toBe(5);
    const msgs = await collect(src.items({}));
    expect(msgs.map(midOf)).toEqual(THREAD.map((m) => m.mid));
    expect(msgs[0].ref).toBe(`lore:${lore.base}/linux-frob/${escapeMid(root.mid)}/`);
    expect(msgs.every((m) => m.cursor === undefined)).toBe(true);
    // mboxrd quoting undone: the body lines are the original ones
    const review = msgs[3].raw.toString();
    expect(review).toContain("\nFrom the point of view of a caller");
    expect(review).toContain("\n>From here on I would fold");
    expect(review).toBe(THREAD[3].raw);
    expect(lore.paths()).toEqual([`GET /linux-frob/${escapeMid(mid3.mid)}/t.mbox.gz 200`]);
  });

  it("/T/, /t/, /raw and t.mbox.gz forms of a message URL fetch the same thread", async () => {
    for (const form of ["T/", "t/", "raw", "t.mbox.gz", "T/#u"]) {
      lore.log = [];
      const src = await openSource(threadUrl(root, form));
      expect(src.location).toBe(threadUrl(root));
      expect((await collect(src.items({}))).map(midOf)).toEqual(THREAD.map((m) => m.mid));
      expect(lore.paths()).toEqual([`GET /linux-frob/${escapeMid(root.mid)}/t.mbox.gz 200`]);
    }
  });

  it("/r/<msgid> follows the redirect, which names the list", async () => {
    const src = await openSource(`${lore.base}/r/${escapeMid(mid3.mid)}`);
    expect(src.suggestedListName()).toBe("linux-frob");
    expect(src.location).toBe(threadUrl(mid3));
    expect((await collect(src.items({}))).length).toBe(5);
    expect(lore.paths()).toEqual([
      `GET /r/${escapeMid(mid3.mid)}/raw 301`,
      `GET /linux-frob/${escapeMid(mid3.mid)}/raw 200`,
      `GET /linux-frob/${escapeMid(mid3.mid)}/t.mbox.gz 200`,
    ]);
  });

  it("/all/<msgid>/ answered directly: the list name comes from List-Id", async () => {
    const src = await openSource(`${lore.base}/all/${escapeMid(mid3.mid)}/`);
    expect(src.suggestedListName()).toBe("linux-frob");
    expect((await collect(src.items({}))).map(midOf)).toEqual(THREAD.map((m) => m.mid));
    expect(lore.paths()).toEqual([`GET /all/${escapeMid(mid3.mid)}/raw 200`, `GET /all/${escapeMid(mid3.mid)}/t.mbox.gz 200`]);
  });

  it("/r/<msgid> redirected to the /all/ page: the List-Id of /all/<msgid>/raw names the list", async () => {
    lore.rToAll = true;
    const m = escapeMid(mid3.mid);
    const src = await openSource(`${lore.base}/r/${m}`);
    expect(src.suggestedListName()).toBe("linux-frob");
    expect(src.location).toBe(`${lore.base}/all/${m}/`);
    expect((await collect(src.items({}))).length).toBe(5);
    expect(lore.paths()).toEqual([`GET /r/${m}/raw 302`, `GET /all/${m}/ 200`, `GET /all/${m}/raw 200`, `GET /all/${m}/t.mbox.gz 200`]);
  });

  it("PATCHLORE_LORE_URL points lore.kernel.org URLs at another server, path prefix included", async () => {
    const old = process.env.PATCHLORE_LORE_URL;
    process.env.PATCHLORE_LORE_URL = `${lore.base}/pi/`;
    try {
      const src = await openSource(`https://lore.kernel.org/linux-frob/${escapeMid(root.mid)}/T/#u`);
      expect(src.location).toBe(`${lore.base}/pi/linux-frob/${escapeMid(root.mid)}/`);
      expect((await collect(src.items({}))).length).toBe(5);
      expect(lore.paths()).toEqual([`GET /pi/linux-frob/${escapeMid(root.mid)}/t.mbox.gz 200`]);
    } finally {
      if (old === undefined) delete process.env.PATCHLORE_LORE_URL;
      else process.env.PATCHLORE_LORE_URL = old;
    }
  });

  it("404s are clear SourceErrors: no such message, no such list", async () => {
    await expect(openSource(`${lore.base}/linux-frob/nope@example.org/`)).rejects.toThrow(/no such message on lore \(127\.0\.0\.1:\d+\): <nope@example\.org> in linux-frob/);
    await expect(openSource(`${lore.base}/r/nope@example.org`)).rejects.toThrow(/no such message on lore/);
    await expect(openSource(`${lore.base}/no-such-list/`, { since: "2024-01-01" })).rejects.toThrow(/no such list on lore \(127\.0\.0\.1:\d+\): no-such-list/);
    await expect(openSource(`${lore.base}/no-such-list/`, { since: "2024-01-01" })).rejects.toBeInstanceOf(SourceError);
  });
});

describe("politeness", () => {
  it("sends the User-Agent (and the contact) on every request", async () => {
    const src = await openLoreHttp(listUrl(), { ...FAST, since: "2024-03-05", searchMbox: false, contact: "me@example.org" });
    await collect(src.items({}));
    expect(lore.log.length).toBeGreaterThan(3);
    for (const l of lore.log) {
      expect(l.ua).toMatch(/^patchlore\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/patchlore; contact: me@example\.org\)$/);
      expect(l.from).toBe("me@example.org");
    }
    expect(userAgent()).toMatch(/^patchlore\/\d+\.\d+\.\d+ \(\+https:\/\/github\.com\/patchlore\)$/);
  });

  it("spaces requests by the rate limit", async () => {
    const src = await openLoreHttp(listUrl(), { ...FAST, rate: 20, since: "2024-03-04", searchMbox: false });
    const msgs = await collect(src.items({}));
    expect(msgs.length).toBe(6);
    const at = lore.log.map((l) => l.at);
    expect(at.length).toBeGreaterThanOrEqual(8); // feed pages + 6 raw
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    // 20/s: requests start 50 ms apart (arrival times jitter by a few ms; the schedule does not drift)
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(40);
    expect(at[at.length - 1] - at[0]).toBeGreaterThanOrEqual((at.length - 1) * 50 - 5);
  });

  it("retries a 503 after its Retry-After", async () => {
    const path0 = `/linux-frob/${escapeMid(THREAD[0].mid)}/t.mbox.gz`;
    lore.faults.set(path0, ["503:1"]);
    const src = await openLoreHttp(threadUrl(THREAD[0]), FAST);
    expect((await collect(src.items({}))).length).toBe(5);
    expect(lore.paths()).toEqual([`GET ${path0} 503`, `GET ${path0} 200`]);
    expect(lore.log[1].at - lore.log[0].at).toBeGreaterThanOrEqual(990);
  });

  it("backs off exponentially on 429 and on connection resets", async () => {
    const path0 = `/linux-frob/${escapeMid(THREAD[0].mid)}/t.mbox.gz`;
    lore.faults.set(path0, ["429", "reset", "429"]);
    const src = await openLoreHttp(threadUrl(THREAD[0]), { ...FAST, backoffMs: 40 });
    expect((await collect(src.items({}))).length).toBe(5);
    expect(lore.log.length).toBe(4);
    const gaps = lore.log.slice(1).map((l, i) => l.at - lore.log[i].at);
    // equal jitter: attempt n waits between half and all of 40 ms * 2^n
    expect(gaps[0]).toBeGreaterThanOrEqual(19);
    expect(gaps[1]).toBeGreaterThanOrEqual(39);
    expect(gaps[2]).toBeGreaterThanOrEqual(79);
    expect(gaps[2]).toBeLessThan(1000);
  });

  it("gives up with a clear error when the retries are exhausted", async () => {
    const path0 = `/linux-frob/${escapeMid(THREAD[0].mid)}/t.mbox.gz`;
    lore.faults.set(path0, ["503", "503", "503"]);
    const p = openLoreHttp(threadUrl(THREAD[0]), { ...FAST, retries: 2 });
    await expect(p).rejects.toBeInstanceOf(SourceError);
    await expect(p).rejects.toThrow(/127\.0\.0\.1:\d+ did not answer .*t\.mbox\.gz after 3 attempts: 503 Service Unavailable/);
    expect(lore.log.length).toBe(3);
  });

  it("refuses to wait for a Retry-After longer than the limit", async () => {
    lore.faults.set(`/linux-frob/${escapeMid(THREAD[0].mid)}/t.mbox.gz`, ["503:3600"]);
    await expect(openLoreHttp(threadUrl(THREAD[0]), FAST)).rejects.toThrow(/asks to wait 3600s .*Retry-After.*try again later/);
    expect(lore.log.length).toBe(1);
  });

  it("times out a hanging request, then retries it", async () => {
    const path0 = `/linux-frob/${escapeMid(THREAD[0].mid)}/t.mbox.gz`;
    lore.faults.set(path0, ["hang"]);
    const t0 = Date.now();
    const src = await openLoreHttp(threadUrl(THREAD[0]), { ...FAST, timeoutMs: 200, retries: 1 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect((await collect(src.items({}))).length).toBe(5);
    expect(lore.paths()).toEqual([`GET ${path0}`, `GET ${path0} 200`]);

    lore.log = [];
    lore.faults.set(path0, ["hang", "hang"]);
    const t1 = Date.now();
    await expect(openLoreHttp(threadUrl(THREAD[0]), { ...FAST, timeoutMs: 200, retries: 1 })).rejects.toThrow(/after 2 attempts: timed out after 0\.2s/);
    expect(Date.now() - t1).toBeLessThan(3000);
  });
});

describe("a list URL with --since", () => {
  const newestCursor = (msgs: SourceMessage[]) => msgs[msgs.length - 1].cursor!;

  it("takes the messages dated since, oldest first, from the mbox.gz of search results", async () => {
    const src = await openLoreHttp(listUrl(), { ...FAST, since: "2024-03-04" });
    expect(src.suggestedListName()).toBe("frob-devel");
    expect(src.location).toBe(listUrl());
    const msgs = await collect(src.items({}));
    expect(msgs.map(midOf)).toEqual(byDate(since("2024-03-04")));
    expect(msgs.map(midOf)).toEqual([LIST[6], LIST[7], LIST[8], LIST[9], LIST[10], LIST[11]].map((m) => m.mid));
    expect(msgs[0].ref).toBe(`lore:${listUrl()}a%2Fb.20240304@example.net/`);
    expect(msgs.every((m) => m.cursor?.key === CURSOR_KEY)).toBe(true);
    expect(JSON.parse(newestCursor(msgs).value)).toEqual({ t: "2024-03-06T12:00:00.000Z", ids: [LIST[11].mid] });
    // the two messages of 09:10:00 share the cursor second
    expect(JSON.parse(msgs[3].cursor!.value)).toEqual({ t: "2024-03-05T09:10:00.000Z", ids: [LIST[8].mid, LIST[9].mid] });
    expect(lore.paths()).toEqual(["GET /frob-devel/new.atom 200", "POST /frob-devel/?q=d:20240304..&x=m 200"]);
  });

  it("count() is the number of new feed entries when the feed reaches back to the start, else unknown", async () => {
    expect(await (await openLoreHttp(listUrl(), { ...FAST, since: "2024-03-05" })).count({})).toBe(4);
    expect(await (await openLoreHttp(listUrl(), { ...FAST, since: "2024-03-01" })).count({})).toBeNull();
  });

  it("a rerun takes nothing new (one request), then only what arrived since", async () => {
    const first = await collect((await openLoreHttp(listUrl(), { ...FAST, since: "2024-03-04" })).items({}));
    const state = { [CURSOR_KEY]: newestCursor(first).value };

    lore.log = [];
    const again = await openLoreHttp(listUrl(), FAST);
    expect(await again.count(state)).toBe(0);
    expect(await collect(again.items(state))).toEqual([]);
    expect(lore.paths()).toEqual(["GET /frob-devel/new.atom 200"]);

    const late = LIST[11].raw.replace(LIST[11].mid, "late@example.net").replace(/^Date: .*$/m, "Date: Thu, 07 Mar 2024 08:00:00 +0000");
    lore.lists.get("frob-devel")!.push({ ...LIST[11], mid: "late@example.net", raw: late, t: Date.parse("2024-03-07T08:00:00Z") });
    lore.log = [];
    const third = await openLoreHttp(listUrl(), FAST);
    const msgs = await collect(third.items(state));
    expect(msgs.map(midOf)).toEqual(["late@example.net"]);
    // from the cursor's second on: the message already taken at that second is skipped
    expect(lore.paths()).toEqual(["GET /frob-devel/new.atom 200", "POST /frob-devel/?q=dt:20240306120000..&x=m 200"]);
  });

  it("resumes after a run stopped mid-way, skipping what was taken (same-second messages included)", async () => {
    const src = await openLoreHttp(listUrl(), { ...FAST, since: "2024-03-04" });
    const taken: SourceMessage[] = [];
    for await (const i of src.items({})) {
      taken.push(i as SourceMessage);
      if (taken.length === 3) break; // killed after the first of the two 09:10:00 messages
    }
    const state = { [CURSOR_KEY]: taken[2].cursor!.value };
    lore.log = [];
    const rest = await collect((await openLoreHttp(listUrl(), FAST)).items(state));
    expect([...taken, ...rest].map(midOf)).toEqual(byDate(since("2024-03-04")));
    expect(lore.paths()).toEqual(["GET /frob-devel/new.atom 200", "POST /frob-devel/?q=dt:20240305091000..&x=m 200"]);
  });

  it("falls back to the Atom feed and /raw when the server has no search (501)", async () => {
    lore.searchDisabled = true;
    const src = await openLoreHttp(listUrl(), { ...FAST, since: "2024-03-02" });
    const msgs = await collect(src.items({}));
    expect(msgs.map(midOf)).toEqual(byDate(since("2024-03-02")));
    expect(msgs.map((m) => m.raw.toString())).toEqual(byDate(since("2024-03-02")).map((mid) => LIST.find((x) => x.mid === mid)!.raw));
    const paths = lore.paths();
    expect(paths[0]).toBe("GET /frob-devel/new.atom 200");
    expect(paths[1]).toBe("POST /frob-devel/?q=d:20240302..&x=m 501");
    expect(paths.filter((p) => p.startsWith("GET /frob-devel/new.atom?t="))).toEqual([
      "GET /frob-devel/new.atom?t=20240304150001 200", // before the oldest of the first page (5 entries), overlapping its second
      "GET /frob-devel/new.atom?t=20240302214501 200",
    ]);
    const raws = paths.filter((p) => p.includes("/raw"));
    expect(raws).toEqual(byDate(since("2024-03-02")).map((mid) => `GET /frob-devel/${escapeMid(mid)}/raw 200`));
    expect(raws).toContain("GET /frob-devel/a%2Fb.20240304@example.net/raw 200");
    expect(JSON.parse(newestCursor(msgs).value)).toEqual({ t: "2024-03-06T12:00:00.000Z", ids: [LIST[11].mid] });
  });

  it("falls back to /raw when the search answers with a page instead of an mbox (an anti-bot check)", async () => {
    lore.searchHtml = true;
    const msgs = await collect((await openLoreHttp(listUrl(), { ...FAST, since: "2024-03-05" })).items({}));
    expect(msgs.map(midOf)).toEqual(byDate(since("2024-03-05")));
    expect(lore.paths().filter((p) => p.includes("/raw")).length).toBe(4);
  });

  it("the first run of a list needs --since; a bad --since is a SourceError", async () => {
    const src = await openLoreHttp(listUrl(), FAST);
    await expect(collect(src.items({}))).rejects.toThrow(/first run needs --since <date>/);
    await expect(openLoreHttp(listUrl(), { ...FAST, since: "someday" })).rejects.toThrow(/not a date: someday/);
    await expect(openSource(path.join(FIX, "thread", "01.eml"), { since: "2024-01-01" })).rejects.toThrow(/--since applies to lore list URLs/);
  });

  it("an abort signal stops a run in the middle of the per-message fetches", async () => {
    lore.searchDisabled = true;
    const ac = new AbortController();
    const src = await openLoreHttp(listUrl(), { ...FAST, since: "2024-03-01" });
    lore.onRequest = (l) => {
      if (l.url.endsWith("/raw") && lore.log.filter((x) => x.url.endsWith("/raw")).length === 3) ac.abort();
    };
    const got: SourceMessage[] = [];
    await expect(
      (async () => {
        for await (const i of src.items({}, ac.signal)) got.push(i as SourceMessage);
      })(),
    ).rejects.toThrow(/abort/i);
    expect(got.length).toBe(2);
  });
});

describe("end to end with ingestSource", () => {
  type TestDb = Awaited<ReturnType<typeof createTestDb>>;
  let db: TestDb;
  beforeAll(async () => {
    db = await createTestDb();
  });
  afterAll(async () => {
    await db.drop();
  });

  async function parentOf(msgid: string): Promise<string | null> {
    const { rows } = await db.pool.query(`SELECT p.msgid AS parent FROM message m LEFT JOIN message p ON p.id = m.parent_id WHERE m.msgid = $1`, [msgid]);
    return rows[0]?.parent ?? null;
  }

  it("a thread URL: 5 messages stored and threaded; a rerun finds them unchanged", async () => {
    const url = threadUrl(THREAD[4], "T/");
    const s = await ingestSource(db, url, { workers: 0 });
    expect(s).toMatchObject({ list: "linux-frob", kind: "lore-http", read: 5, inserted: 5, skipped: 0 });
    expect(await parentOf(THREAD[3].mid)).toBe(THREAD[1].mid);
    expect(await parentOf(THREAD[4].mid)).toBe(THREAD[3].mid);
    const { rows } = await db.pool.query(
      `SELECT lm.source_ref FROM list_message lm JOIN message m ON m.id = lm.message_id WHERE m.msgid = $1`,
      [THREAD[0].mid],
    );
    expect(rows[0].source_ref).toBe(`lore:${threadUrl(THREAD[0])}`);
    const again = await ingestSource(db, url, { workers: 0 });
    expect(again).toMatchObject({ read: 5, inserted: 0, unchanged: 5 });
  });

  it("a list URL with --since, then a rerun without it takes nothing new", async () => {
    const s = await ingestSource(db, listUrl(), { workers: 0, since: "2024-03-04" });
    expect(s).toMatchObject({ list: "frob-devel", read: 6, inserted: 6 });
    const { rows } = await db.pool.query(`SELECT state FROM source WHERE kind = 'lore-http' AND location = $1`, [listUrl()]);
    expect(JSON.parse(rows[0].state[CURSOR_KEY])).toEqual({ t: "2024-03-06T12:00:00.000Z", ids: [LIST[11].mid] });
    lore.log = [];
    const again = await ingestSource(db, listUrl(), { workers: 0 });
    expect(again).toMatchObject({ read: 0, inserted: 0 });
    expect(lore.paths()).toEqual(["GET /frob-devel/new.atom 200"]);
  });

  it("a run aborted mid-way resumes without refetching what was stored", async () => {
    lore.searchDisabled = true; // per-message fetches: the interesting case
    const list = "frob-resume"; // its own source row and cursor
    const ac = new AbortController();
    lore.onRequest = (l) => {
      if (l.url.endsWith("/raw") && lore.log.filter((x) => x.url.endsWith("/raw")).length === 6) ac.abort();
    };
    await expect(ingestSource(db, listUrl(), { list, workers: 0, batchSize: 2, since: "2024-03-02", signal: ac.signal })).rejects.toThrow(/abort/i);
    const { rows: st } = await db.pool.query(
      `SELECT s.state FROM source s JOIN list l ON l.id = s.list_id WHERE s.kind = 'lore-http' AND l.name = $1`,
      [list],
    );
    const cursor = JSON.parse(st[0].state[CURSOR_KEY]) as { t: string; ids: string[] };
    const order = byDate(since("2024-03-02"));
    const storedFirst = order.slice(0, order.indexOf(cursor.ids[cursor.ids.length - 1]) + 1);
    expect(storedFirst.length).toBeGreaterThanOrEqual(2);
    expect(storedFirst.length).toBeLessThan(order.length);
    const firstRaws = lore.log.filter((l) => l.url.endsWith("/raw")).map((l) => l.url);

    lore.log = [];
    lore.onRequest = null;
    const s = await ingestSource(db, listUrl(), { list, workers: 0, batchSize: 2 });
    expect(s.read).toBe(order.length - storedFirst.length);
    const secondRaws = lore.log.filter((l) => l.url.endsWith("/raw")).map((l) => decodeURIComponent(l.url.split("/")[2]));
    expect(secondRaws).toEqual(order.slice(storedFirst.length));
    for (const mid of storedFirst) expect(secondRaws).not.toContain(mid);
    expect(firstRaws.length).toBe(6);
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS n FROM message m WHERE m.msgid = ANY($1) AND NOT m.ghost`,
      [order],
    );
    expect(rows[0].n).toBe(order.length);
  });
});
