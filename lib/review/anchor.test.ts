// Inline comments anchored to the patch lines their quotes end on. The cases follow
// ../shared/fixtures/lkml-gerrit-bridge (a reply commenting under a change block and under a
// context line, an ack quoting only the commit message, a series whose patches share lines) with
// mails written here, plus what real quoting does to a patch: trimming, re-wrapping, whitespace
// damage, repeated lines, elisions, replies to replies, and a patch rebuilt from quotes.
import { describe, expect, it } from "vitest";
import { parseDiff } from "../patch/diff";
import { extractQuotedAncestors } from "../archive-pages/quotes";
import { anchorComments, anchorReply, sameAnchor, threadAnchor, type DiffAnchor, type InlineComment, type MessageAnchor } from "./anchor";
import { analyzeReply } from "./analyze";

const q = (text: string, depth = 1) =>
  text
    .split("\n")
    .map((l) => (l === "" ? ">".repeat(depth) : `${"> ".repeat(depth)}${l}`))
    .join("\n");

// a patch like the bridge's fake one: lines 2..8 of "notes.txt", line 5 edited and a line inserted
const SIMPLE = `Edit the fifth line and add one after it.

Signed-off-by: Ada Sender <ada@example.org>
---
 notes.txt | 3 ++-
 1 file changed, 2 insertions(+), 1 deletion(-)

diff --git a/notes.txt b/notes.txt
index 1a2b3c4..5d6e7f8 100644
--- a/notes.txt
+++ b/notes.txt
@@ -2,7 +2,8 @@ first line
 second line
 third line
 fourth line
-fifth line
+fifth line, edited
+  an inserted line
 sixth line
 seventh line
 eighth line

base-commit: 0000000000000000000000000000000000000000
-- 
2.17.1
`;

const diffAnchor = (c: InlineComment) => c.anchor as DiffAnchor;

