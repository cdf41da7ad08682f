/*
 * store_pcache.c - SQLite's own page cache, with a truncation that costs
 * what it removes.
 *
 * Why: when SQLite 3.40 rebalances a b-tree it puts new pages in order by
 * swapping their numbers through a spare one, the page after the
 * pending-byte page (262,145 with 4 KiB pages).  The default page cache
 * remembers the largest page number it has seen since its last
 * truncation, and at every commit the pager truncates the cache to the
 * database's size; when that remembered number is far past the end, as
 * 262,145 is for any store under 1 GiB, the truncation walks every hash
 * slot and every cached page (tens of thousands with the writer's cache)
 * to remove nothing.  The server's writer commits a few hundred times a
 * second and spent a tenth of its time there.
 *
 * How: every call goes to SQLite's default cache (SQLITE_CONFIG_GETPCACHE2),
 * and each cache also keeps a bitmap of the page numbers it may hold: set
 * whenever a page is handed out under a number (fetch, rekey), cleared when
 * SQLite says the page is gone (discard, rekey away, truncation).  Pages
 * the default cache recycles by itself stay set, which errs on the safe
 * side.  A truncation is passed on unless the bitmap proves that no page
 * at or past the limit can be cached; passing it on is always correct, and
 * skipping it is correct exactly when there is nothing to remove.  The
 * page's number is kept in eight bytes after SQLite's own extra space, so
 * a discard knows which bit to clear.  Its memory is SQLite's (the page
 * cache is part of SQLite's machinery, not the library's).
 */
#include "internal.h"

#include <sqlite3.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

struct cache {
    sqlite3_pcache *inner;
    int key_at;      /* offset of the page number in a page's extra space */
    uint64_t *bits;  /* page numbers that may be cached */
    unsigned words;  /* bitmap size in 64-bit words */
    unsigned top;    /* no bit is set above it (0: none is set) */
    bool overflowed; /* a number could not be recorded: pass all on */
};

/* The bitmap stops growing at 16 MiB (page numbers past 2^27, a store of
 * half a terabyte with 4 KiB pages); past that the cache keeps no map. */
#define MAX_WORDS (1u << 21)

static sqlite3_pcache_methods2 inner_methods;
static bool installed;
static atomic_uint_fast64_t truncations_skipped, truncations_passed;

static void
mark(struct cache *c, unsigned key)
{
    unsigned w = key / 64;

    if (w >= c->words) {
        unsigned words = c->words ? c->words : 64;
        uint64_t *bits;
        if (w >= MAX_WORDS) {
            c->overflowed = true; /* every truncation is passed on */
            return;
        }
        while (words <= w)
            words *= 2;
        bits =
            sqlite3_realloc64(c->bits, (sqlite3_uint64)words * sizeof(*bits));
        if (bits == NULL) {
            c->overflowed = true; /* every truncation is passed on */
            return;
        }
        memset(bits + c->words, 0, (size_t)(words - c->words) * sizeof(*bits));
        c->bits = bits;
        c->words = words;
    }
    c->bits[w] |= (uint64_t)1 << (key % 64);
    if (key > c->top)
        c->top = key;
}

/* Lower c->top to the highest set bit at or below it. */
static void
settle_top(struct cache *c)
{
    unsigned w;

    if (c->top == 0)
        return;
    w = c->top / 64;
    if (w >= c->words)
        w = c->words - 1;
    for (;;) {
        uint64_t m = c->bits[w];
        if (w == c->top / 64 && c->top % 64 != 63)
            m &= ((uint64_t)1 << (c->top % 64 + 1)) - 1;
        if (m != 0) {
            c->top = w * 64 + 63 - (unsigned)__builtin_clzll(m);
            return;
        }
        if (w == 0) {
            c->top = 0;
            return;
        }
        w--;
    }
}

static void
unmark(struct cache *c, unsigned key)
{
    if (key / 64 >= c->words)
        return;
    /* c->top stays an upper bound; it is lowered when a truncation needs
     * it, not at every renumbering (a balance makes several). */
    c->bits[key / 64] &= ~((uint64_t)1 << (key % 64));
}

static void
remember_key(struct cache *c, sqlite3_pcache_page *page, unsigned key)
{
    memcpy((char *)page->pExtra + c->key_at, &key, sizeof(key));
}

static unsigned
key_of(const struct cache *c, const sqlite3_pcache_page *page)
{
    unsigned key;

    memcpy(&key, (const char *)page->pExtra + c->key_at, sizeof(key));
    return key;
}

static int
cache_init(void *arg)
{
    (void)arg;
    return inner_methods.xInit(inner_methods.pArg);
}

