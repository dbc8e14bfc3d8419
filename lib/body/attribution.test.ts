// The one attribution parser: "On …, X wrote:" lines and Outlook header blocks.
import { describe, expect, it } from "vitest";
import { attributionName, parseAttribution, parseHeaderBlock, parseWrappedAttribution } from "./attribution";

describe("attribution lines", () => {
  it.each([
    ["On Thu, Aug 8, 2024 at 1:04 PM Mira Kovacs <mira@example.org> wrote:", { name: "Mira Kovacs", address: "mira@example.org", style: "on-wrote", date: "2024-08-08T13:04:00.000Z" }],
    ["On 02/11/2017 16:16, Tomas Berg wrote:", { name: "Tomas Berg", address: null, style: "on-wrote", dateText: "02/11/2017 16:16" }],
    ["On Tue, Mar 05, 2019 at 09:12:44AM +0100, Ola Nordmann wrote:", { name: "Ola Nordmann", style: "on-wrote", date: "2019-03-05T08:12:44.000Z", tzOffsetMinutes: 60 }],
    ["On Sat, 2007-01-20 at 13:28 -0500, R. P. Quill wrote:", { name: "R. P. Quill", date: "2007-01-20T18:28:00.000Z" }],
    ["On Mon, 1 Jun 2020, Ana Lima wrote:", { name: "Ana Lima", dateText: "Mon, 1 Jun 2020" }],
    ["Tomas Berg wrote:", { name: "Tomas Berg", address: null, style: "wrote", date: null }],
    ["Ola Nordmann <ola@example.no> writes:", { name: "Ola Nordmann", address: "ola@example.no", style: "writes" }],
    ["Quoting Ana Lima (2021-04-09 10:11:12):", { name: "Ana Lima", style: "quoting", date: "2021-04-09T10:11:12.000Z" }],
    ["* Mira Kovacs <mira@example.org> [230415 08:30]:", { name: "Mira Kovacs", address: "mira@example.org", style: "mutt", date: "2023-04-15T08:30:00.000Z" }],
    ["Le mar. 5 mars 2019 à 09:12, Paul Durand <paul@example.fr> a écrit :", { name: "Paul Durand", address: "paul@example.fr", style: "le-a-ecrit", date: "2019-03-05T09:12:00.000Z" }],
    ["Am 05.03.2019 um 09:12 schrieb Jörg Weber:", { name: "Jörg Weber", style: "am-schrieb", date: "2019-03-05T09:12:00.000Z" }],
    ["Am Di., 5. März 2019 um 09:12 Uhr schrieb Jörg Weber <joerg@example.de>:", { name: "Jörg Weber", address: "joerg@example.de", style: "am-schrieb" }],
    ["On Tue, 5 Mar 2019 09:12:44 +0000 <anon@example.com> wrote:", { name: "", address: "anon@example.com" }],
    ["On 8/21/20 4:50 PM, Kim Park wrote:", { name: "Kim Park", date: "2020-08-21T16:50:00.000Z" }],
  ])("%s", (line, want) => {
    expect(parseAttribution(line)).toMatchObject(want);
  });

  it("refuses prose that ends in 'wrote:'", () => {
    expect(parseAttribution("As I wrote:")).toBeNull();
    expect(parseAttribution("Here is what you said:")).toBeNull();
    expect(parseAttribution("Hello there")).toBeNull();
  });

  it("joins an attribution wrapped over two lines", () => {
    expect(parseWrappedAttribution("On Thu, Aug 8, 2024 at 1:04 PM Mira Kovacs <mira@example.org>", "wrote:")).toMatchObject({ name: "Mira Kovacs", address: "mira@example.org" });
    expect(parseWrappedAttribution("On Mon, 3 Feb 2025 at 11:20, Tomas Berg", "<tomas@example.se> wrote:")).toMatchObject({ name: "Tomas Berg", address: "tomas@example.se" });
    expect(parseWrappedAttribution("Some prose here", "and more prose.")).toBeNull();
  });

  it("reads an Outlook header block", () => {
    const hb = parseHeaderBlock(["-----Original Message-----", "From: Kim Park <kim@example.com>", "Sent: Tuesday, March 5, 2019 9:12 AM", "To: list@example.org", "Subject: RE: [PATCH] x: y", "", "body"], 0);
    expect(hb).toMatchObject({ start: 0, end: 4, subject: "RE: [PATCH] x: y", attribution: { name: "Kim Park", address: "kim@example.com", style: "outlook", date: "2019-03-05T09:12:00.000Z" } });
    // a patch's in-body From: is no header block
    expect(parseHeaderBlock(["From: Kim Park <kim@example.com>", "", "The commit message."], 0)).toBeNull();
  });
});

describe("attributionName", () => {
  it.each([
    ["On Mon, Jan 01, 2024 at 10:00:00AM +0100, Jane Doe wrote:", "Jane Doe"],
    ["On Mon, Jan 1, 2024 at 10:00 AM Jane Doe <jane@example.org> wrote:", "Jane Doe"],
    ["On 2024-01-01 10:00, Jane Doe wrote:", "Jane Doe"],
    ["Jane Doe <jane@example.org> writes:", "Jane Doe"],
    ["On Tue, 2 Jan 2024 11:00:00 +0000 <jane@example.org> wrote:", "jane@example.org"],
    ["Quoting Jane Doe (2024-01-01 10:00:00):", "Jane Doe"],
    ["* Jane Doe <jane@example.org> [240101 10:00]:", "Jane Doe"],
    ["Am 01.01.24 um 10:00 schrieb Jane Doe:", "Jane Doe"],
  ])("%s", (line, who) => {
    expect(attributionName(line)).toBe(who);
  });
});