describe("anchorComments: the bridge's cases", () => {
  const reply = `On Mon, 31 Aug 2020 at 12:04:46 +0100, Ada Sender wrote:
${q(SIMPLE.split("\n---\n")[0])}
> ---
${q(SIMPLE.slice(SIMPLE.indexOf(" notes.txt |"), SIMPLE.indexOf(" sixth line")).replace(/\n$/, ""))}

Under the change block: the edit and the insertion.

>  sixth line
>  seventh line

Under the seventh line.

>  eighth line
`;

  it("anchors under a change block to its last line, with the block, and under a context line to both sides", () => {
    const cs = anchorComments({ body: SIMPLE }, reply);
    expect(cs.map((c) => c.text)).toEqual(["Under the change block: the edit and the insertion.", "Under the seventh line."]);
    const a = diffAnchor(cs[0]);
    expect(a).toMatchObject({ part: "diff", file: "notes.txt", hunkIndex: 0, lineIndexInHunk: 5, side: "new", oldLine: null, newLine: 6, heading: "first line", patchText: "+  an inserted line", quotedLine: "+  an inserted line", method: "exact", confidence: 1 });
    // the block the comment sits under: "-fifth line" .. "+  an inserted line" (old 5, new 5..6)
    expect(a.block).toEqual({ from: 3, to: 5 });
    const b = diffAnchor(cs[1]);
    expect(b).toMatchObject({ lineIndexInHunk: 7, side: "new", oldLine: 7, newLine: 8, patchText: " seventh line", block: { from: 7, to: 7 } });
    // positions: comment lines in the reply, the quoted line it follows, the patch line
    expect(cs[1].lines).toEqual([b.quotedAt + 2, b.quotedAt + 2]);
    expect(SIMPLE.split("\n")[b.patchLine]).toBe(" seventh line");
  });

  it("an ack quoting only the commit message: no inline comment; prose under it anchors to the message", () => {
    const ack = `On Sat, 2007-01-20 at 13:28 -0500, Ada Sender wrote:
> Edit the fifth line and add one after it.
>
> Signed-off-by: Ada Sender <ada@example.org>

thanks,

Acked-by: Ivo Reviewer <ivo@example.org>

\tIvo
`;
    expect(anchorComments({ body: SIMPLE }, ack)).toEqual([]);
    const greetings = ack.replace("thanks,\n\nAcked-by: Ivo Reviewer <ivo@example.org>\n\n\tIvo", "Reviewed-by: Ivo Reviewer <ivo@example.org>\n\nGr{oetje,eeting}s,\n\n\t\t\tIvo");
    expect(greetings).toContain("Gr{oetje");
    expect(anchorComments({ body: SIMPLE }, greetings)).toEqual([]);
    const note = ack.replace("thanks,", "Nice and small.\n\nthanks,");
    const cs = anchorComments({ body: SIMPLE }, note);
    expect(cs).toHaveLength(1);
    expect(cs[0].text).toBe("Nice and small.");
    expect(cs[0].anchor).toMatchObject({ part: "message", line: 2, patchText: "Signed-off-by: Ada Sender <ada@example.org>", method: "exact" });
  });

  it("a comment above any quote, or a top-posted one, is general", () => {
    const cs = anchorComments({ body: SIMPLE }, `Looks fine overall, one nit below.\n\n${q(" fourth line\n-fifth line")}\n\nNit here.\n`);
    expect(cs[0]).toMatchObject({ text: "Looks fine overall, one nit below.", anchor: null });
    expect(diffAnchor(cs[1])).toMatchObject({ oldLine: 5, side: "old" });
    const top = anchorComments({ body: SIMPLE }, `Applied, thanks!\n\nOn Mon, Aug 31, 2020 at 12:04 PM Ada Sender <ada@example.org> wrote:\n${q(SIMPLE)}\n`);
    expect(top).toEqual([{ text: "Applied, thanks!", lines: [0, 0], anchor: null }]);
  });

  it("works from a ParsedDiff alone", () => {
    const d = parseDiff(SIMPLE);
    const cs = anchorComments(d, reply);
    expect(diffAnchor(cs[1])).toMatchObject({ file: "notes.txt", oldLine: 7, newLine: 8 });
  });
});

// a two-file patch whose files share lines ("+}", "+\treturn 0;"), two hunks in the second file
const SERIES_PATCH = `gadget: add reset helpers

Signed-off-by: Ada Sender <ada@example.org>
---
diff --git a/drivers/gadget/a.c b/drivers/gadget/a.c
index 1111111..2222222 100644
--- a/drivers/gadget/a.c
+++ b/drivers/gadget/a.c
@@ -10,6 +10,12 @@ static int a_probe(struct device *dev)
 \tint ret;
 
 \tret = a_init(dev);
+\tif (ret)
+\t\treturn ret;
+\tret = a_reset(dev, A_RESET_TIMEOUT_MS, A_RESET_FLAG_WARM | A_RESET_FLAG_KEEP_CLOCKS);
+\tif (ret)
+\t\treturn ret;
+\treturn 0;
 }
 
 static void a_remove(struct device *dev)
diff --git a/drivers/gadget/b.c b/drivers/gadget/b.c
index 3333333..4444444 100644
--- a/drivers/gadget/b.c
+++ b/drivers/gadget/b.c
@@ -20,6 +20,10 @@ static int b_suspend(struct device *dev)
 \tstruct b_priv *p = dev_get_drvdata(dev);
 
 \tb_stop(p);
+\tif (p->busy)
+\t\treturn -EBUSY;
+\tb_park(p);
+\treturn 0;
 }
 
 static int b_resume(struct device *dev)
@@ -40,6 +44,10 @@ static int b_resume(struct device *dev)
 \tstruct b_priv *p = dev_get_drvdata(dev);
 
 \tb_start(p);
+\tif (p->busy)
+\t\treturn -EBUSY;
+\tb_unpark(p);
+\treturn 0;
 }
 
 static const struct dev_pm_ops b_pm = {
-- 
2.45.0
`;