static void
cache_shutdown(void *arg)
{
    (void)arg;
    inner_methods.xShutdown(inner_methods.pArg);
}

static sqlite3_pcache *
cache_create(int page_size, int extra, int purgeable)
{
    struct cache *c = sqlite3_malloc64(sizeof(*c));

    if (c == NULL)
        return NULL;
    memset(c, 0, sizeof(*c));
    c->key_at = (extra + 7) & ~7;
    c->inner = inner_methods.xCreate(page_size, c->key_at + 8, purgeable);
    if (c->inner == NULL) {
        sqlite3_free(c);
        return NULL;
    }
    return (sqlite3_pcache *)c;
}

static void
cache_size(sqlite3_pcache *p, int pages)
{
    inner_methods.xCachesize(((struct cache *)p)->inner, pages);
}

static int
cache_page_count(sqlite3_pcache *p)
{
    return inner_methods.xPagecount(((struct cache *)p)->inner);
}

static sqlite3_pcache_page *
cache_fetch(sqlite3_pcache *p, unsigned key, int create)
{
    struct cache *c = (struct cache *)p;
    sqlite3_pcache_page *page = inner_methods.xFetch(c->inner, key, create);

    if (page != NULL) {
        remember_key(c, page, key);
        mark(c, key);
    }
    return page;
}

static void
cache_unpin(sqlite3_pcache *p, sqlite3_pcache_page *page, int discard)
{
    struct cache *c = (struct cache *)p;

    if (discard)
        unmark(c, key_of(c, page));
    inner_methods.xUnpin(c->inner, page, discard);
}

static void
cache_rekey(sqlite3_pcache *p, sqlite3_pcache_page *page, unsigned old_key,
            unsigned new_key)
{
    struct cache *c = (struct cache *)p;

    inner_methods.xRekey(c->inner, page, old_key, new_key);
    remember_key(c, page, new_key);
    unmark(c, old_key);
    mark(c, new_key);
}

static void
cache_truncate(sqlite3_pcache *p, unsigned limit)
{
    struct cache *c = (struct cache *)p;

    if (!c->overflowed && c->top >= limit)
        settle_top(c);
    if (!c->overflowed && c->top < limit) {
        /* Nothing is cached at or past the limit. */
        atomic_fetch_add_explicit(&truncations_skipped, 1,
                                  memory_order_relaxed);
        return;
    }
    atomic_fetch_add_explicit(&truncations_passed, 1, memory_order_relaxed);
    inner_methods.xTruncate(c->inner, limit);
    /* Everything at or past the limit is gone now. */
    for (unsigned key = limit; key <= c->top && key / 64 < c->words;) {
        if (key % 64 == 0 && key + 63 <= c->top) {
            c->bits[key / 64] = 0;
            key += 64;
        } else {
            c->bits[key / 64] &= ~((uint64_t)1 << (key % 64));
            key++;
        }
    }
    if (limit <= 1) {
        c->top = 0;
        c->overflowed = false; /* nothing is cached at all now */
    } else if (c->top >= limit) {
        c->top = limit - 1;
    }
    settle_top(c);
}

static void
cache_destroy(sqlite3_pcache *p)
{
    struct cache *c = (struct cache *)p;

    inner_methods.xDestroy(c->inner);
    sqlite3_free(c->bits);
    sqlite3_free(c);
}

static void
cache_shrink(sqlite3_pcache *p)
{
    inner_methods.xShrink(((struct cache *)p)->inner);
}

void
sarhad__store_pcache_install(void)
{
    static const sqlite3_pcache_methods2 methods = {
        .iVersion = 1,
        .xInit = cache_init,
        .xShutdown = cache_shutdown,
        .xCreate = cache_create,
        .xCachesize = cache_size,
        .xPagecount = cache_page_count,
        .xFetch = cache_fetch,
        .xUnpin = cache_unpin,
        .xRekey = cache_rekey,
        .xTruncate = cache_truncate,
        .xDestroy = cache_destroy,
        .xShrink = cache_shrink,
    };

    if (sqlite3_config(SQLITE_CONFIG_GETPCACHE2, &inner_methods) != SQLITE_OK)
        return;
    installed = sqlite3_config(SQLITE_CONFIG_PCACHE2, &methods) == SQLITE_OK;
}

void
sarhad__store_pcache_stats(struct sarhad__pcache_stats *out)
{
    out->installed = installed;
    out->truncations_skipped =
        atomic_load_explicit(&truncations_skipped, memory_order_relaxed);
    out->truncations_passed =
        atomic_load_explicit(&truncations_passed, memory_order_relaxed);
}
