/*
 * auth_cache.c - the session cache of a server thread: token hash ->
 * account, role, post and expiry.  Before it answers from memory it reads
 * the store's auth epoch (auth.c keeps it moving with triggers on users
 * and sessions) and empties itself when the epoch has moved, so a logout,
 * a disabled account, a new password or a changed role is seen on the very
 * next request, whichever process made the change.  Expiry is checked on
 * every hit.  Reading one integer still costs a read transaction, so it is
 * read only when the store's commit stamp (store_stamp.c) shows that
 * something was committed since the last reading: under load the writer
 * commits a few hundred times a second and the pool answers thousands of
 * requests, most of which now read nothing at all.
 *
 * The table is open addressing with linear probing, keyed by the first
 * bytes of the BLAKE2b token hash (uniform already).  It never holds a
 * token, only the hash the store keeps anyway.  When it fills up it is
 * emptied: a post has tens of live sessions, not thousands.
 */
#include "auth.h"
#include "internal.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    unsigned char hash[32];
    bool used;
    int64_t expires;
    struct sarhad_actor actor; /* user, role, post (address unused) */
};

struct sarhad_session_cache {
    struct entry *slots;
    size_t mask;     /* slot count - 1 (a power of two) */
    size_t count;    /* entries in use */
    size_t capacity; /* entries before the table is emptied */
    int64_t epoch;
    bool have_epoch;
    /* The store's commit stamp taken before the epoch was last read. */
    struct sarhad__stamp stamp;
    bool have_stamp;
};

static const char sql_epoch[] = "SELECT n FROM auth_epoch WHERE id = 1";

struct sarhad_session_cache *
sarhad_session_cache_new(size_t capacity)
{
    struct sarhad_session_cache *c;
    size_t slots = 4;

    if (capacity == 0 || capacity > 65536)
        return NULL;
    /* At most half full, so probes stay short. */
    while (slots < capacity * 2)
        slots *= 2;
    c = sarhad__calloc(1, sizeof(*c));
    if (c == NULL)
        return NULL;
    c->slots = sarhad__calloc(slots, sizeof(*c->slots));
    if (c->slots == NULL) {
        sarhad__free(c);
        return NULL;
    }
    c->mask = slots - 1;
    c->capacity = capacity;
    return c;
}

static void
clear(struct sarhad_session_cache *c)
{
    sodium_memzero(c->slots, (c->mask + 1) * sizeof(*c->slots));
    c->count = 0;
}

void
sarhad_session_cache_free(struct sarhad_session_cache *cache)
{
    if (cache == NULL)
        return;
    clear(cache);
    sarhad__free(cache->slots);
    sarhad__free(cache);
}

/* The store's auth epoch; false when it cannot be read (a store made
 * before the epoch existed and opened read-only, or a store error). */
static bool
read_epoch(struct sarhad_store *store, int64_t *out)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_epoch, NULL);
    int rc;

    if (st == NULL)
        return false;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW;
}

static struct entry *
slot_of(struct sarhad_session_cache *c, const unsigned char hash[32])
{
    uint64_t h;
    size_t i;

    memcpy(&h, hash, sizeof(h));
    for (i = (size_t)h & c->mask;; i = (i + 1) & c->mask)
        if (!c->slots[i].used || memcmp(c->slots[i].hash, hash, 32) == 0)
            return &c->slots[i];
}

static void
answer(struct sarhad_session *out, const struct entry *e)
{
    memset(out, 0, sizeof(*out));
    out->expires = e->expires;
    memcpy(out->actor.user, e->actor.user, sizeof(out->actor.user));
    memcpy(out->actor.role, e->actor.role, sizeof(out->actor.role));
    memcpy(out->actor.post, e->actor.post, sizeof(out->actor.post));
}

enum sarhad_status
sarhad_session_cached(struct sarhad_session_cache *cache,
                      struct sarhad_store *store, const char *token, size_t len,
                      int64_t now, struct sarhad_session *out, bool *hit,
                      struct sarhad_error *err)
{
    unsigned char hash[32];
    struct entry *e;
    struct sarhad__stamp stamp;
    bool stamped;
    int64_t epoch = 0;
    enum sarhad_status s;

    if (hit != NULL)
        *hit = false;
    if (token == NULL || len != SARHAD_TOKEN_LEN)
        return sarhad__fail(err, SARHAD_EAUTH, "token", SIZE_MAX,
                            "not a session token");
    sarhad_token_hash(hash, token, len);
    /* The epoch is read before the session: a change committed between
     * the two reads leaves a newer session under an older epoch, which the
     * next lookup finds moved, never the other way round.  Likewise the
     * stamp before the epoch.  The first lookup takes no stamp: the stamp
     * is read from shared memory the handle maps at its first read. */
    if (cache == NULL)
        return sarhad__session_lookup_hash(store, hash, now, out, err);
    stamped = cache->have_epoch && sarhad__store_stamp(store, &stamp);
    if (stamped && cache->have_stamp &&
        memcmp(&stamp, &cache->stamp, sizeof(stamp)) == 0) {
        epoch = cache->epoch; /* nothing committed since it was read */
    } else if (!read_epoch(store, &epoch)) {
        cache->have_stamp = false;
        return sarhad__session_lookup_hash(store, hash, now, out, err);
    } else {
        cache->have_stamp = stamped;
        if (stamped)
            cache->stamp = stamp;
    }
    if (!cache->have_epoch || epoch != cache->epoch) {
        clear(cache);
        cache->epoch = epoch;
        cache->have_epoch = true;
    }
    e = slot_of(cache, hash);
    if (e->used && e->expires > now) {
        answer(out, e);
        if (hit != NULL)
            *hit = true;
        return SARHAD_OK;
    }
    s = sarhad__session_lookup_hash(store, hash, now, out, err);
    if (s != SARHAD_OK || e->used) /* an expired entry stays until a flush */
        return s;
    if (cache->count >= cache->capacity) {
        clear(cache);
        e = slot_of(cache, hash);
    }
    memcpy(e->hash, hash, sizeof(hash));
    e->used = true;
    e->expires = out->expires;
    memset(&e->actor, 0, sizeof(e->actor));
    memcpy(e->actor.user, out->actor.user, sizeof(e->actor.user));
    memcpy(e->actor.role, out->actor.role, sizeof(e->actor.role));
    memcpy(e->actor.post, out->actor.post, sizeof(e->actor.post));
    cache->count++;
    return SARHAD_OK;
}