describe("anchorComments: what quoting does to a patch", () => {
  it("tells repeated lines apart by their neighbours and the order of hunks", () => {
    const reply = `On Tue, Mar 05, 2019 at 09:12:44AM +0100, Ada Sender wrote:
[...]
> \tb_stop(p);
> +\tif (p->busy)
> +\t\treturn -EBUSY;

Suspend: why -EBUSY and not -EAGAIN?

[...]
> +\tif (p->busy)
> +\t\treturn -EBUSY;

Resume: same question.

> +\tb_unpark(p);
> +\treturn 0;

And this return 0 is redundant.
`;
    const cs = anchorComments({ body: SERIES_PATCH }, reply);
    expect(cs.map((c) => [diffAnchor(c).file, diffAnchor(c).hunkIndex, diffAnchor(c).newLine])).toEqual([
      ["drivers/gadget/b.c", 0, 24],
      ["drivers/gadget/b.c", 1, 48],
      ["drivers/gadget/b.c", 1, 50],
    ]);
    // the second comment's quote is identical to the first's: placed by order, a little less sure
    expect(diffAnchor(cs[1]).confidence).toBeLessThan(1);
    expect(diffAnchor(cs[0]).heading).toBe("static int b_suspend(struct device *dev)");
  });

  it("joins a long line the mailer wrapped, and survives tabs turned to spaces and eaten context spaces", () => {
    const reply = `> @@ -10,6 +10,12 @@ static int a_probe(struct device *dev)
> int ret;
>
>     ret = a_init(dev);
> +    if (ret)
> +        return ret;
> +    ret = a_reset(dev, A_RESET_TIMEOUT_MS, A_RESET_FLAG_WARM |
> A_RESET_FLAG_KEEP_CLOCKS);

Is a warm reset enough here?
`;
    const [c] = anchorComments({ body: SERIES_PATCH }, reply);
    expect(diffAnchor(c)).toMatchObject({ file: "drivers/gadget/a.c", newLine: 15, patchText: "+\tret = a_reset(dev, A_RESET_TIMEOUT_MS, A_RESET_FLAG_WARM | A_RESET_FLAG_KEEP_CLOCKS);", method: "exact" });
    expect(diffAnchor(c).quotedLine).toBe("+    ret = a_reset(dev, A_RESET_TIMEOUT_MS, A_RESET_FLAG_WARM | A_RESET_FLAG_KEEP_CLOCKS);");
    // the context line whose leading space was eaten still counts (as the line before)
    const [d] = anchorComments({ body: SERIES_PATCH }, "> int ret;\n\nUnused?\n> \n>     ret = a_init(dev);\n");
    expect(diffAnchor(d)).toMatchObject({ file: "drivers/gadget/a.c", oldLine: 10, newLine: 10, method: "fuzzy" });
  });

  it("anchors across elisions and to hunk headers", () => {
    const reply = `> diff --git a/drivers/gadget/b.c b/drivers/gadget/b.c
> index 3333333..4444444 100644
> --- a/drivers/gadget/b.c
> +++ b/drivers/gadget/b.c

Whole file: please split this.

> @@ -40,6 +44,10 @@ static int b_resume(struct device *dev)

This hunk too.

> <snip>
> +\tb_unpark(p);

Unpark before start?
`;
    const cs = anchorComments({ body: SERIES_PATCH }, reply);
    expect(cs[0].anchor).toMatchObject({ file: "drivers/gadget/b.c", hunkIndex: -1, lineIndexInHunk: -1 });
    expect(cs[1].anchor).toMatchObject({ file: "drivers/gadget/b.c", hunkIndex: 1, lineIndexInHunk: -1, oldLine: 40, newLine: 44 });
    expect(cs[2].anchor).toMatchObject({ file: "drivers/gadget/b.c", hunkIndex: 1, newLine: 49 });
  });

  it("a quote of another diff (a suggestion, another version) anchors nowhere, even where lines coincide", () => {
    const other = `> @@ -70,6 +70,8 @@ static int b_resume(struct device *dev)
>  \tstruct b_priv *p = dev_get_drvdata(dev);
> +\tb_park(p);
>  }

Better like this?
`;
    expect(anchorComments({ body: SERIES_PATCH }, other)[0].anchor).toBeNull();
    // generic lines alone ("}", "return 0;") are not enough either
    expect(anchorComments({ body: SERIES_PATCH }, ">  }\n> +\treturn 0;\n\nHm.\n")[0].anchor).toBeNull();
  });

  it("keeps an own diff (a suggested change) inside the comment and drops the sign-off", () => {
    const reply = `> +\tb_park(p);

Something like:

-\tb_park(p);
+\tb_park(p, B_PARK_DEEP);

Thanks,
Ivo
`;
    const [c] = anchorComments({ body: SERIES_PATCH }, reply);
    expect(c.text).toBe("Something like:\n\n-\tb_park(p);\n+\tb_park(p, B_PARK_DEEP);");
    expect(diffAnchor(c)).toMatchObject({ file: "drivers/gadget/b.c", newLine: 25 });
  });
});

