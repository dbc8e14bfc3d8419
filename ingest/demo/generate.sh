#!/usr/bin/env bash
# Regenerate ingest/demo/demo.mbox, the patchlore demo corpus.
#
# 1. Builds a tiny, invented "mm" source tree in a throw-away git repo
#    (a handful of C/rst files written for this corpus; NOT kernel code).
# 2. Commits every patch of every posted version (RFC, v1, v2, v3 and a
#    2025 follow-up fix) and runs `git format-patch` so that diffs, index
#    lines, diffstats and hunk headers are real.
# 3. Runs assemble.mjs, which rewrites the mail headers and adds the
#    hand-written review replies, and writes demo.mbox (mboxrd).
#
# Deterministic: fixed author/committer names and dates, no network,
# no user git configuration.  Needs bash, git (>= 2.32), perl and node.
#
# Usage: ingest/demo/generate.sh [output.mbox]   (default: ./demo.mbox)

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/demo.mbox}
work=$(mktemp -d "${TMPDIR:-/tmp}/patchlore-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT

export HOME=$work
export GIT_CONFIG_NOSYSTEM=1
export GIT_CONFIG_GLOBAL=/dev/null
export TZ=UTC LC_ALL=C

repo=$work/tree
git init -q -b master "$repo"
cd "$repo"
git config core.abbrev 12
git config user.useConfigOnly false

# mkcommit "Name <email>" "date" < message
mkcommit() {
	local who=$1 when=$2 name email
	name=${who% <*}
	email=${who##*<}
	email=${email%>}
	git add -A
	GIT_AUTHOR_NAME=$name GIT_AUTHOR_EMAIL=$email GIT_AUTHOR_DATE=$when \
	GIT_COMMITTER_NAME=$name GIT_COMMITTER_EMAIL=$email GIT_COMMITTER_DATE=$when \
		git commit -q -F -
}

# put path < contents
put() {
	mkdir -p "$(dirname "$1")"
	cat > "$1"
}

MIRA='Mira Kovacs <mira@kernel.example>'
PRIYA='Priya Raman <priya.raman@example.com>'
HIDEO='Hideo Tanabe <htanabe@mm.example>'
GRETA='Greta Lindqvist <greta@kernel.example>'
WEI='Wei Zhang <wei.zhang@example.com>'
RENE='René Lefèvre <rene.lefevre@example.net>'

###########################################################################
# Base tree
###########################################################################

put README <<'EOF'
patchlore demo tree
===================

This is an invented, miniature "memory management" source tree.  It
exists only so that the patches in the patchlore demo corpus
(ingest/demo/demo.mbox) are real git patches with correct diffs.

The code borrows the vocabulary of Linux memory management (folios,
lruvecs, nodes) but is written from scratch for the demo.  It does not
build and is not derived from the Linux kernel.
EOF

put MAINTAINERS <<'EOF'
List of maintainers for the patchlore demo tree
===============================================

MEMORY MANAGEMENT
M:	Daniel Okafor <dokafor@example.org>
L:	demo@lists.patchlore.example
S:	Maintained
F:	include/linux/mmzone.h
F:	mm/
EOF

put Documentation/admin-guide/mm/index.rst <<'EOF'
.. SPDX-License-Identifier: GPL-2.0

=================
Memory Management
=================

These documents describe the knobs and statistics of the demo memory
management code that an administrator may want to look at.

.. toctree::
   :maxdepth: 1

   concepts
   ksm
   numa_memory_policy
   pagemap
   swap_numa
   transhuge
EOF

put include/linux/mmzone.h <<'EOF'
/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_MMZONE_H
#define _LINUX_MMZONE_H

/*
 * Node and LRU definitions for the patchlore demo tree.  Only the parts
 * that the demo mm/ files use are here.
 */

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#define DEF_PRIORITY 12

enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

#define for_each_evictable_lru(lru) \
	for (lru = 0; lru <= LRU_ACTIVE_FILE; lru++)

static inline bool is_file_lru(enum lru_list lru)
{
	return lru == LRU_INACTIVE_FILE || lru == LRU_ACTIVE_FILE;
}

static inline bool is_inactive_lru(enum lru_list lru)
{
	return lru == LRU_INACTIVE_ANON || lru == LRU_INACTIVE_FILE;
}

struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	spinlock_t lru_lock;
	unsigned long nr_pages[NR_LRU_LISTS];
	struct pglist_data *pgdat;
};

typedef struct pglist_data {
	int node_id;
	unsigned long node_present_pages;

	/* Fields commonly accessed by the page reclaim scanner */
	struct lruvec __lruvec;
	wait_queue_head_t kswapd_wait;
	struct task_struct *kswapd;
	int kswapd_order;

	/* Per-node vmstats */
	atomic_long_t vm_stat[NR_VM_NODE_STAT_ITEMS];
} pg_data_t;

static inline struct lruvec *node_lruvec(struct pglist_data *pgdat)
{
	return &pgdat->__lruvec;
}

static inline struct pglist_data *lruvec_pgdat(struct lruvec *lruvec)
{
	return lruvec->pgdat;
}

#endif /* _LINUX_MMZONE_H */
EOF

put mm/Makefile <<'EOF'
# SPDX-License-Identifier: GPL-2.0
#
# Makefile for the patchlore demo mm tree.
#

obj-y := swap.o vmscan.o
EOF

# --- mm/swap.c --------------------------------------------------------------
swap_c() { # $1 = none | buggy | fixed
	cat <<'EOF'
// SPDX-License-Identifier: GPL-2.0
/*
 * mm/swap.c - LRU list helpers for the patchlore demo tree
 *
 * Invented for the demo corpus; not derived from the kernel's mm/swap.c.
 */

#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mmzone.h>
#include <linux/swap.h>
#include <linux/vmstat.h>

/**
 * folio_add_lru - add a folio to the LRU list it belongs on
 * @folio: the folio to be added
 */
void folio_add_lru(struct folio *folio)
{
	struct lruvec *lruvec;
	unsigned long flags;

	VM_BUG_ON_FOLIO(folio_test_lru(folio), folio);

	folio_get(folio);
	lruvec = folio_lruvec_lock_irqsave(folio, &flags);
	folio_set_lru(folio);
	lruvec_add_folio(lruvec, folio);
	lruvec_unlock_irqrestore(lruvec, flags);
}

EOF
	if [ "$1" != none ]; then
		cat <<'EOF'
/**
 * folio_rotate_reclaimable - move a folio to the tail of the inactive list
 * @folio: the folio
 *
 * Writeback has finished on a folio that reclaim wanted to free.  If it
 * is still reclaimable, put it at the tail of its inactive list so that
 * the next reclaim pass finds it first.  Called from writeback
 * completion, possibly in interrupt context.
 */
void folio_rotate_reclaimable(struct folio *folio)
{
	struct lruvec *lruvec;
	unsigned long flags;

EOF
		if [ "$1" = buggy ]; then
			cat <<'EOF'
	if (folio_test_locked(folio) || folio_test_dirty(folio))
		return;
EOF
		else
			cat <<'EOF'
	if (folio_test_locked(folio) || folio_test_dirty(folio) ||
	    folio_test_unevictable(folio))
		return;
EOF
		fi
		cat <<'EOF'
	if (!folio_test_lru(folio))
		return;

	lruvec = folio_lruvec_lock_irqsave(folio, &flags);
	if (folio_test_lru(folio) && !folio_test_active(folio)) {
		lruvec_del_folio(lruvec, folio);
		lruvec_add_folio_tail(lruvec, folio);
		__count_vm_events(PGROTATED, folio_nr_pages(folio));
	}
	lruvec_unlock_irqrestore(lruvec, flags);
}

EOF
	fi
	cat <<'EOF'
/**
 * folio_mark_accessed - note that a folio has been used
 * @folio: the folio
 *
 * The first access sets the referenced flag; a second access while the
 * flag is still set moves the folio to the active list.
 */
void folio_mark_accessed(struct folio *folio)
{
	if (!folio_test_referenced(folio)) {
		folio_set_referenced(folio);
		return;
	}

	if (folio_test_active(folio) || folio_test_unevictable(folio))
		return;

	folio_activate(folio);
	folio_clear_referenced(folio);
}

/**
 * folio_deactivate - move a folio to the inactive list
 * @folio: the folio
 */
void folio_deactivate(struct folio *folio)
{
	struct lruvec *lruvec;
	unsigned long flags;

	if (!folio_test_lru(folio) || !folio_test_active(folio))
		return;

	lruvec = folio_lruvec_lock_irqsave(folio, &flags);
	if (folio_test_lru(folio) && folio_test_active(folio)) {
		lruvec_del_folio(lruvec, folio);
		folio_clear_active(folio);
		lruvec_add_folio(lruvec, folio);
		__count_vm_events(PGDEACTIVATE, folio_nr_pages(folio));
	}
	lruvec_unlock_irqrestore(lruvec, flags);
}
EOF
}

# --- mm/vmscan.c ------------------------------------------------------------
vmscan_c() { # $1 = base | locking | rfc | v1
	local v=$1
	cat <<'EOF'
// SPDX-License-Identifier: GPL-2.0
/*
 * mm/vmscan.c - a simplified model of LRU page reclaim
 *
 * This is an invented, self-contained file for the patchlore demo
 * corpus.  It borrows the vocabulary of Linux memory management but is
 * not derived from the kernel's mm/vmscan.c.
 */

#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mmzone.h>
EOF
	case $v in rfc|v1) echo '#include <linux/rotation.h>' ;; esac
	cat <<'EOF'
#include <linux/swap.h>
#include <linux/vmstat.h>

struct scan_control {
	/* How many pages shrink_node() should reclaim */
	unsigned long nr_to_reclaim;

	/* Scan (total_size >> priority) pages at once */
	int priority;

	/* Can dirty folios be written back during reclaim? */
	unsigned int may_writepage:1;

	/* Can mapped folios be reclaimed? */
	unsigned int may_unmap:1;

	/* Incremented by the number of pages scanned/reclaimed/rotated */
	unsigned long nr_scanned;
	unsigned long nr_reclaimed;
	unsigned long nr_rotated;
};

EOF
	if [ "$v" != base ]; then
		cat <<'EOF'
/*
 * Lock ordering in this file:
 *
 *   folio_lock
 *     lruvec->lru_lock		(IRQ-safe)
 *
 * The lru_lock is always taken with interrupts disabled, because
 * writeback completion may rotate folios from interrupt context, see
 * folio_rotate_reclaimable().
 */

EOF
	fi
	cat <<'EOF'
static bool folio_needs_rotation(struct folio *folio, struct scan_control *sc)
{
	if (folio_test_referenced(folio))
		return true;

	/* Still under writeback: give it another trip around the LRU */
	if (folio_test_writeback(folio))
		return true;

	if (folio_mapped(folio) && !sc->may_unmap)
		return true;

	return false;
}

EOF
	if [ "$v" != v1 ]; then
		cat <<'EOF'
/*
 * Put a folio that reclaim decided to keep back at the tail of its
 * inactive list, so that the next scan looks at it last.
 */
static void rotate_folio_locked(struct lruvec *lruvec, struct folio *folio)
{
	lockdep_assert_held(&lruvec->lru_lock);

	folio_set_lru(folio);
	lruvec_add_folio_tail(lruvec, folio);
	__count_vm_events(PGROTATED, folio_nr_pages(folio));
}

EOF
	fi
	cat <<'EOF'
static unsigned int shrink_folio_list(struct list_head *folio_list,
				      struct pglist_data *pgdat,
				      struct scan_control *sc)
{
	unsigned int nr_reclaimed = 0;
	struct folio *folio, *next;

	list_for_each_entry_safe(folio, next, folio_list, lru) {
EOF
	case $v in
	base|locking) cat <<'EOF'
		struct lruvec *lruvec;

		if (folio_needs_rotation(folio, sc)) {
			list_del(&folio->lru);
			lruvec = folio_lruvec_lock_irq(folio);
			rotate_folio_locked(lruvec, folio);
			lruvec_unlock_irq(lruvec);
			sc->nr_rotated += folio_nr_pages(folio);
			continue;
		}
EOF
	;;
	rfc) cat <<'EOF'
		if (folio_needs_rotation(folio, sc)) {
			list_del(&folio->lru);
			rotation_queue_add(folio);
			sc->nr_rotated += folio_nr_pages(folio);
			continue;
		}
EOF
	;;
	v1) cat <<'EOF'
		if (folio_needs_rotation(folio, sc)) {
			/*
			 * Keep the folio: let the rotation queue put it back
			 * on the LRU together with others, instead of taking
			 * the lru_lock for it here.
			 */
			list_del(&folio->lru);
			sc->nr_rotated += folio_nr_pages(folio);
			rotation_queue_add(folio);
			continue;
		}
