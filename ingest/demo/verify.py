#!/usr/bin/env python3
"""Check ingest/demo/demo.mbox against the facts listed in README.md.

Usage: python3 verify.py [demo.mbox]

Parses the file as mboxrd with Python's email package (independent of the
TypeScript ingester) and asserts the structural facts a test may rely on.
Exits non-zero on the first failed check.
"""

import email
import email.policy
import email.utils
import re
import sys
from collections import defaultdict
from pathlib import Path

path = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).with_name("demo.mbox"))
raw = path.read_bytes()

ok_count = 0


def check(cond, what):
    global ok_count
    if not cond:
        print(f"FAIL: {what}")
        sys.exit(1)
    ok_count += 1


# --- file-level -------------------------------------------------------------
check(b"\r" not in raw, "LF line endings only")
check(len(raw) < 1_000_000, "well under 1 MB")
check(raw.startswith(b"From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n"), "starts with a From_ line")

# --- mboxrd split -------------------------------------------------------------
chunks = re.split(rb"^From [^\n]*\n", raw, flags=re.M)
check(chunks[0] == b"", "nothing before the first From_ line")
msgs = []
escaped_lines = 0
for c in chunks[1:]:
    check(c.endswith(b"\n\n"), "each message is followed by a blank line")
    c = c[:-1]
    for line in c.split(b"\n\n", 1)[0].split(b"\n"):
        check(len(line) <= 78, f"raw header line <= 78 chars: {line[:50]!r}")
    escaped_lines += len(re.findall(rb"^>+From ", c, flags=re.M))
    c = re.sub(rb"^>(>*From )", rb"\1", c, flags=re.M)
    msgs.append(email.message_from_bytes(c, policy=email.policy.default))

check(len(msgs) == 58, f"58 messages (got {len(msgs)})")
check(escaped_lines == 2, f"2 mboxrd-escaped body lines (got {escaped_lines})")

import mailbox  # noqa: E402  (cross-check with the stdlib reader)

check(len(mailbox.mbox(str(path))) == 58, "mailbox.mbox also sees 58 messages")


def mid(h):
    return h.strip()[1:-1] if h else None


def body_text(m):
    return m.get_body(preferencelist=("plain",)).get_content()


by_id = {}
for m in msgs:
    for h in ("From", "Date", "Subject", "Message-ID", "List-Id"):
        check(m[h] is not None, f"{h} present in {m['Message-ID']}")
    i = mid(m["Message-ID"])
    check(i not in by_id, f"unique Message-ID {i}")
    by_id[i] = m
    check(m["List-Id"] == "<demo.lists.patchlore.example>", "List-Id")
    rcpts = [a for _, a in email.utils.getaddresses(m.get_all("To", []) + m.get_all("Cc", []))]
    check("demo@lists.patchlore.example" in rcpts, f"list in To/Cc of {i}")
    check(email.utils.parsedate_to_datetime(m["Date"]) is not None, "Date parses")
    body_text(m)  # every body decodes

check(len(by_id) == 58, "58 distinct Message-IDs")

# --- threading ------------------------------------------------------------------
GHOST = "CAJ8vXk2Rm5Qn0pL7tH3wE9yB4cZ6uF1dA8s@mail.example.com"
NO_THREAD = "web-7f3a9c2e41d8@mm.example"

missing = set()
parent = {}
for i, m in by_id.items():
    irt = mid(m["In-Reply-To"])
    refs = re.findall(r"<([^>]+)>", str(m["References"] or ""))
    if irt:
        check(refs and refs[-1] == irt, f"last Reference == In-Reply-To for {i}")
        parent[i] = irt
    for r in refs + ([irt] if irt else []):
        if r not in by_id:
            missing.add(r)
check(missing == {GHOST}, f"only the ghost is referenced but absent (got {missing})")
no_hdr = [i for i, m in by_id.items() if not m["In-Reply-To"] and not m["References"] and m["Subject"].startswith("Re:")]
check(no_hdr == [NO_THREAD], f"exactly one Re: without threading headers (got {no_hdr})")

# union-find over References/In-Reply-To (ghost included as a node)
uf = {}


def find(x):
    uf.setdefault(x, x)
    while uf[x] != x:
        uf[x] = uf[uf[x]]
        x = uf[x]
    return x


def union(a, b):
    uf[find(a)] = find(b)


for i, m in by_id.items():
    find(i)
    for r in re.findall(r"<([^>]+)>", str(m["References"] or "")) + ([mid(m["In-Reply-To"])] if m["In-Reply-To"] else []):
        union(i, r)
by_header = len({find(i) for i in by_id})
check(by_header == 8, f"8 threads from headers alone (got {by_header})")


