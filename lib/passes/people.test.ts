// People on the demo corpus: what each person proposed, reviewed, acked and NAKed; addresses merged
// by rule (name variants, obfuscated and placeholder addresses, a masked sender on an archive
// page) and by hand; the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mboxrd } from "../export/mbox";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createTestDb } from "../../test/db";
import { ingestSource } from "../../ingest/pipeline";
import { derivePeople } from "./people";
import { getPersonProfile, personIdentity } from "../views/people";
import { recordPersonMerge } from "../db/curation";
import { handleApi, splitApiPath } from "../api/router";

const DEMO = path.join(import.meta.dirname, "..", "..", "ingest", "demo", "demo.mbox");
const NAK = "20230622064519.GB31877@kernel.example";
const V1_2 = "20230620071000.91127-3-mira@kernel.example";

let db: Awaited<ReturnType<typeof createTestDb>>;
let dir: string;

const api = async (p: string) => {
  const { segments, query } = splitApiPath(p);
  return handleApi(db, segments, query) as Promise<{ status: number; json: any }>;
};
const canonicalOf = async (address: string) =>
  (await db.pool.query(`SELECT c.address FROM person p LEFT JOIN person c ON c.id = p.canonical_id WHERE p.address = $1`, [address])).rows[0]?.address ?? null;

function mail(id: string, from: string, subject: string, date: string, body: string): string {
  return [`From: ${from}`, "To: demo@lists.patchlore.example", `Subject: ${subject}`, `Date: ${date}`, `Message-ID: <${id}>`, "List-Id: <demo.lists.patchlore.example>", "", body].join("\n");
}