EOF
	;;
	esac
	cat <<'EOF'

		if (!folio_trylock(folio))
			continue;

		if (folio_test_dirty(folio) && !sc->may_writepage) {
			folio_unlock(folio);
			continue;
		}

		list_del(&folio->lru);
		folio_unlock(folio);
		nr_reclaimed += folio_nr_pages(folio);
		folio_put(folio);
	}

EOF
	if [ "$v" = rfc ]; then
		cat <<'EOF'
	rotation_queue_drain(pgdat);
EOF
	fi
	cat <<'EOF'
	return nr_reclaimed;
}

static unsigned long isolate_lru_folios(unsigned long nr_to_scan,
					struct lruvec *lruvec,
					struct list_head *dst,
					enum lru_list lru)
{
	struct list_head *src = &lruvec->lists[lru];
	unsigned long nr_taken = 0;

	while (nr_taken < nr_to_scan && !list_empty(src)) {
		struct folio *folio = lru_to_folio(src);

		if (!folio_try_get(folio)) {
			list_move(&folio->lru, src);
			continue;
		}

		folio_clear_lru(folio);
		lruvec_del_folio(lruvec, folio);
		list_add(&folio->lru, dst);
		nr_taken += folio_nr_pages(folio);
	}

	return nr_taken;
}