def norm_subject(s):
    return re.sub(r"^(re:\s*)+", "", s.strip(), flags=re.I)


roots = {norm_subject(m["Subject"]): i for i, m in by_id.items()
         if not m["In-Reply-To"] and not m["Subject"].lower().startswith("re:")}
union(NO_THREAD, roots[norm_subject(by_id[NO_THREAD]["Subject"])])
threads = defaultdict(list)
for i in by_id:
    threads[find(i)].append(i)
check(len(threads) == 7, f"7 threads with subject fallback (got {len(threads)})")
sizes = sorted(len(v) for v in threads.values())
check(sizes == [2, 4, 4, 11, 11, 12, 14], f"thread sizes (got {sizes})")

# replies are newer than what they reply to
for i, p in parent.items():
    if p in by_id:
        a = email.utils.parsedate_to_datetime(by_id[p]["Date"])
        b = email.utils.parsedate_to_datetime(by_id[i]["Date"])
        check(b > a, f"{i} is later than its parent")

# --- quoting: every quoted line comes from the parent -------------------------------
ELISIONS = {"[...]", "<snip>"}
SUBJECT_PARENT = {NO_THREAD: roots[norm_subject(by_id[NO_THREAD]["Subject"])]}
max_depth = {}
for i, m in by_id.items():
    lines = body_text(m).split("\n")
    depth = 0
    for l in lines:
        q = re.match(r"^((?:> ?)*)", l).group(1)
        depth = max(depth, q.count(">"))
    max_depth[i] = depth
    p = parent.get(i) or SUBJECT_PARENT.get(i)
    if not p or p not in by_id:
        continue
    plines = {x.rstrip() for x in body_text(by_id[p]).split("\n")}
    for l in lines:
        if not l.startswith(">"):
            continue
        inner = l[2:] if l.startswith("> ") else l[1:]
        if re.sub(r"^[> ]*", "", inner).strip() in ELISIONS:
            continue
        check(inner.rstrip() in plines, f"quoted line in {i} exists in parent: {inner!r}")

deep = [i for i, d in max_depth.items() if d >= 4]
check(deep == ["ZDlgB3vKc8wP0aQe@kernel.example"], f"one message quotes 4+ levels (got {deep})")
check(max_depth[deep[0]] == 4, "deep-quote depth is exactly 4")

# --- subjects, series ----------------------------------------------------------------
subjects = {i: m["Subject"] for i, m in by_id.items()}
series_pat = {
    "rfc": r"^\[RFC PATCH (\d)/2\]",
    "v1": r"^\[PATCH (\d)/3\]",
    "v2": r"^\[PATCH v2 (\d)/4\]",
    "v3": r"^\[PATCH v3 (\d)/4\]",
}
for name, pat in series_pat.items():
    members = {int(re.match(pat, s).group(1)): i for i, s in subjects.items() if re.match(pat, s)}
    n = {"rfc": 2, "v1": 3, "v2": 4, "v3": 4}[name]
    check(sorted(members) == list(range(n + 1)), f"{name}: cover + {n} patches")
    cover = members[0]
    for k in range(1, n + 1):
        pm = by_id[members[k]]
        check(mid(pm["In-Reply-To"]) == cover, f"{name} {k}/{n} replies to its cover")
        check(str(pm["References"]).strip() == f"<{cover}>", f"{name} {k}/{n} References = cover")
    cb = body_text(by_id[cover])
    check("change-id: 20230412-rotation-queue-1a2b3c4d5e6f" in cb, f"{name} cover has change-id")
    check(re.search(r"^base-commit: [0-9a-f]{40}$", cb, re.M), f"{name} cover has base-commit")

V1 = "20230620071000.91127-1-mira@kernel.example"
V2 = "20230412-rotation-queue-v2-0-6a1f0c2e9d3b@kernel.example"
V3 = "20230412-rotation-queue-v3-0-b18e4f7a2c90@kernel.example"
v2b, v3b = body_text(by_id[V2]), body_text(by_id[V3])
check("Changes since v1:" in v2b, "v2 changelog")
check("v2 -> v3:" in v3b, "v3 changelog")
check(f"https://lore.kernel.org/r/{V2}" in v3b, "v3 links v2 on lore")
check(f"<{V1}>" in v3b, "v3 names v1 by Message-ID")

# --- trailers ---------------------------------------------------------------------
def trailers(i):
    return re.findall(r"^([A-Z][A-Za-z-]+-by|Fixes|Link|Closes): (.+)$", body_text(by_id[i]), re.M)


def has(i, tag, value_start):
    return any(t == tag and v.startswith(value_start) for t, v in trailers(i))


