// Hand-written diffs and patch mails for the lib/patch tests (our own text, modelled on the hard
// cases of ../shared/fixtures: renames, copies, mode changes, binaries, damaged whitespace, ...).
// The patch-ids noted here were computed with `git patch-id --stable` (git 2.39.5).

export const L = (...lines: string[]) => lines.join("\n") + "\n";

/** two files modified, a function heading, a "\ No newline" at the end of the second */
export const SIMPLE_DIFF = L(
  "diff --git a/drivers/mmc/core/core.c b/drivers/mmc/core/core.c",
  "index 1111111..2222222 100644",
  "--- a/drivers/mmc/core/core.c",
  "+++ b/drivers/mmc/core/core.c",
  "@@ -10,7 +10,8 @@ static int mmc_start(struct mmc_host *host)",
  " \tint err;",
  " ",
  " \terr = mmc_power_up(host);",
  "-\tif (err)",
  "+\tif (err) {",
  "+\t\tpr_err(\"power up failed\\n\");",
  " \t\treturn err;",
  " \treturn 0;",
  " }",
  "diff --git a/README b/README",
  "index 3333333..4444444 100644",
  "--- a/README",
  "+++ b/README",
  "@@ -1,2 +1,2 @@",
  " Hello",
  "-World",
  "\\ No newline at end of file",
  "+World!",
  "\\ No newline at end of file",
);

/** rename with a change, a copy, a mode change, a new and a deleted file */
export const MIXED_DIFF = L(
  "diff --git a/hw/i2c/ddc.c b/hw/display/ddc.c",
  "similarity index 95%",
  "rename from hw/i2c/ddc.c",
  "rename to hw/display/ddc.c",
  "index 5555555..6666666 100644",
  "--- a/hw/i2c/ddc.c",
  "+++ b/hw/display/ddc.c",
  "@@ -3 +3 @@",
  "-#include \"hw/i2c/ddc.h\"",
  "+#include \"hw/display/ddc.h\"",
  "diff --git a/lib/a.c b/lib/b.c",
  "similarity index 100%",
  "copy from lib/a.c",
  "copy to lib/b.c",
  "diff --git a/scripts/run.sh b/scripts/run.sh",
  "old mode 100644",
  "new mode 100755",
  "diff --git a/docs/new.txt b/docs/new.txt",
  "new file mode 100644",
  "index 0000000..7777777",
  "--- /dev/null",
  "+++ b/docs/new.txt",
  "@@ -0,0 +1,2 @@",
  "+first",
  "+second",
  "diff --git a/docs/old.txt b/docs/old.txt",
  "deleted file mode 100644",
  "index 8888888..0000000",
  "--- a/docs/old.txt",
  "+++ /dev/null",
  "@@ -1 +0,0 @@",
  "-gone",
);

/** a binary patch (literal, with its reverse) and a text file after it; --no-prefix names */
export const BINARY_DIFF = L(
  "diff --git pixel.bmp pixel.bmp",
  "new file mode 100644",
  "index 0000000000000000000000000000000000000000..9710347a13c4336e7dbaafa69af0e44a40c21172",
  "GIT binary patch",
  "literal 12",
  "TcmZ?r?PGv|E+AC{#Eft(0hV9^",
  "",
  "literal 0",
  "HcmV?d00001",
  "",
  "diff --git run.sh run.sh",
  "new file mode 100644",
  "index 0000000..f5f929a",
  "--- /dev/null",
  "+++ run.sh",
  "@@ -0,0 +1 @@",
  "+echo hi",
);

export const BINARY_FILES_DIFF = L(
  "diff --git a/logo.png b/logo.png",
  "index 1234567..89abcde 100644",
  "Binary files a/logo.png and b/logo.png differ",
);

/** C-quoted names: a tab and UTF-8 (octal escapes) */
export const QUOTED_DIFF = L(
  'diff --git "a/foo\\tbar" "b/foo\\tbar"',
  "index 1111111..2222222 100644",
  '--- "a/foo\\tbar"',
  '+++ "b/foo\\tbar"',
  "@@ -1 +1 @@",
  "-x",
  "+y",
  'diff --git "a/caf\\303\\251.txt" "b/caf\\303\\251.txt"',
  "new file mode 100644",
  "index 0000000..2222222",
  "--- /dev/null",
  '+++ "b/caf\\303\\251.txt"',
  "@@ -0,0 +1 @@",
  "+ok",
);

/** svn style */
export const INDEX_DIFF = L(
  "Index: src/main.c",
  "===================================================================",
  "--- src/main.c\t(revision 1234)",
  "+++ src/main.c\t(working copy)",
  "@@ -5,3 +5,4 @@ int main(void)",
  " {",
  "+\tinit();",
  " \treturn run();",
  " }",
  "Index: include/main.h",
  "===================================================================",
  "--- include/main.h\t(revision 1234)",
  "+++ include/main.h\t(working copy)",
  "@@ -1 +1,2 @@",
  " #pragma once",
  "+void init(void);",
);

