// The absolute links of lib/markdown are the app's paths (app/_lib/urls.ts) on a base URL.
import { describe, expect, it } from "vitest";
import * as urls from "../../app/_lib/urls";
import { chooseBaseUrl, Links, normalizeBaseUrl } from "./links";
import { apiBaseUrl, requestOrigin } from "../api/markdown";

const BASE = "https://pl.example/sub";
const l = new Links(BASE + "/");
const IDS = ["20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example", "a/b+c%41 d?#@x", "<weird>&\"'@host"];

describe("Links", () => {
  it("agree with the app's paths", () => {
    for (const id of IDS) {
      expect(l.message("linux-mm", id)).toBe(BASE + urls.messageUrl("linux-mm", id));
      expect(l.patch("demo", id)).toBe(BASE + urls.patchUrl("demo", id));
      expect(l.series(id)).toBe(BASE + urls.seriesUrl(id));
      expect(l.review("demo", id)).toBe(BASE + urls.reviewUrl("demo", id));
      expect(l.seriesReview(id)).toBe(BASE + urls.seriesReviewUrl(id));
      expect(l.discussion("demo", id, "42")).toBe(`${BASE}${urls.reviewUrl("demo", id)}#${urls.discussionAnchor("42")}`);
    }
    expect(l.hunk("demo", "m@x", 0, 1)).toBe(`${BASE}${urls.patchUrl("demo", "m@x")}#${urls.hunkAnchor(1, 2)}`);
  });

  it("take only absolute http(s) base URLs", () => {
    expect(normalizeBaseUrl("https://h.example/x/?q=1#f")).toBe("https://h.example/x");
    expect(() => normalizeBaseUrl("h.example")).toThrow(/absolute URL/);
    expect(() => normalizeBaseUrl("file:///etc")).toThrow(/http/);
    expect(() => normalizeBaseUrl("https://u:p@h.example")).toThrow(/password/);
    expect(chooseBaseUrl(" ", "http://127.0.0.1:3000")).toBe("http://127.0.0.1:3000");
    expect(chooseBaseUrl("https://pl.example/", "http://127.0.0.1:3000")).toBe("https://pl.example");
    expect(apiBaseUrl({ origin: "http://a.example" }, {})).toBe("http://a.example");
    expect(apiBaseUrl({ origin: "http://a.example" }, { PATCHLORE_BASE_URL: "https://b.example" })).toBe("https://b.example");
    expect(apiBaseUrl({}, { PORT: "3001" })).toBe("http://localhost:3001");
  });

  it("take the request's origin from the Host header, forwarded ones first", () => {
    const h = (o: Record<string, string>) => new Headers(o);
    expect(requestOrigin(h({ host: "127.0.0.1:3000" }), "http://localhost:3000/api/x")).toBe("http://127.0.0.1:3000");
    expect(requestOrigin(h({ host: "a", "x-forwarded-host": "pl.example, b", "x-forwarded-proto": "https" }), "http://a/")).toBe("https://pl.example");
    expect(requestOrigin(h({ host: "[::1]:8080" }), "http://localhost/")).toBe("http://[::1]:8080");
    // anything that is no host name falls back to the URL's origin
    expect(requestOrigin(h({ host: "evil.example/path?" }), "http://localhost:3000/x")).toBe("http://localhost:3000");
    expect(requestOrigin(h({}), "https://c.example/x")).toBe("https://c.example");
  });
});