check(has("20230622064519.GB31877@kernel.example", "Nacked-by", "Greta Lindqvist <greta@kernel.example>"), "NAK on v1 2/3")
check(has("a3c5e7f9-0b2d-4e6f-8a1c-3d5b7f9e1a2c@example.com", "Tested-by", "Wei Zhang"), "Tested-by on v1 cover")
check(has("20231019235540.GB11873@mm.example", "Acked-by", "Hideo Tanabe"), "Acked-by on v2 cover")
check(has("CAHk9pR8cN4vL1qT7mX2wE5zB9kF3uD6aH0j+Se@mail.example.com", "Reviewed-by", "Priya Raman"), "Reviewed-by on v3 cover")
check(has("20231018072137.GA4410@kernel.example", "Reviewed-by", "Greta Lindqvist"), "Reviewed-by on v2 1/4")
check(has("6496C0ED.4050907@example.net", "Acked-by", "René Lefèvre"), "Acked-by (non-ASCII) on v1 3/3")
check(has(NO_THREAD, "Tested-by", "Hideo Tanabe"), "Tested-by in the unthreaded reply")
v3p = {int(re.match(r"^\[PATCH v3 (\d)/4\]", s).group(1)): i for i, s in subjects.items() if s.startswith("[PATCH v3 ")}
check(has(v3p[1], "Fixes", "56791760e88a (\"mm/swap: rotate reclaimable folios"), "Fixes: on v3 1/4")
check(has(v3p[2], "Link", "https://lore.kernel.org/r/20230412081500.48213-1-mira@kernel.example"), "Link: on v3 2/4")
for k, tags in {1: ["Reviewed-by", "Acked-by", "Tested-by"], 2: ["Reviewed-by", "Acked-by", "Tested-by"],
                3: ["Reviewed-by", "Acked-by", "Tested-by"], 4: ["Acked-by"]}.items():
    for t in tags:
        check(any(x == t for x, _ in trailers(v3p[k])), f"v3 {k}/4 carries {t}")
check(has(v3p[4], "Acked-by", "René Lefèvre"), "v3 4/4 carries René's ack (UTF-8 8bit patch)")
applied = [i for i in by_id if "Applied to mm-unstable, thanks." in body_text(by_id[i])]
check(len(applied) == 1 and mid(by_id[applied[0]]["In-Reply-To"]) == V3, "Applied to mm-unstable reply to v3 cover")

# --- legacy charset ---------------------------------------------------------------
rene = by_id["6496C0ED.4050907@example.net"]
check(rene.get_content_charset() == "iso-8859-1", "René's message is ISO-8859-1")
check(rene["Content-Transfer-Encoding"] == "quoted-printable", "René's message is QP")
check("=?ISO-8859-1?Q?Ren=E9_Lef=E8vre?=" in rene.as_string(policy=email.policy.compat32), "RFC 2047 sender on the wire")
check(email.utils.parseaddr(str(rene["From"]))[0] == "René Lefèvre", "sender decodes to René Lefèvre")
rb = body_text(rene)
for word in ("Schöne Grüße aus Straßburg,", "café crème", "René"):
    check(word in rb, f"decoded body contains {word!r}")

# --- benchmark report ---------------------------------------------------------------
lkp = by_id["202403051432.7c1d9e0f-lkp@intel.example"]
check(lkp["Subject"] == "[linux-next:master] [mm/vmscan]  3f2a1b9c8d: vm-scalability.throughput 12.4% improvement", "LKP subject")
check(str(lkp["From"]) == "kernel test robot <lkp@intel.example>", "LKP sender")
rows = 0
for l in body_text(lkp).split("\n"):
    m = re.match(r"^\s*([\d.e+]+)(?: ±\s*\d+%)?\s+([+-][\d.]+)(%?)\s+([\d.e+]+)", l)
    if not m:
        continue
    a, ch, pct, b = float(m.group(1)), float(m.group(2)), m.group(3), float(m.group(4))
    got = (b - a) / a * 100 if pct else b - a
    check(abs(got - ch) < 0.051 + (0.1 if not pct else 0), f"%change consistent: {l.strip()[:60]}")
    rows += 1
check(rows == 11, f"11 LKP table rows (got {rows})")
cite = [i for i in by_id if "this\ngives 12.4% improvement on vm-scalability" in body_text(by_id[i])
        or "gives 12.4% improvement on vm-scalability" in body_text(by_id[i])]
check(len(cite) == 1 and mid(by_id[cite[0]]["In-Reply-To"]) == "202403051432.7c1d9e0f-lkp@intel.example", "claim cites the report")

print(f"OK: {ok_count} checks passed")