/** CVS style with RCS lines (p0 names) */
export const CVS_DIFF = L(
  "Index: bfd/elf-bfd.h",
  "===================================================================",
  "RCS file: /cvs/src/src/bfd/elf-bfd.h,v",
  "retrieving revision 1.329",
  "diff -u -p -r1.329 elf-bfd.h",
  "--- bfd/elf-bfd.h\t17 Aug 2011 00:39:38 -0000\t1.329",
  "+++ bfd/elf-bfd.h\t5 Dec 2011 20:15:49 -0000",
  "@@ -198,2 +198,3 @@ struct elf_link_hash_entry",
  "   unsigned int unique_global : 1;",
  "+  unsigned int no_sym_version : 1;",
  " };",
);

/** plain diff -u between two trees (quilt style: different top directories) */
export const UNIFIED_DIFF = L(
  "--- linux-2.6.orig/mm/slab.c\t2008-01-01 10:00:00.000000000 +0100",
  "+++ linux-2.6/mm/slab.c\t2008-01-02 11:00:00.000000000 +0100",
  "@@ -100,6 +100,7 @@ static void kmem_init(void)",
  " \tint i;",
  " ",
  " \tfor (i = 0; i < n; i++)",
  "+\t\tcond_resched();",
  " \t\tinit_one(i);",
  " ",
  " \treturn;",
);

/** the leading space of two empty context lines eaten by a mailer */
export const EATEN_DIFF = L(
  "diff --git a/a.c b/a.c",
  "index 1111111..2222222 100644",
  "--- a/a.c",
  "+++ b/a.c",
  "@@ -1,5 +1,5 @@",
  " int x;",
  "",
  "-int y;",
  "+long y;",
  "",
  " int z;",
  "diff --git a/b.c b/b.c",
  "index 3333333..4444444 100644",
  "--- a/b.c",
  "+++ b/b.c",
  "@@ -1 +1 @@",
  "-b",
  "+c",
);

/** a hunk whose counts promise more lines than there are */
export const SHORT_HUNK_DIFF = L(
  "diff --git a/a.c b/a.c",
  "index 1111111..2222222 100644",
  "--- a/a.c",
  "+++ b/a.c",
  "@@ -1,4 +1,4 @@",
  " one",
  "-two",
  "+TWO",
  "-- ",
  "2.39.0",
);

/** a long added line wrapped by a mailer, and a wrapped `diff --git` line */
export const WRAPPED_DIFF = L(
  "diff --git a/Documentation/devicetree/bindings/mmc/very-long-name.yaml",
  "b/Documentation/devicetree/bindings/mmc/very-long-name.yaml",
  "index 1111111..2222222 100644",
  "--- a/Documentation/devicetree/bindings/mmc/very-long-name.yaml",
  "+++ b/Documentation/devicetree/bindings/mmc/very-long-name.yaml",
  "@@ -1,3 +1,3 @@",
  " a:",
  "-  const: 1",
  "+  # a comment so long that the mail client of the sender wrapped it into",
  "two lines",
  " b:",
);

export const CRLF_DIFF = SIMPLE_DIFF.replace(/\n/g, "\r\n");

// ---------------------------------------------------------------------------------------------
// mails (bodies)

export const PATCH_MAIL_SUBJECT = "[PATCH v3 2/5] mmc: core: report power-up failures";
export const PATCH_MAIL = L(
  "Power-up failures were silently returned. Report them, so that",
  "broken regulators show up in the log.",
  "",
  "Fixes: 0123456789ab (\"mmc: core: add mmc_start()\")",
  "Reported-by: Jane Doe <jane@example.org>",
  "Closes: https://lore.kernel.org/r/",
  "  20240101.abcdef@example.org",
  "[ulf: reworded the message]",
  "Signed-off-by: John Roe <john@example.org>",
  "---",
  "v3: print the error once",
  "v2: https://lore.kernel.org/r/v2@example.org",
  "",
  " drivers/mmc/core/core.c | 3 ++-",
  " README                  | 2 +-",
  " 2 files changed, 3 insertions(+), 2 deletions(-)",
  "",
  ...SIMPLE_DIFF.trimEnd().split("\n"),
  "",
  "base-commit: 0123456789abcdef0123456789abcdef01234567",
  "-- ",
  "2.43.0",
  "",
);

export const INBODY_MAIL = L(
  "From: Original Author <orig@example.org>",
  "Date: Mon, 1 Jan 2024 10:00:00 +0100",
  "Subject: [PATCH] mmc: host: fix the",
  " wrapped subject",
  "",
  "The body.",
  "",
  "Signed-off-by: Original Author <orig@example.org>",
  "---",
  ...SIMPLE_DIFF.trimEnd().split("\n"),
);

export const SCISSORS_MAIL = L(
  "On Tue, Jan 2, 2024 at 10:00 AM Jane Doe <jane@example.org> wrote:",
  "> The card never powers up.",
  "",
  "Does this help?",
  "",
  "-- >8 --",
  "Subject: mmc: core: retry power up",
  "",
  "Retry once.",
  "",
  "Signed-off-by: John Roe <john@example.org>",
  "---",
  ...SIMPLE_DIFF.trimEnd().split("\n"),
);