static unsigned long shrink_inactive_list(unsigned long nr_to_scan,
					  struct lruvec *lruvec,
					  struct scan_control *sc,
					  enum lru_list lru)
{
	struct pglist_data *pgdat = lruvec_pgdat(lruvec);
	unsigned long nr_taken;
	unsigned int nr_reclaimed;
	LIST_HEAD(folio_list);

	spin_lock_irq(&lruvec->lru_lock);
	nr_taken = isolate_lru_folios(nr_to_scan, lruvec, &folio_list, lru);
	__mod_node_page_state(pgdat, NR_ISOLATED_ANON + is_file_lru(lru),
			      nr_taken);
	spin_unlock_irq(&lruvec->lru_lock);

	if (!nr_taken)
		return 0;

	sc->nr_scanned += nr_taken;
	nr_reclaimed = shrink_folio_list(&folio_list, pgdat, sc);

EOF
	if [ "$v" = v1 ]; then
		cat <<'EOF'
	/*
	 * Put back what shrink_folio_list() queued for rotation before the
	 * folios stop being accounted as isolated.
	 */
	rotation_queue_drain(pgdat);

EOF
	fi
	cat <<'EOF'
	spin_lock_irq(&lruvec->lru_lock);
	move_folios_to_lru(lruvec, &folio_list);
	__mod_node_page_state(pgdat, NR_ISOLATED_ANON + is_file_lru(lru),
			      -nr_taken);
	spin_unlock_irq(&lruvec->lru_lock);

	sc->nr_reclaimed += nr_reclaimed;
	return nr_reclaimed;
}

static void shrink_node(struct pglist_data *pgdat, struct scan_control *sc)
{
	struct lruvec *lruvec = node_lruvec(pgdat);
	enum lru_list lru;

	for_each_evictable_lru(lru) {
		unsigned long nr_to_scan;

		if (!is_inactive_lru(lru))
			continue;

		nr_to_scan = lruvec_lru_size(lruvec, lru) >> sc->priority;
		shrink_inactive_list(nr_to_scan, lruvec, sc, lru);

		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
}

/**
 * try_to_free_pages_node - reclaim memory from one node
 * @pgdat: the node
 * @nr_to_reclaim: how many pages the caller would like freed
 *
 * Return: the number of pages reclaimed.
 */
unsigned long try_to_free_pages_node(struct pglist_data *pgdat,
				     unsigned long nr_to_reclaim)
{
	struct scan_control sc = {
		.nr_to_reclaim = nr_to_reclaim,
		.priority = DEF_PRIORITY,
		.may_writepage = 1,
		.may_unmap = 1,
	};

	do {
		shrink_node(pgdat, &sc);
		if (sc.nr_reclaimed >= sc.nr_to_reclaim)
			break;
	} while (--sc.priority >= 0);

	return sc.nr_reclaimed;
}
EOF
}

