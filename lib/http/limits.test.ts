// Token buckets, rate specs, request classes, client addresses, and the 413/429 answers.
import { describe, expect, it } from "vitest";
import { parseRateSpec, TokenBuckets } from "./ratelimit";
import { classify, clientKey, Limiter, limitsFromEnv, normalizeIp, readBodyLimited, takeLogin } from "./limits";
import { errorResponse } from "./errors";

describe("token buckets", () => {
  it("allow a burst of capacity, then refill continuously, and say how long to wait", () => {
    const b = new TokenBuckets({ capacity: 3, windowMs: 3000 });
    const t0 = 1_000_000;
    expect([1, 2, 3].map(() => b.take("a", t0).ok)).toEqual([true, true, true]);
    const no = b.take("a", t0);
    expect(no.ok).toBe(false);
    expect(no.retryAfterS).toBe(1);
    expect(b.take("b", t0).ok).toBe(true); // another client has its own bucket
    expect(b.take("a", t0 + 500).ok).toBe(false);
    expect(b.take("a", t0 + 1000).ok).toBe(true); // one token per second
    expect(b.take("a", t0 + 1000).ok).toBe(false);
    expect(b.take("a", t0 + 100_000).remaining).toBe(2); // never more than capacity
  });

  it("Retry-After rounds up to whole seconds for slow refills", () => {
    const b = new TokenBuckets({ capacity: 1, windowMs: 60_000 });
    b.take("a", 0);
    expect(b.take("a", 0).retryAfterS).toBe(60);
    expect(b.take("a", 30_000).retryAfterS).toBe(30);
  });

  it("stay bounded in memory: idle buckets go first, then the oldest", () => {
    const b = new TokenBuckets({ capacity: 2, windowMs: 1000 }, 100);
    for (let i = 0; i < 1000; i++) b.take(`ip${i}`, i);
    expect(b.size).toBeLessThanOrEqual(100);
    const busy = new TokenBuckets({ capacity: 2, windowMs: 1_000_000 }, 100);
    for (let i = 0; i < 1000; i++) busy.take(`ip${i}`, 0);
    expect(busy.size).toBeLessThanOrEqual(100);
  });

  it("rate specs: 120/60s, 10/1m, 5/s, 30/500ms, off", () => {
    expect(parseRateSpec("120/60s")).toEqual({ capacity: 120, windowMs: 60_000 });
    expect(parseRateSpec("10/1m")).toEqual({ capacity: 10, windowMs: 60_000 });
    expect(parseRateSpec("5/s")).toEqual({ capacity: 5, windowMs: 1000 });
    expect(parseRateSpec("30/500ms")).toEqual({ capacity: 30, windowMs: 500 });
    expect(parseRateSpec("off")).toBeNull();
    for (const bad of ["", "fast", "0/1s", "10/0s", "-1/1s"]) expect(() => parseRateSpec(bad), bad).toThrow();
  });
});