describe("discussions", () => {
  const review = `On Tue, Mar 05, 2019 at 09:12:44AM +0100, Ada Sender wrote:
> +\tif (p->busy)
> +\t\treturn -EBUSY;
> +\tb_park(p);

Parking while busy was never allowed, so the check is dead code.

> +\treturn 0;
>  }

Fine.
`;
  const answer = `On Wed, Mar 06, 2019 at 10:00:00AM +0100, Ivo Reviewer wrote:
> On Tue, Mar 05, 2019 at 09:12:44AM +0100, Ada Sender wrote:
> > +\tif (p->busy)
> > +\t\treturn -EBUSY;
> > +\tb_park(p);
>
> Parking while busy was never allowed, so the check is dead code.

It is allowed since the runtime PM rework, see b_runtime_idle().

> > +\treturn 0;
> >  }

Ok.
`;

  it("a reply to a review joins the discussion of the comment it answers, with its anchor", () => {
    const parent = anchorComments({ body: SERIES_PATCH }, review);
    expect(parent.map((c) => diffAnchor(c).newLine)).toEqual([25, 27]);
    const cs = threadAnchor(parent, answer);
    expect(cs.map((c) => [c.text, c.inReplyTo])).toEqual([
      ["It is allowed since the runtime PM rework, see b_runtime_idle().", 0],
      ["Ok.", 1],
    ]);
    expect(sameAnchor(cs[0].anchor, parent[0].anchor)).toBe(true);
    expect(cs[0].anchor!.confidence).toBe(1);
    // the second answer follows the patch line the review quoted (one level deeper): same discussion
    expect(sameAnchor(cs[1].anchor, parent[1].anchor)).toBe(true);
  });

  it("analyzeReply gives the tree, trailers, verdict and anchored comments in one call", () => {
    const parent = anchorComments({ body: SERIES_PATCH }, review);
    // the answer trims the quote above the line the review commented on: still the same discussion
    const trimmed = answer.replace("\n> >  }", "");
    const r = analyzeReply(`${trimmed}\nAcked-by: Ada Sender <ada@example.org>\n`, { from: { name: "Ada Sender", address: "ada@example.org" }, patch: { body: SERIES_PATCH }, parentComments: parent });
    expect(r.comments.map((c) => c.inReplyTo)).toEqual([0, 1]);
    expect(r.trailers.map((t) => t.kind)).toEqual(["Acked-by"]);
    expect(r.verdict.verdict).toBe("ack");
    expect(r.tree.data.maxDepth).toBe(2);
    // without the parent's comments the answer still lands on the patch lines
    expect(sameAnchor(r.comments[1].anchor, parent[1].anchor)).toBe(true);
    const direct = anchorReply(trimmed, { patch: { body: SERIES_PATCH } });
    expect((direct[1].anchor as DiffAnchor).newLine).toBe(26);
  });
});