# --- include/linux/rotation.h ----------------------------------------------
rotation_h() { # $1 = rfc | v1
	if [ "$1" = rfc ]; then
		cat <<'EOF'
/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_ROTATION_H
#define _LINUX_ROTATION_H

#include <linux/list.h>
#include <linux/spinlock.h>

struct folio;
struct pglist_data;

/*
 * Folios that reclaim decided to keep, waiting to be put back at the
 * tail of their inactive list.
 */
struct rotation_queue {
	spinlock_t lock;
	struct list_head folios;
	unsigned int nr;
};

void rotation_queue_init(struct pglist_data *pgdat);
void rotation_queue_add(struct folio *folio);
void rotation_queue_drain(struct pglist_data *pgdat);

#endif /* _LINUX_ROTATION_H */
EOF
	else
		cat <<'EOF'
/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _LINUX_ROTATION_H
#define _LINUX_ROTATION_H

#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/spinlock.h>

struct folio;
struct pglist_data;

/**
 * struct rotation_queue - folios waiting to go back on the LRU
 * @lock: protects @folios and @nr
 * @folios: queued folios, linked through folio->lru
 * @nr: number of folios on @folios
 * @nr_drained: folios rotated by rotation_queue_drain() since boot
 *
 * Reclaim queues folios it decided to keep (referenced, or still under
 * writeback) here instead of taking the lruvec lock for each of them.
 * A queued folio has PG_lru clear and is still accounted as isolated.
 */
struct rotation_queue {
	spinlock_t lock;
	struct list_head folios;
	unsigned int nr;
	atomic_long_t nr_drained;
};

void rotation_queue_add(struct folio *folio);
void rotation_queue_drain(struct pglist_data *pgdat);

#endif /* _LINUX_ROTATION_H */
EOF
	fi
}

# --- mm/rotation.c ----------------------------------------------------------
rotation_c() { # $1 = rfc | v1 | v2 | offline
	local v=$1
	cat <<'EOF'
// SPDX-License-Identifier: GPL-2.0
/*
 * Per-node rotation queue
 *
 * Reclaim often decides to keep a folio it has isolated (it was
 * referenced, or is still under writeback) and puts it back at the tail
 * of the inactive list.  Doing that one folio at a time costs one
 * lru_lock round trip per folio.  The rotation queue collects such
 * folios per node and moves them back in batches.
 */

EOF
	if [ "$v" = rfc ]; then
		cat <<'EOF'
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mmzone.h>
#include <linux/rotation.h>
#include <linux/vmstat.h>

#define ROTATION_BATCH	32

void rotation_queue_init(struct pglist_data *pgdat)
{
	struct rotation_queue *rq = &pgdat->rotq;

	spin_lock_init(&rq->lock);
	INIT_LIST_HEAD(&rq->folios);
	rq->nr = 0;
}

static void rotate_one(struct folio *folio)
{
	struct lruvec *lruvec;

	lruvec = folio_lruvec_lock_irq(folio);
	folio_set_lru(folio);
	lruvec_add_folio_tail(lruvec, folio);
	__count_vm_events(PGROTATED, folio_nr_pages(folio));
	lruvec_unlock_irq(lruvec);
}

void rotation_queue_drain(struct pglist_data *pgdat)
{
	struct rotation_queue *rq = &pgdat->rotq;
	struct folio *folio, *next;
	LIST_HEAD(batch);

	spin_lock(&rq->lock);
	list_splice_init(&rq->folios, &batch);
	rq->nr = 0;
	spin_unlock(&rq->lock);

	list_for_each_entry_safe(folio, next, &batch, lru) {
		list_del(&folio->lru);
		rotate_one(folio);
	}
}

void rotation_queue_add(struct folio *folio)
{
	struct pglist_data *pgdat = folio_pgdat(folio);
	struct rotation_queue *rq = &pgdat->rotq;
	bool full;

	spin_lock(&rq->lock);
	list_add_tail(&folio->lru, &rq->folios);
	full = ++rq->nr >= ROTATION_BATCH;
	spin_unlock(&rq->lock);

	if (full)
		rotation_queue_drain(pgdat);
}
EOF
		return
	fi

	# v1, v2 and the 2025 follow-up share most of the file.
	echo '#include <linux/init.h>'
	[ "$v" = offline ] && echo '#include <linux/memory.h>'
	cat <<'EOF'
#include <linux/mm.h>
#include <linux/mm_inline.h>
#include <linux/mmzone.h>
#include <linux/rotation.h>
EOF
	[ "$v" != v1 ] && echo '#include <linux/sysctl.h>'
	echo '#include <linux/vmstat.h>'
	echo
	if [ "$v" = v1 ]; then
		cat <<'EOF'
/* Drain the queue once it holds this many folios */
#define ROTATION_BATCH	32
EOF
	else
		cat <<'EOF'
#define ROTATION_BATCH_DEFAULT	32
#define ROTATION_BATCH_MAX	512

/* Drain the queue once it holds this many folios; vm.rotation_batch */
static unsigned int sysctl_rotation_batch __read_mostly = ROTATION_BATCH_DEFAULT;
static unsigned int rotation_batch_max = ROTATION_BATCH_MAX;

static struct ctl_table rotation_sysctl_table[] = {
	{
		.procname	= "rotation_batch",
		.data		= &sysctl_rotation_batch,
		.maxlen		= sizeof(unsigned int),
		.mode		= 0644,
		.proc_handler	= proc_douintvec_minmax,
		.extra1		= SYSCTL_ONE,
		.extra2		= &rotation_batch_max,
	},
};
EOF
	fi
	cat <<'EOF'

static void __init rotation_queue_init(struct pglist_data *pgdat)
{
	struct rotation_queue *rq = &pgdat->rotq;

	spin_lock_init(&rq->lock);
	INIT_LIST_HEAD(&rq->folios);
	rq->nr = 0;
	atomic_long_set(&rq->nr_drained, 0);
}

/*
 * Move a batch of folios back to the tail of their inactive lists.
 * Consecutive folios usually belong to the same lruvec, so the lru_lock
 * is only dropped and re-taken when the lruvec changes.
 */
static void rotate_batch(struct list_head *batch)
{
	struct lruvec *lruvec = NULL;
	struct folio *folio, *next;
EOF
	if [ "$v" = v1 ]; then
		cat <<'EOF'

	list_for_each_entry_safe(folio, next, batch, lru) {
		list_del(&folio->lru);
		lruvec = folio_lruvec_relock_irq(folio, lruvec);
		folio_set_lru(folio);
		lruvec_add_folio_tail(lruvec, folio);
		__count_vm_events(PGROTATED, folio_nr_pages(folio));
	}

	if (lruvec)
		lruvec_unlock_irq(lruvec);
}
EOF
	else
		cat <<'EOF'
	unsigned long flags;

	list_for_each_entry_safe(folio, next, batch, lru) {
		list_del(&folio->lru);
		lruvec = folio_lruvec_relock_irqsave(folio, lruvec, &flags);
		folio_set_lru(folio);
		lruvec_add_folio_tail(lruvec, folio);
		__count_vm_events(PGROTATED, folio_nr_pages(folio));
	}

	if (lruvec)
		lruvec_unlock_irqrestore(lruvec, flags);
}
EOF
	fi
	cat <<'EOF'

