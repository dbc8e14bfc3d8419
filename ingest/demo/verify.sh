#!/usr/bin/env bash
# Verify ingest/demo/demo.mbox:
#   1. generate.sh reproduces it byte for byte
#   2. verify.py: structure, threading, charset, quoting, trailers, numbers
#   3. git mailsplit/mailinfo can read it, patch-ids relate as documented,
#      and every posted series applies (git am) to its base-commit,
#      giving exactly the tree the generator committed.
# No network.  Needs bash, git, node, python3.

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mbox=$here/demo.mbox
tmp=$(mktemp -d "${TMPDIR:-/tmp}/patchlore-demo-verify.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME=$tmp GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C
export GIT_AUTHOR_NAME=verify GIT_AUTHOR_EMAIL=verify@example.org
export GIT_COMMITTER_NAME=verify GIT_COMMITTER_EMAIL=verify@example.org

fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. reproducible ------------------------------------------------------------
PATCHLORE_DEMO_KEEP=$tmp/keep "$here/generate.sh" "$tmp/regen.mbox" 2>/dev/null
cmp -s "$tmp/regen.mbox" "$mbox" || fail "generate.sh output differs from demo.mbox"
echo "ok: generate.sh reproduces demo.mbox"

# 2. structure -----------------------------------------------------------------
python3 "$here/verify.py" "$mbox"

# 3. git -------------------------------------------------------------------------
mkdir -p "$tmp/split"
n=$(git mailsplit --mboxrd -o"$tmp/split" "$mbox")
[ "$n" = 58 ] || fail "git mailsplit found $n messages"
echo "ok: git mailsplit --mboxrd: $n messages"

pick() { # Message-ID -> split file
	local f
	f=$(grep -l -F -x "Message-ID: <$1>" "$tmp"/split/* || true)
	[ -n "$f" ] || fail "no message $1"
	echo "$f"
}
info() { # file -> writes $tmp/msg $tmp/patch, prints mailinfo summary
	git mailinfo "$tmp/msg" "$tmp/patch" < "$1"
}
pid() { info "$(pick "$1")" >/dev/null; git patch-id --stable < "$tmp/patch" | cut -d' ' -f1; }

sum=$(info "$(pick 20230620071000.91127-3-mira@kernel.example)")
grep -q '^Subject: mm/vmscan: batch LRU rotation through the rotation queue$' <<<"$sum" || fail "mailinfo subject: $sum"
grep -q '^Author: Mira Kovacs$' <<<"$sum" || fail "mailinfo author: $sum"
sum=$(info "$(pick 20250114093000.11842-1-priya.raman@example.com)")
grep -q '^Subject: mm/rotation: drain the rotation queue when a node goes offline$' <<<"$sum" || fail "mailinfo subject: $sum"
grep -q '^Closes: https://lore.kernel.org/r/CAJ8vXk2Rm5Qn0pL7tH3wE9yB4cZ6uF1dA8s@mail.example.com$' "$tmp/msg" || fail "mailinfo lost Closes:"
sum=$(info "$(pick 20230412-rotation-queue-v3-4-b18e4f7a2c90@kernel.example)")
grep -q 'Acked-by: René Lefèvre' "$tmp/msg" || fail "mailinfo did not decode UTF-8 trailer"
echo "ok: git mailinfo"

V1=20230620071000.91127 V2=20230412-rotation-queue-v2 V3=20230412-rotation-queue-v3
v1_1=$(pid $V1-2-mira@kernel.example) v1_2=$(pid $V1-3-mira@kernel.example) v1_3=$(pid $V1-4-mira@kernel.example)
v2_1=$(pid $V2-1-6a1f0c2e9d3b@kernel.example) v2_2=$(pid $V2-2-6a1f0c2e9d3b@kernel.example)
v2_3=$(pid $V2-3-6a1f0c2e9d3b@kernel.example) v2_4=$(pid $V2-4-6a1f0c2e9d3b@kernel.example)
v3_1=$(pid $V3-1-b18e4f7a2c90@kernel.example) v3_2=$(pid $V3-2-b18e4f7a2c90@kernel.example)
v3_3=$(pid $V3-3-b18e4f7a2c90@kernel.example) v3_4=$(pid $V3-4-b18e4f7a2c90@kernel.example)
[ "$v1_2" = "$v2_3" ] && [ "$v2_3" = "$v3_3" ] || fail "vmscan patch-id differs across versions"
[ "$v1_3" = "$v2_4" ] || fail "docs patch-id v1/v2 differs"
[ "$v2_4" != "$v3_4" ] || fail "docs patch-id v2/v3 should differ"
[ "$v1_1" != "$v2_2" ] || fail "queue patch-id v1/v2 should differ"
[ "$v2_2" = "$v3_2" ] && [ "$v2_1" = "$v3_1" ] || fail "v2/v3 patch-ids 1,2 should agree"
echo "ok: patch-id --stable: v1 2/3 = v2 3/4 = v3 3/4 ($v1_2); v1 3/3 = v2 4/4; v1 1/3 != v2 2/4 = v3 2/4; v2 4/4 != v3 4/4"

git clone -q "$tmp/keep/tree.git" "$tmp/am"
apply() { # name base-tag expected-branch message-ids...
	local name=$1 base=$2 want=$3 id cover
	shift 3
	git -C "$tmp/am" checkout -q --detach "$base"
	for id in "$@"; do
		git -C "$tmp/am" am -q "$(pick "$id")" || fail "$name: git am failed on $id"
	done
	git -C "$tmp/am" diff --quiet "origin/$want" HEAD || fail "$name: applied tree differs from $want"
	echo "ok: $name applies to $base ($(git -C "$tmp/am" rev-parse --short=12 "$base")) with git am"
}
apply RFC base-v1 rfc 20230412081500.48213-{2,3}-mira@kernel.example
apply v1 base-v1 v1 $V1-{2,3,4}-mira@kernel.example
apply v2 base-v2 v2 $V2-{1,2,3,4}-6a1f0c2e9d3b@kernel.example
apply v3 base-v3 v3 $V3-{1,2,3,4}-b18e4f7a2c90@kernel.example
git -C "$tmp/am" am -q "$(pick 20250114093000.11842-1-priya.raman@example.com)" || fail "fix does not apply on v3"
git -C "$tmp/am" diff --quiet origin/offline HEAD || fail "fix: tree differs"
echo "ok: 2025 fix applies on top of v3"

for tag in base-v1 base-v2 base-v3; do
	h=$(git -C "$tmp/am" rev-parse "$tag")
	grep -q -x "base-commit: $h" "$mbox" || fail "base-commit $h ($tag) not in a cover letter"
done
echo "ok: cover letters name the real base commits"
echo "all checks passed"