describe("request classes", () => {
  it("search, heavy pages, login, writes, the rest", () => {
    expect(classify("GET", "/search")).toBe("search");
    expect(classify("GET", "/api/search")).toBe("search");
    expect(classify("GET", "/linux-mm/abc@x/T/")).toBe("heavy");
    expect(classify("GET", "/linux-mm/abc@x/t/")).toBe("heavy");
    expect(classify("GET", "/api/linux-mm/abc@x/T/")).toBe("heavy");
    expect(classify("GET", "/linux-mm/abc@x/patch")).toBe("heavy");
    expect(classify("GET", "/linux-mm/abc@x/review/")).toBe("heavy");
    expect(classify("GET", "/api/linux-mm/abc@x/review")).toBe("heavy");
    expect(classify("GET", "/series/k/review/")).toBe("heavy");
    expect(classify("GET", "/linux-mm/abc@x/t.mbox.gz")).toBe("heavy");
    expect(classify("GET", "/series/k/mbox")).toBe("heavy");
    expect(classify("GET", "/api/series/k/mbox")).toBe("heavy");
    expect(classify("GET", "/interdiff/a/b/")).toBe("heavy");
    expect(classify("GET", "/versions/3/")).toBe("heavy");
    expect(classify("GET", "/series/k/")).toBe("default");
    expect(classify("GET", "/linux-mm/abc@x/")).toBe("default");
    expect(classify("GET", "/linux-mm/abc@x/raw")).toBe("default");
    expect(classify("GET", "/")).toBe("default");
    expect(classify("POST", "/login")).toBe("login");
    expect(classify("POST", "/api/tokens")).toBe("write");
    expect(classify("DELETE", "/api/tokens/3")).toBe("write");
  });

  it("client addresses: the socket address Next passes on, proxies counted from the right, IPv6 per /64", () => {
    const h = (xff: string) => new Headers({ "x-forwarded-for": xff });
    expect(clientKey(h("127.0.0.1"), 0)).toBe("127.0.0.1");
    expect(clientKey(h("::ffff:10.1.2.3"), 0)).toBe("10.1.2.3");
    expect(clientKey(h("203.0.113.9, 10.0.0.2"), 1)).toBe("10.0.0.2");
    expect(clientKey(h("203.0.113.9, 10.0.0.2"), 2)).toBe("203.0.113.9");
    expect(clientKey(h("203.0.113.9"), 5)).toBe("203.0.113.9");
    expect(clientKey(new Headers(), 0)).toBe("unknown");
    expect(normalizeIp("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(normalizeIp("2001:db8:1:2::9")).toBe("2001:db8:1:2::/64");
    expect(normalizeIp("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(normalizeIp("[::1]")).toBe("0:0:0:0::/64");
  });
});

describe("the limiter", () => {
  const cfg = (env: Record<string, string>) => limitsFromEnv(env);
  const req = (url: string, init: { method?: string; headers?: Record<string, string> } = {}) => ({
    method: init.method ?? "GET",
    url: "http://127.0.0.1:3000" + url,
    headers: new Headers({ "x-forwarded-for": "192.0.2.1", ...init.headers }),
  });

  it("reads its configuration from PATCHLORE_* variables, with defaults", () => {
    const d = cfg({});
    expect(d.rates.heavy).toEqual({ capacity: 120, windowMs: 60_000 });
    expect(d.maxQueryBytes).toBe(4096);
    expect(d.maxBodyBytes).toBe(1024 * 1024);
    const c = cfg({ PATCHLORE_RATE_HEAVY: "5/10s", PATCHLORE_MAX_BODY_BYTES: "64k", PATCHLORE_MAX_QUERY_BYTES: "100", PATCHLORE_PROXY_HOPS: "1" });
    expect(c.rates.heavy).toEqual({ capacity: 5, windowMs: 10_000 });
    expect(c.maxBodyBytes).toBe(65536);
    expect(c.maxQueryBytes).toBe(100);
    expect(c.proxyHops).toBe(1);
    expect(Object.values(cfg({ PATCHLORE_RATE_LIMIT: "off" }).rates).every((r) => r === null)).toBe(true);
    expect(() => cfg({ PATCHLORE_RATE_SEARCH: "lots" })).toThrow(/not a rate/);
  });

  it("answers 429 with Retry-After, JSON under /api and a page elsewhere", async () => {
    const l = new Limiter(cfg({ PATCHLORE_RATE_HEAVY: "2/60s" }));
    expect(l.check(req("/api/x/y@z/T/"), 0)).toBeNull();
    expect(l.check(req("/x/y@z/T/"), 0)).toBeNull();
    const api = l.check(req("/api/x/y@z/T/"), 0)!;
    expect(api.status).toBe(429);
    expect(api.headers.get("retry-after")).toBe("30");
    expect(api.headers.get("content-type")).toContain("application/json");
    expect(await api.json()).toMatchObject({ error: "too many requests", retryAfter: 30, class: "heavy" });
    const page = l.check(req("/x/y@z/t/"), 0)!;
    expect(page.status).toBe(429);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Too many heavy requests from your address; try again in 30 s.");
    // other classes and other clients are unaffected
    expect(l.check(req("/"), 0)).toBeNull();
    expect(l.check(req("/x/y@z/T/", { headers: { "x-forwarded-for": "192.0.2.2" } }), 0)).toBeNull();
  });

  it("a shared bucket bounds all clients together (spoofed addresses gain nothing past it)", () => {
    const l = new Limiter(cfg({ PATCHLORE_RATE_SEARCH: "2/60s", PATCHLORE_RATE_GLOBAL_FACTOR: "3" }));
    const answers = Array.from({ length: 10 }, (_, i) => l.check(req("/search?q=x", { headers: { "x-forwarded-for": `198.51.100.${i}` } }), 0));
    expect(answers.filter((a) => a === null)).toHaveLength(6);
    expect(answers[6]!.status).toBe(429);
  });

  it("answers 413 for long query strings and declared bodies over the limit", async () => {
    const l = new Limiter(cfg({ PATCHLORE_MAX_QUERY_BYTES: "50", PATCHLORE_MAX_BODY_BYTES: "1000" }));
    expect(l.check(req("/search?q=" + "a".repeat(48)), 0)).toBeNull();
    const long = l.check(req("/api/search?q=" + "a".repeat(49)), 0)!;
    expect(long.status).toBe(413);
    expect(await long.json()).toMatchObject({ error: "request too large", limit: 50 });
    expect(l.check(req("/api/tokens", { method: "POST", headers: { "content-length": "1000" } }), 0)).toBeNull();
    expect(l.check(req("/api/tokens", { method: "POST", headers: { "content-length": "1001" } }), 0)!.status).toBe(413);
  });

  it("sign-in attempts are counted once, per address and per e-mail address, by the sign-in route", () => {
    const l = new Limiter(cfg({ PATCHLORE_RATE_LOGIN: "2/60s" }));
    // the proxy leaves them to the route (it sees both POST /login and the rewritten /login/submit)
    for (let i = 0; i < 5; i++) expect(l.check(req("/login", { method: "POST" }), 0)).toBeNull();
    const h = (ip: string) => new Headers({ "x-forwarded-for": ip });
    expect(takeLogin(h("192.0.2.1"), "a@x", l)).toBeNull();
    expect(takeLogin(h("192.0.2.1"), "b@x", l)).toBeNull();
    expect(takeLogin(h("192.0.2.1"), "c@x", l)).toBe(30); // this address is done
    expect(takeLogin(h("192.0.2.2"), "a@x", l)).toBeNull();
    expect(takeLogin(h("192.0.2.3"), "a@x", l)).toBe(30); // and this account, from anywhere
  });

  it("reads undeclared (chunked) bodies only up to the limit", async () => {
    const body = (n: number) =>
      new Request("http://x/", {
        method: "POST",
        body: new ReadableStream({
          start(c) {
            for (let i = 0; i < n; i++) c.enqueue(new Uint8Array(100));
            c.close();
          },
        }),
        duplex: "half",
      } as RequestInit);
    expect((await readBodyLimited(body(10), 1000))!.length).toBe(1000);
    expect(await readBodyLimited(body(11), 1000)).toBeNull();
  });
});

describe("error pages", () => {
  it("escape what they show and link only to local paths", async () => {
    const r = errorResponse(504, { api: false, detail: "<script>x</script>", links: [{ href: "//evil.example/", label: "x" }, { href: "/ok", label: "<b>" }] });
    const html = await r.text();
    expect(html).not.toContain("<script>x");
    expect(html).toContain("&#60;script&#62;");
    expect(html).not.toContain("evil.example");
    expect(html).toContain('href="/ok"');
    expect(r.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