/**
 * rotation_queue_drain - rotate all folios queued on a node
 * @pgdat: the node whose queue to drain
 */
void rotation_queue_drain(struct pglist_data *pgdat)
{
	struct rotation_queue *rq = &pgdat->rotq;
	unsigned int nr;
	LIST_HEAD(batch);
EOF
	if [ "$v" = v1 ]; then
		cat <<'EOF'

	spin_lock(&rq->lock);
	list_splice_init(&rq->folios, &batch);
	nr = rq->nr;
	rq->nr = 0;
	spin_unlock(&rq->lock);
EOF
	else
		cat <<'EOF'
	unsigned long flags;

	spin_lock_irqsave(&rq->lock, flags);
	list_splice_init(&rq->folios, &batch);
	nr = rq->nr;
	rq->nr = 0;
	spin_unlock_irqrestore(&rq->lock, flags);
EOF
	fi
	cat <<'EOF'

	if (!nr)
		return;

	rotate_batch(&batch);
	atomic_long_add(nr, &rq->nr_drained);
}

/**
 * rotation_queue_add - queue an isolated folio for rotation
 * @folio: the folio, isolated from its LRU list and not on any list
 *
 * The folio is put back at the tail of its inactive list the next time
 * the queue of its node is drained.
 */
void rotation_queue_add(struct folio *folio)
{
	struct pglist_data *pgdat = folio_pgdat(folio);
	struct rotation_queue *rq = &pgdat->rotq;
EOF
	if [ "$v" = v1 ]; then
		cat <<'EOF'
	bool full;

	VM_BUG_ON_FOLIO(folio_test_lru(folio), folio);

	spin_lock(&rq->lock);
	list_add_tail(&folio->lru, &rq->folios);
	full = ++rq->nr >= ROTATION_BATCH;
	spin_unlock(&rq->lock);
EOF
	else
		cat <<'EOF'
	unsigned long flags;
	bool full;

	VM_BUG_ON_FOLIO(folio_test_lru(folio), folio);

	spin_lock_irqsave(&rq->lock, flags);
	list_add_tail(&folio->lru, &rq->folios);
	full = ++rq->nr >= READ_ONCE(sysctl_rotation_batch);
	spin_unlock_irqrestore(&rq->lock, flags);
EOF
	fi
	cat <<'EOF'

	if (full)
		rotation_queue_drain(pgdat);
}

EOF
	if [ "$v" = offline ]; then
		cat <<'EOF'
/*
 * Folios on the rotation queue are off the LRU but still hold a
 * reference, so offlining the memory they live on would wait for them
 * forever.  Put them back on the LRU before the pages go away.
 */
static int rotation_queue_memory_callback(struct notifier_block *self,
					  unsigned long action, void *arg)
{
	struct memory_notify *mn = arg;
	struct pglist_data *pgdat;

	if (action != MEM_GOING_OFFLINE)
		return NOTIFY_OK;

	if (mn->status_change_nid != NUMA_NO_NODE) {
		rotation_queue_drain(NODE_DATA(mn->status_change_nid));
		return NOTIFY_OK;
	}

	/* The node stays online: drain whichever queue may hold the pages */
	for_each_online_pgdat(pgdat)
		rotation_queue_drain(pgdat);

	return NOTIFY_OK;
}