describe("a patch rebuilt from quotes is reviewable like any other", () => {
  it("anchors the review to the patch lib/archive-pages rebuilds from the review's own quote", () => {
    const review = `On Tue, Mar 05, 2019 at 09:12:44AM +0100, Ada Sender wrote:
> gadget: add reset helpers
>
> Signed-off-by: Ada Sender <ada@example.org>
> ---
> diff --git a/drivers/gadget/b.c b/drivers/gadget/b.c
> index 3333333..4444444 100644
> --- a/drivers/gadget/b.c
> +++ b/drivers/gadget/b.c
> @@ -20,6 +20,10 @@ static int b_suspend(struct device *dev)
>  \tstruct b_priv *p = dev_get_drvdata(dev);
>
>  \tb_stop(p);
> +\tif (p->busy)
> +\t\treturn -EBUSY;

Dead check, see my other mail.

> +\tb_park(p);
> +\treturn 0;
>  }

What about the commit message?
`;
    const [ancestor] = extractQuotedAncestors(review, { subject: "Re: [PATCH] gadget: add reset helpers" });
    expect(ancestor.depth).toBe(1);
    const rebuilt = ancestor.text;
    const d = parseDiff(rebuilt);
    expect(d.files.map((f) => f.path)).toEqual(["drivers/gadget/b.c"]);
    const cs = anchorComments({ body: rebuilt, diff: d }, review);
    expect(cs.map((c) => (c.anchor as DiffAnchor).newLine)).toEqual([24, 27]);
    expect(cs.every((c) => c.anchor?.method === "exact")).toBe(true);
    // the same comments against the original patch land on the same code lines
    const orig = anchorComments({ body: SERIES_PATCH }, review);
    expect(orig.map((c) => [(c.anchor as DiffAnchor).file, (c.anchor as DiffAnchor).newLine])).toEqual(cs.map((c) => [(c.anchor as DiffAnchor).file, (c.anchor as DiffAnchor).newLine]));
    const msg = anchorComments({ body: rebuilt }, "> gadget: add reset helpers\n\nThe subject needs a verb.\n");
    expect(msg[0].anchor as MessageAnchor).toMatchObject({ part: "message", line: 0 });
  });
});

describe("size", () => {
  it("anchors 400 comments on a fully quoted 5,000-line patch with repeated lines quickly, each to its own hunk", () => {
    const hunks: string[] = [];
    for (let h = 0; h < 400; h++) {
      hunks.push(`@@ -${h * 100 + 1},12 +${h * 100 + 1},12 @@ static int f${h}(void)`);
      for (let k = 0; k < 5; k++) hunks.push(` \tctx line ${k}`);
      hunks.push(`-\told_call_${h}(x);`, `+\tnew_call_${h}(x, y);`);
      for (let k = 0; k < 5; k++) hunks.push(k === 2 ? " }" : " \treturn 0;");
    }
    const patch = `msg\n\n---\ndiff --git a/big.c b/big.c\n--- a/big.c\n+++ b/big.c\n${hunks.join("\n")}\n`;
    const reply = patch
      .split("\n")
      .map((l) => `> ${l}`)
      .join("\n")
      .replace(/(> \+\tnew_call_\d+\(x, y\);)/g, "$1\n\nWhy y?\n");
    const t = performance.now();
    const cs = anchorComments({ body: patch }, reply);
    expect(performance.now() - t).toBeLessThan(5000);
    expect(cs).toHaveLength(400);
    expect(cs.every((c, i) => (c.anchor as DiffAnchor).hunkIndex === i && (c.anchor as DiffAnchor).newLine === i * 100 + 6)).toBe(true);
  });
});