export const QUOTING_REPLY = L(
  "On Tue, Jan 2, 2024 at 10:00 AM John Roe <john@example.org> wrote:",
  "> diff --git a/drivers/mmc/core/core.c b/drivers/mmc/core/core.c",
  "> index 1111111..2222222 100644",
  "> --- a/drivers/mmc/core/core.c",
  "> +++ b/drivers/mmc/core/core.c",
  "> @@ -10,7 +10,8 @@ static int mmc_start(struct mmc_host *host)",
  ">  \tint err;",
  "> -\tif (err)",
  "> +\tif (err) {",
  "",
  "This leaks the clock. Please fix.",
  "",
  "Reviewed-by: Jane Doe <jane@example.org>",
);

export const INLINE_REPLY = L(
  "On Tue, Jan 2, 2024 at 10:00 AM John Roe <john@example.org> wrote:",
  "> Power-up failures were silently returned.",
  "",
  "I would rather do something like this (untested):",
  "",
  ...SIMPLE_DIFF.trimEnd().split("\n"),
  "",
  "Thanks,",
  "Jane",
);

export const COVER_NOTE = L("Hi,", "", "the patch is attached, my mailer mangles inline patches.", "", "Thanks,", "John");

export const FORMAT_PATCH_FILE = L(
  "From 0123456789abcdef0123456789abcdef01234567 Mon Sep 17 00:00:00 2001",
  "From: John Roe <john@example.org>",
  "Date: Tue, 2 Jan 2024 10:00:00 +0100",
  "Subject: [PATCH] mmc: core: report power-up failures",
  "",
  "Report them.",
  "",
  "Signed-off-by: John Roe <john@example.org>",
  "---",
  " drivers/mmc/core/core.c | 3 ++-",
  " README                  | 2 +-",
  " 2 files changed, 3 insertions(+), 2 deletions(-)",
  "",
  ...SIMPLE_DIFF.trimEnd().split("\n"),
  "-- ",
  "2.43.0",
);

/** `git patch-id --stable` (and --unstable) of the diffs above, from git 2.39.5; null: git prints nothing */
export const GIT_IDS: Record<string, { stable: string | null; unstable: string | null }> = {
  SIMPLE_DIFF: { stable: "2a8e36027c9c2f784a90760718007aca8b0fcc0b", unstable: "ee211d5db1eceb7b6ecfecc432f2e0e43b866ecf" },
  CRLF_DIFF: { stable: "2a8e36027c9c2f784a90760718007aca8b0fcc0b", unstable: "ee211d5db1eceb7b6ecfecc432f2e0e43b866ecf" },
  MIXED_DIFF: { stable: "b73b27ccfe20682251771e3cf19832bef159a1b9", unstable: "76d60a48d7aea79e5bb832c71e8e0dad98f6bc48" },
  BINARY_DIFF: { stable: "32755119a2f7a08d073e3b0b090747c787dd2738", unstable: "a77ac3c13f6344fd1037136c06f58d87444b7a71" },
  BINARY_FILES_DIFF: { stable: "4f2e1e70186443117a568816c0cf7e3e0b600674", unstable: "75f47a81b9f8f7034801c9262a6f66ae5b87fe6a" },
  QUOTED_DIFF: { stable: "136df6c7bc8f2cfac5d8dfde921ba882b06aa5de", unstable: "683d19e19aa80a597535e3d7eda1040b8e4f52c3" },
  CVS_DIFF: { stable: "f0c48943826c9a2c97ac9d83cfbd3a39c556672c", unstable: "f0c48943826c9a2c97ac9d83cfbd3a39c556672c" },
  WRAPPED_DIFF: { stable: "767ffc0268b9c0e3f815941aa42fd5f044494dd2", unstable: "767ffc0268b9c0e3f815941aa42fd5f044494dd2" },
  // git does not count the eaten lines and runs past the hunk into the next file's header
  EATEN_DIFF: { stable: "09a306a379f205205f97aca275271233ea8a9538", unstable: "09a306a379f205205f97aca275271233ea8a9538" },
  // git counts the signature separator and the version line into the cut hunk
  SHORT_HUNK_DIFF: { stable: "c59a5ce98739fbc385885e27d4543fa527da1b89", unstable: "c59a5ce98739fbc385885e27d4543fa527da1b89" },
  INDEX_DIFF: { stable: null, unstable: null },
  UNIFIED_DIFF: { stable: null, unstable: null },
};

/** git patch-id --stable of EATEN_DIFF with the two spaces given back (what git am would commit) */
export const EATEN_DIFF_REPAIRED_ID = "e5ee54e62385f38da36733136e93948bef98493e";
/** git patch-id --stable of SHORT_HUNK_DIFF cut before the signature */
export const SHORT_HUNK_PARSED_ID = "8103e7c561b79dda5d41ac2519c6220c557b5a6a";