EOF
	fi
	cat <<'EOF'
static int __init rotation_queue_setup(void)
{
	struct pglist_data *pgdat;

	for_each_online_pgdat(pgdat)
		rotation_queue_init(pgdat);
EOF
	[ "$v" != v1 ] && printf '\n\tregister_sysctl_init("vm", rotation_sysctl_table);\n'
	[ "$v" = offline ] && printf '\thotplug_memory_notifier(rotation_queue_memory_callback,\n\t\t\t\tDEFAULT_CALLBACK_PRI);\n'
	cat <<'EOF'
	return 0;
}
core_initcall(rotation_queue_setup);
EOF
}

# --- Documentation/admin-guide/mm/rotation.rst -------------------------------
rotation_rst() { # $1 = v1 | v3
	cat <<'EOF'
.. SPDX-License-Identifier: GPL-2.0

===========================
The per-node rotation queue
===========================

When page reclaim isolates a batch of folios from an inactive LRU list,
it does not reclaim all of them.  Folios that were referenced since they
were last scanned, or that are still under writeback, are kept and put
back at the tail of the inactive list.  This is called *rotation*.

Rotating one folio at a time requires taking the LRU lock of the
folio's lruvec once per folio.  On machines with many CPUs in reclaim
at the same time this lock becomes heavily contended.

The rotation queue
==================

Each NUMA node has a rotation queue.  Instead of taking the LRU lock,
reclaim adds a folio it wants to rotate to the queue of the folio's
node.  The queue is drained, and its folios are moved back to their LRU
lists, when:

EOF
	if [ "$1" = v1 ]; then
		echo '* it holds 32 folios, or'
	else
		echo '* it holds ``vm.rotation_batch`` folios (32 by default), or'
	fi
	cat <<'EOF'
* the reclaimer that queued folios finishes its current batch.

While draining, the LRU lock is held across consecutive folios that
belong to the same lruvec, so a batch of folios from one memory cgroup
takes the lock only once.

A queued folio is not on any LRU list and is still accounted as
isolated (``nr_isolated_anon`` or ``nr_isolated_file`` in
``/proc/vmstat``).

Statistics
==========

``pgrotated`` in ``/proc/vmstat`` counts the pages rotated, whether or
not they went through the rotation queue.
EOF
	if [ "$1" = v3 ]; then
		cat <<'EOF'

Tuning
======

``/proc/sys/vm/rotation_batch``
	The number of folios the rotation queue of a node holds before it
	is drained.  Larger values take the LRU lock less often but hold it
	for longer, with interrupts disabled.  The default is 32 and the
	allowed range is 1 to 512.
EOF
	fi
}

# Shared pieces of "mm: add a per-node rotation queue"
mmzone_with_rotq() {
	perl -0pi -e 's|#include <linux/list.h>\n|#include <linux/list.h>\n#include <linux/rotation.h>\n|;
		s|(\tint kswapd_order;\n)|$1\n\t/* Folios reclaim decided to keep, waiting to go back on the LRU */\n\tstruct rotation_queue rotq;\n|' \
		include/linux/mmzone.h
	sed -i 's/^obj-y := swap.o vmscan.o$/obj-y := rotation.o swap.o vmscan.o/' mm/Makefile
}

index_with_rotation() {
	sed -i 's/^   pagemap$/   pagemap\n   rotation/' Documentation/admin-guide/mm/index.rst
}

###########################################################################
# History before the series
###########################################################################

swap_c none > mm/swap.c
vmscan_c base > mm/vmscan.c
mkcommit 'Demo Tree <tree@kernel.example>' '2023-01-09T09:00:00+0100' <<'EOF'
Import the patchlore demo mm tree

A miniature, invented memory-management tree for the patchlore demo
corpus.
EOF

swap_c buggy > mm/swap.c
mkcommit 'Alan Reyes <areyes@example.com>' '2023-02-14T16:20:00-0800' <<'EOF'
mm/swap: rotate reclaimable folios to the tail of the inactive list

When writeback finishes on a folio that reclaim wanted to free, move it
to the tail of its inactive list so that the next reclaim pass finds it
first instead of scanning the whole list again.

Signed-off-by: Alan Reyes <areyes@example.com>
EOF
FIXES_COMMIT=$(git rev-parse --short=12 HEAD)
FIXES_SUBJECT=$(git log -1 --format=%s HEAD)

vmscan_c locking > mm/vmscan.c
mkcommit 'Daniel Okafor <dokafor@example.org>' '2023-03-21T11:05:00-0700' <<'EOF'
mm/vmscan: document the lruvec lock ordering

Signed-off-by: Daniel Okafor <dokafor@example.org>
EOF
git tag base-v1

cat >> MAINTAINERS <<'EOF'

MEMORY MANAGEMENT - RECLAIM
M:	Daniel Okafor <dokafor@example.org>
R:	Greta Lindqvist <greta@kernel.example>
R:	Hideo Tanabe <htanabe@mm.example>
L:	demo@lists.patchlore.example
S:	Maintained
F:	mm/swap.c
F:	mm/vmscan.c
EOF
mkcommit 'Daniel Okafor <dokafor@example.org>' '2023-09-12T10:30:00-0700' <<'EOF'
MAINTAINERS: add a reclaim entry

Signed-off-by: Daniel Okafor <dokafor@example.org>
EOF
git tag base-v2

cat >> MAINTAINERS <<'EOF'