beforeAll(async () => {
  db = await createTestDb();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "people-test-"));
  const s = await ingestSource(db, DEMO, { list: "demo", workers: 0 });
  expect(s.inserted).toBe(58);
});
afterAll(async () => {
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe("the demo corpus", () => {
  it("merges nobody: every demo person has one address", async () => {
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM person WHERE canonical_id IS NOT NULL`);
    expect(rows[0].n).toBe(0);
  });

  it("shows what Mira proposed", async () => {
    const p = (await getPersonProfile(db, "mira@kernel.example"))!;
    expect(p.name).toBe("Mira Kovacs");
    // RFC, v1, v2, v3 (the 2025 fix is Priya's)
    expect(p.series.map((s) => s.revision)).toEqual(["3", "2", "1", "1"]);
    expect(p.counts.series).toBe(4);
    expect(p.counts.patches).toBe(2 + 3 + 4 + 4);
    expect(p.patches.every((x) => x.list === "demo")).toBe(true);
    // her Acked-by on the 2025 fix (#52), and Suggested-by credited in its commit message
    expect(p.reviews.map((r) => [r.msgid, r.trailers])).toContainEqual(["Z4dpW1nB8vK3qX6m@kernel.example", ["Acked-by"]]);
    expect(p.counts.credited["Suggested-by"]).toBe(1);
    expect(p.years.map((y) => y.year)).toEqual([2023, 2024, 2025]);
    expect(p.years.reduce((n, y) => n + y.patches, 0)).toBe(p.counts.patches);
  });

  it("shows Greta's reviews and her NAK of v1 2/3", async () => {
    const p = (await getPersonProfile(db, "greta@kernel.example"))!;
    expect(p.counts.series).toBe(0);
    const nak = p.naks.find((r) => r.msgid === NAK)!;
    expect(nak.trailers).toEqual(["Nacked-by"]);
    expect(nak.patch).toMatchObject({ msgid: V1_2, list: "demo" });
    expect(nak.series?.version).toBe(1);
    // Reviewed-by on v2 1/4 (#29) and on v2 3/4 (#33, withdrawing the NAK: a review, not a NAK)
    const reviewed = p.reviews.filter((r) => r.trailers.includes("Reviewed-by")).map((r) => r.msgid).sort();
    expect(reviewed).toEqual(["20231018072137.GA4410@kernel.example", "20231019120211.GB4410@kernel.example"]);
    expect(p.naks.map((r) => r.msgid)).not.toContain("20231019120211.GB4410@kernel.example");
    expect(p.counts).toMatchObject({ reviewedBy: 2, messages: 5 });
    // her inline review comments started discussions (#6 objection aside: #19 on two hunks, #21, #29, #33 ...)
    expect(p.counts.discussionsStarted).toBeGreaterThanOrEqual(2);
    expect(p.discussions.some((d) => d.file === "mm/vmscan.c")).toBe(true);
  });

  it("counts a reviewer named only in trailers of commit messages too (credits), and Tested-by on covers", async () => {
    const w = (await getPersonProfile(db, "wei.zhang@example.com"))!;
    // #23 (v1 cover) and #37 (v2 cover)
    expect(w.reviews.filter((r) => r.trailers.includes("Tested-by")).map((r) => r.msgid).sort()).toEqual([
      "5c1e7a93-2d4f-4b68-9e0a-7f3b1c5d9e24@example.com",
      "a3c5e7f9-0b2d-4e6f-8a1c-3d5b7f9e1a2c@example.com",
    ]);
    expect(w.counts.credited["Tested-by"]).toBe(3); // v3 1/4, 2/4, 3/4
    // Lukas's report is the ghost (not in the archive); he wrote one follow-up and is credited by the fix's Reported-by
    const l = (await getPersonProfile(db, "lukas.brandt@example.com"))!;
    expect(l.counts).toMatchObject({ messages: 1, patches: 0, reviews: 0, credited: { "Reported-by": 1 } });
    expect(await getPersonProfile(db, "nobody-at-all@example.com")).toBeNull();
  });
});

describe("identities", () => {
  it("merges name variants at one organisation, obfuscated and placeholder addresses; not other organisations", async () => {
    const file = path.join(dir, "variants.mbox");
    const mails = [
      mail("v1@x", "Greta Lindqvist <greta.lindqvist@lab.kernel.example>", "Re: lab results", "Mon, 4 Mar 2024 10:00:00 +0000", "Numbers look fine.\n"),
      mail("v2@x", '"Lindqvist, Greta" <greta () kernel ! example>', "Re: archive copy", "Tue, 5 Mar 2024 10:00:00 +0000", "Same here.\n"),
      mail("v3@x", "Mira Kovacs <mira@laptop.(none)>", "[PATCH] mm: tiny fix", "Wed, 6 Mar 2024 10:00:00 +0000", "A fix.\n"),
      mail("v4@x", "Hideo Tanabe <htanabe@other.example>", "Re: other", "Thu, 7 Mar 2024 10:00:00 +0000", "Hm.\n"),
    ];
    fs.writeFileSync(file, mboxrd(mails.map((m) => Buffer.from(m))));
    await ingestSource(db, file, { list: "demo", workers: 0 });
    expect(await canonicalOf("greta.lindqvist@lab.kernel.example")).toBe("greta@kernel.example");
    expect(await canonicalOf("greta () kernel ! example")).toBe("greta@kernel.example");
    expect(await canonicalOf("mira@laptop.(none)")).toBe("mira@kernel.example");
    expect(await canonicalOf("htanabe@other.example")).toBeNull();
    const g = (await getPersonProfile(db, "greta () kernel ! example"))!;
    expect(g.address).toBe("greta@kernel.example");
    expect(Object.fromEntries(g.addresses.map((a) => [a.address, a.method]))).toEqual({
      "greta@kernel.example": null,
      "greta.lindqvist@lab.kernel.example": "name+domain",
      "greta () kernel ! example": "deobfuscated",
    });
    expect(g.addresses.find((a) => a.method === "deobfuscated")!.evidence).toContain("greta@kernel.example");
    expect(g.counts.messages).toBe(5 + 2);
    expect(g.names).toEqual(expect.arrayContaining(["Greta Lindqvist", "Lindqvist, Greta"]));
  });

  it("merges one full name at kernel.org and an employer (same-full-name); names without quotes or get_maintainer.pl notes", async () => {
    const file = path.join(dir, "same-name.mbox");
    const cc = "Cc: linux-mmc@vger.kernel.org (open list:MULTIMEDIA CARD (MMC), SECURE DIGITAL (SD) AND...),\n linux-kernel@vger.kernel.org (open list)";
    const mails = [
      mail("s1@x", "'Ulf Hansson' <ulf.hansson@linaro.org>", "[PATCH] mmc: core: tiny fix", "Mon, 4 Mar 2024 10:00:00 +0100", "A fix.\n").replace("Subject:", `${cc}\nSubject:`),
      mail("s2@x", '""Ulf Hansson"" <ulf.hansson@linaro.org>', "Re: [PATCH] mmc: core: tiny fix", "Tue, 5 Mar 2024 10:00:00 +0100", "Applied.\n"),
      mail("s3@x", "Ulf Hansson <ulfh@kernel.org>", "[GIT PULL] mmc fixes", "Wed, 6 Mar 2024 10:00:00 +0100", "Please pull.\n"),
      mail("s4@x", "\"reviewer:MULTIMEDIA CARD\" <ulfh@kernel.org>", "Re: [GIT PULL] mmc fixes", "Wed, 6 Mar 2024 11:00:00 +0100", "Done.\n"),
    ];
    fs.writeFileSync(file, mboxrd(mails.map((m) => Buffer.from(m))));
    await ingestSource(db, file, { list: "demo", workers: 0 });
    const names = async (a: string) => (await db.pool.query(`SELECT names FROM person WHERE address = $1`, [a])).rows[0]?.names;
    expect(await names("ulf.hansson@linaro.org")).toEqual(["Ulf Hansson"]);
    expect(await names("ulfh@kernel.org")).toEqual(["Ulf Hansson"]);
    expect(await names("linux-mmc@vger.kernel.org")).toEqual([]);
    expect(await canonicalOf("ulfh@kernel.org")).toBe("ulf.hansson@linaro.org");
    const u = (await getPersonProfile(db, "ulfh@kernel.org"))!;
    expect(u.name).toBe("Ulf Hansson");
    expect(u.names).toEqual(["Ulf Hansson"]);
    expect(u.addresses.find((a) => a.address === "ulfh@kernel.org")).toMatchObject({ method: "same-full-name", confidence: 0.8 });
    // Hideo Tanabe's other.example address, used while mm.example was (test above): still apart
    expect(await canonicalOf("htanabe@other.example")).toBeNull();
  });

  it("resolves a masked sender of an archive page to the one address that fits", async () => {
    const page = path.join(dir, "hypermail.txt");
    fs.writeFileSync(
      page,
      [
        "Re: [PATCH v2 0/4] mm/vmscan: batch LRU rotation with a per-node rotation queue",
        "From: Wei Zhang",
        "Date: Thu Oct 19 2023 - 11:02:03 EST",
        "On Wed, Oct 18, 2023 at 10:00 AM Wei Zhang <wei.zhang@xxxxxxxxxxx> wrote:",
        "> I will run the reclaim tests on the 2-socket box again.",
        "",
        "Done: no regressions on the 2-socket box either.",
        "",
        "Thanks,",
        "Wei",
        "",
      ].join("\n"),
    );
    await ingestSource(db, page, { list: "pages", workers: 0 });
    const { rows } = await db.pool.query(
      `SELECT p.address, m.facts->'sender' AS sender FROM message m JOIN person p ON p.id = m.from_id WHERE m.recovery = 'page:hypermail'`,
    );
    expect(rows).toEqual([{ address: "wei.zhang@example.com", sender: { method: "obfuscated-partial", confidence: 0.9, evidence: expect.stringContaining("wei.zhang@xxxxxxxxxxx") } }]);
    const w = (await getPersonProfile(db, "wei.zhang@example.com"))!;
    expect(w.counts.messages).toBe(3); // #23, #37 and the page
  });

  it("merges by hand, keeps the merge across re-derivation, and records it", async () => {
    await expect(recordPersonMerge(db, "htanabe@mm.example", "nobody@nowhere.example")).rejects.toThrow(/no message or trailer/);
    const m = await recordPersonMerge(db, "htanabe@mm.example", "htanabe@other.example");
    await derivePeople(db);
    const r = (await personIdentity(db, m.into))!;
    expect(r.canonical.address).toBe("htanabe@mm.example");
    expect(r.members.map((x) => x.address).sort()).toEqual(["htanabe@mm.example", "htanabe@other.example"]);
    await derivePeople(db);
    expect(await canonicalOf("htanabe@other.example")).toBe("htanabe@mm.example");
    const h = (await getPersonProfile(db, "htanabe@other.example"))!;
    expect(h.address).toBe("htanabe@mm.example");
    expect(h.addresses.find((a) => a.address === "htanabe@other.example")).toMatchObject({ method: "manual", confidence: 1 });
    const { rows } = await db.pool.query(`SELECT action, target_id, after FROM audit_log WHERE action = 'person.merge'`);
    expect(rows).toEqual([{ action: "person.merge", target_id: "htanabe@other.example", after: { into: "htanabe@mm.example", address: "htanabe@other.example", method: "manual" } }]);
  });

  it("answers /api/people/<address> for any address of the person", async () => {
    const a = await api(`/api/people/${encodeURIComponent("greta.lindqvist@lab.kernel.example")}`);
    expect(a.status).toBe(200);
    expect(a.json.address).toBe("greta@kernel.example");
    expect(a.json.naks.map((r: { msgid: string }) => r.msgid)).toContain(NAK);
    expect((await api("/api/people/nobody%40nowhere.example")).status).toBe(404);
    // the list route still answers
    expect((await api("/api/people?page=1")).status).toBe(200);
  });
});