MEMORY HOT(UN)PLUG
M:	Daniel Okafor <dokafor@example.org>
R:	Priya Raman <priya.raman@example.com>
L:	demo@lists.patchlore.example
S:	Maintained
F:	mm/memory_hotplug.c
EOF
mkcommit 'Daniel Okafor <dokafor@example.org>' '2024-01-22T09:15:00-0800' <<'EOF'
MAINTAINERS: add a memory hotplug entry

Signed-off-by: Daniel Okafor <dokafor@example.org>
EOF
git tag base-v3

###########################################################################
# [RFC PATCH 0/2]  (April 2023)
###########################################################################

git checkout -q -b rfc base-v1
rotation_h rfc > include/linux/rotation.h
rotation_c rfc > mm/rotation.c
mmzone_with_rotq
mkcommit "$MIRA" '2023-04-11T17:02:00+0200' <<'EOF'
mm: introduce a per-node rotation queue

Reclaim puts folios it decides to keep (referenced, or still under
writeback) back at the tail of the inactive list one at a time, taking
and dropping the lruvec lock for each of them.  On large machines with
many concurrent reclaimers that lock round trip shows up at the top of
lock contention profiles.

Add a small per-node queue that collects such folios so they can be
moved back to the LRU in batches.  This patch only adds the queue; the
next patch makes reclaim use it.

Signed-off-by: Mira Kovacs <mira@kernel.example>
EOF

vmscan_c rfc > mm/vmscan.c
mkcommit "$MIRA" '2023-04-11T17:40:00+0200' <<'EOF'
mm/vmscan: defer folio rotation to the rotation queue

Instead of taking the lruvec lock for every folio that
shrink_folio_list() decides to rotate, put the folio on the rotation
queue of its node and drain the queue once at the end.

Signed-off-by: Mira Kovacs <mira@kernel.example>
EOF

###########################################################################
# [PATCH 0/3]  v1  (June 2023)
###########################################################################

V1_1_MSG='mm: add a per-node rotation queue

Reclaim puts folios it decides to keep (referenced, or still under
writeback) back at the tail of the inactive list one at a time, taking
and dropping the lruvec lock for each of them.  With a few hundred CPUs
in direct reclaim that round trip is the top entry in the lru_lock
contention profile.

Add a per-node queue that collects such folios.  Draining the queue
moves them back in one go and keeps the lru_lock across consecutive
folios of the same lruvec.  A queued folio has PG_lru clear and is
still accounted as isolated, exactly like a folio sitting on the
private list of a reclaimer.

This patch only adds the queue; the next patch makes reclaim use it.'

V1_2_MSG='mm/vmscan: batch LRU rotation through the rotation queue

shrink_folio_list() takes the lruvec lock once for every folio it keeps.
Queue those folios on the rotation queue of their node instead and
drain the queue in shrink_inactive_list() before the isolated counters
are dropped, so that a reclaimer takes the lruvec lock once per batch.

rotate_folio_locked() has no users left and is removed.'

V1_3_MSG='Documentation/admin-guide/mm: document the rotation queue

Describe what the rotation queue does, when it is drained and how the
folios on it are accounted.'

git checkout -q -b v1 base-v1
rotation_h v1 > include/linux/rotation.h
rotation_c v1 > mm/rotation.c
mmzone_with_rotq
printf '%s\n\nSigned-off-by: %s\n' "$V1_1_MSG" "$MIRA" | mkcommit "$MIRA" '2023-06-19T15:12:00+0200'
vmscan_c v1 > mm/vmscan.c
printf '%s\n\nSigned-off-by: %s\n' "$V1_2_MSG" "$MIRA" | mkcommit "$MIRA" '2023-06-19T15:40:00+0200'
rotation_rst v1 > Documentation/admin-guide/mm/rotation.rst
index_with_rotation
printf '%s\n\nSigned-off-by: %s\n' "$V1_3_MSG" "$MIRA" | mkcommit "$MIRA" '2023-06-19T16:03:00+0200'

###########################################################################
# [PATCH v2 0/4]  (October 2023)
###########################################################################

V2_1_MSG="mm/swap: don't rotate unevictable folios

folio_rotate_reclaimable() moves a folio to the tail of the inactive
list once writeback has finished, but it does not check whether the
folio became unevictable (mlocked, or on an unevictable mapping) in the
meantime.  Such a folio then sits on an evictable LRU, where reclaim
keeps finding it, failing to reclaim it and rotating it again.

Leave unevictable folios alone; the unevictable LRU logic will move
them to the right list."
FIXES_TRAILER="Fixes: $FIXES_COMMIT (\"$FIXES_SUBJECT\")"

V2_2_MSG="$V1_1_MSG

The number of folios the queue holds before it is drained can be tuned
with the new vm.rotation_batch sysctl (default 32, at most 512)."

V2_3_MSG="$V1_2_MSG

Accounting: a folio queued for rotation keeps PG_lru clear and stays
accounted in NR_ISOLATED_{ANON,FILE}, because the reclaimer that queued
it drains the queue before it drops its isolated count.  If another
reclaimer spliced the queue first, the folio can still be on that
reclaimer's private batch when the count drops.  That window lasts at
most one rotate_batch() call and only affects the too_many_isolated()
heuristic."

git checkout -q -b v2 base-v2
swap_c fixed > mm/swap.c
printf '%s\n\n%s\nSigned-off-by: %s\n' "$V2_1_MSG" "$FIXES_TRAILER" "$MIRA" | mkcommit "$MIRA" '2023-10-16T10:05:00+0200'
rotation_h v1 > include/linux/rotation.h
rotation_c v2 > mm/rotation.c
mmzone_with_rotq
printf '%s\n\nSigned-off-by: %s\n' "$V2_2_MSG" "$MIRA" | mkcommit "$MIRA" '2023-10-16T10:30:00+0200'
vmscan_c v1 > mm/vmscan.c
printf '%s\n\nSigned-off-by: %s\n' "$V2_3_MSG" "$MIRA" | mkcommit "$MIRA" '2023-10-16T10:52:00+0200'
rotation_rst v1 > Documentation/admin-guide/mm/rotation.rst
index_with_rotation
printf '%s\n\nAcked-by: %s\nSigned-off-by: %s\n' "$V1_3_MSG" "$RENE" "$MIRA" | mkcommit "$MIRA" '2023-10-16T11:20:00+0200'

###########################################################################
# [PATCH v3 0/4]  (February 2024) -- with collected trailers
###########################################################################

RFC_LINK='https://lore.kernel.org/r/20230412081500.48213-1-mira@kernel.example'

git checkout -q -b v3 base-v3
swap_c fixed > mm/swap.c
printf '%s\n\n%s\nReviewed-by: %s\nAcked-by: %s\nTested-by: %s\nSigned-off-by: %s\n' \
	"$V2_1_MSG" "$FIXES_TRAILER" "$GRETA" "$HIDEO" "$WEI" "$MIRA" | mkcommit "$MIRA" '2024-02-05T14:10:00+0100'
rotation_h v1 > include/linux/rotation.h
rotation_c v2 > mm/rotation.c
mmzone_with_rotq
printf '%s\n\nLink: %s\nReviewed-by: %s\nAcked-by: %s\nTested-by: %s\nSigned-off-by: %s\n' \
	"$V2_2_MSG" "$RFC_LINK" "$PRIYA" "$HIDEO" "$WEI" "$MIRA" | mkcommit "$MIRA" '2024-02-05T14:25:00+0100'
V3_ROTQ_COMMIT=$(git rev-parse --short=12 HEAD)
V3_ROTQ_SUBJECT=$(git log -1 --format=%s HEAD)
vmscan_c v1 > mm/vmscan.c
printf '%s\n\nReviewed-by: %s\nAcked-by: %s\nTested-by: %s\nSigned-off-by: %s\n' \
	"$V2_3_MSG" "$GRETA" "$HIDEO" "$WEI" "$MIRA" | mkcommit "$MIRA" '2024-02-05T14:40:00+0100'
rotation_rst v3 > Documentation/admin-guide/mm/rotation.rst
index_with_rotation
printf '%s\n\nAlso document the vm.rotation_batch sysctl.\n\nAcked-by: %s\nAcked-by: %s\nSigned-off-by: %s\n' \
	"$V1_3_MSG" "$RENE" "$HIDEO" "$MIRA" | mkcommit "$MIRA" '2024-02-05T15:02:00+0100'

###########################################################################
# [PATCH] follow-up fix  (January 2025)
###########################################################################

GHOST_LINK='https://lore.kernel.org/r/CAJ8vXk2Rm5Qn0pL7tH3wE9yB4cZ6uF1dA8s@mail.example.com'
git checkout -q -b offline v3
rotation_c offline > mm/rotation.c
mkcommit "$PRIYA" '2025-01-13T18:30:00+0530' <<EOF
mm/rotation: drain the rotation queue when a node goes offline

Folios on a rotation queue are off the LRU but still hold the reference
that isolation took.  If the memory they live on is being offlined,
offline_pages() keeps retrying to isolate and migrate them and never
succeeds, because nothing drains the queue while the machine is
otherwise idle.

Register a memory notifier and drain the affected queues on
MEM_GOING_OFFLINE.

Fixes: $V3_ROTQ_COMMIT ("$V3_ROTQ_SUBJECT")
Reported-by: Lukas Brandt <lukas.brandt@example.com>
Closes: $GHOST_LINK
Suggested-by: Mira Kovacs <mira@kernel.example>
Signed-off-by: Priya Raman <priya.raman@example.com>
EOF

###########################################################################
# format-patch everything
###########################################################################

fp() { git format-patch -q --signature=2.39.2 "$@"; }
fp -o "$work/out/rfc" --cover-letter --base=base-v1 --subject-prefix='RFC PATCH' base-v1..rfc
fp -o "$work/out/v1" --cover-letter --base=base-v1 base-v1..v1
fp -o "$work/out/v2" --cover-letter --base=base-v2 -v2 base-v2..v2
fp -o "$work/out/v3" --cover-letter --base=base-v3 -v3 base-v3..v3
fp -o "$work/out/fix" -1 offline

# Facts the assembler needs (all derived from the repo above).
cat > "$work/out/facts.json" <<EOF
{
  "fixesCommit": "$FIXES_COMMIT",
  "fixesSubject": "$FIXES_SUBJECT",
  "v3RotqCommit": "$V3_ROTQ_COMMIT",
  "baseV1": "$(git rev-parse base-v1)",
  "baseV2": "$(git rev-parse base-v2)",
  "baseV3": "$(git rev-parse base-v3)"
}
EOF

if [ -n "${PATCHLORE_DEMO_KEEP:-}" ]; then
	rm -rf "$PATCHLORE_DEMO_KEEP"
	mkdir -p "$PATCHLORE_DEMO_KEEP"
	cp -r "$work/out" "$PATCHLORE_DEMO_KEEP/out"
	git clone -q --mirror "$repo" "$PATCHLORE_DEMO_KEEP/tree.git"
fi

node "$here/assemble.mjs" "$work/out" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out" >&2
