/*
 * ledger_memo.c - what the writing ledger remembers of its store between
 * crossings: who holds each identity key (or that nobody does), each
 * traveller's recent stays, the entries used on each visa and which PoR
 * cards are cancelled.  A post's regulars cross again and again, and
 * reading their history back from SQLite cost more than recording the
 * crossing; the memo answers from memory instead.
 *
 * The memo is a cache of the store, never a source of truth: every fact in
 * it was read from, or written to, the store in a transaction.  It is
 * valid only for the store generation it was filled in (see
 * sarhad__store_invalidate): a rollback, or a commit by another
 * connection, moves the generation on and the memo starts again empty.
 * It is bounded; when full it is cleared and refills from the store.
 */
#include "ledger.h"

#include <string.h>

/* Bounds: 512 Ki facts and 256 Ki travellers' stays, so the memo stays
 * under about 100 MiB however long a post runs. */
#define MAX_FACTS      (1u << 19)
#define MAX_TRAVELLERS (1u << 18)
#define MIN_SLOTS      1024u

struct fact {
    uint64_t hash; /* 0: empty slot */
    uint32_t off;  /* key text in the arena: ns byte + key */
    uint32_t len;
    int64_t v[2];
};

struct traveller {
    int64_t id; /* 0: empty slot */
    struct sarhad__memo_stays *stays;
};

struct sarhad__memo {
    uint64_t generation; /* the store generation the facts belong to */
    bool started;
    struct fact *facts;
    uint32_t fact_slots, fact_count;
    char *arena;
    size_t arena_len, arena_cap;
    struct traveller *travellers;
    uint32_t traveller_slots, traveller_count;
};

static uint64_t
hash_text(char ns, const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull ^ (unsigned char)ns;

    h *= 1099511628211ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h | 1; /* never 0, the empty mark */
}

/* A fact's first slot: from the hash's high half, which depends on every
 * byte of the key (FNV-1a's low bits do less), and never from bit 0, which
 * the empty mark sets in every hash: taking the low bits started every
 * key in an odd slot, half the table. */
static uint32_t
fact_home(uint64_t h, uint32_t mask)
{
    return (uint32_t)(h >> 32) & mask;
}

static uint64_t
hash_id(int64_t id)
{
    uint64_t h = (uint64_t)id * 0x9e3779b97f4a7c15ull;

    return h ^ (h >> 29);
}

struct sarhad__memo *
sarhad__memo_new(void)
{
    return sarhad__calloc(1, sizeof(struct sarhad__memo));
}

void
sarhad__memo_clear(struct sarhad__memo *m)
{
    if (m == NULL)
        return;
    for (uint32_t i = 0; i < m->traveller_slots; i++)
        sarhad__free(m->travellers[i].stays);
    if (m->travellers != NULL)
        memset(m->travellers, 0, sizeof(*m->travellers) * m->traveller_slots);
    if (m->facts != NULL)
        memset(m->facts, 0, sizeof(*m->facts) * m->fact_slots);
    m->fact_count = m->traveller_count = 0;
    m->arena_len = 0;
}

void
sarhad__memo_free(struct sarhad__memo *m)
{
    if (m == NULL)
        return;
    sarhad__memo_clear(m);
    sarhad__free(m->travellers);
    sarhad__free(m->facts);
    sarhad__free(m->arena);
    sarhad__free(m);
}

void
sarhad__memo_sync(struct sarhad__memo *m, const struct sarhad_store *store)
{
    if (m == NULL || (m->started && m->generation == store->generation))
        return;
    sarhad__memo_clear(m);
    m->generation = store->generation;
    m->started = true;
}

/* ---- facts: (namespace, key) -> two numbers ---- */

static struct fact *
fact_slot(const struct sarhad__memo *m, uint64_t h, char ns, const char *key,
          size_t len)
{
    uint32_t mask = m->fact_slots - 1;

    for (uint32_t i = fact_home(h, mask);; i = (i + 1) & mask) {
        struct fact *f = &m->facts[i];
        if (f->hash == 0 ||
            (f->hash == h && f->len == len + 1 && m->arena[f->off] == ns &&
             memcmp(m->arena + f->off + 1, key, len) == 0))
            return f;
    }
}

bool
sarhad__memo_get(const struct sarhad__memo *m, char ns, const char *key,
                 int64_t v[2])
{
    size_t len = strlen(key);
    const struct fact *f;

    if (m == NULL || m->fact_count == 0)
        return false;
    f = fact_slot(m, hash_text(ns, key, len), ns, key, len);
    if (f->hash == 0)
        return false;
    v[0] = f->v[0];
    v[1] = f->v[1];
    return true;
}

static bool
grow_facts(struct sarhad__memo *m)
{
    uint32_t slots = m->fact_slots ? m->fact_slots * 2 : MIN_SLOTS;
    struct fact *old = m->facts, *nf = sarhad__calloc(slots, sizeof(*nf));
    uint32_t n = m->fact_slots;

    if (nf == NULL)
        return false;
    m->facts = nf;
    m->fact_slots = slots;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t j = fact_home(old[i].hash, slots - 1);
        if (old[i].hash == 0)
            continue;
        while (nf[j].hash != 0)
            j = (j + 1) & (slots - 1);
        nf[j] = old[i];
    }
    sarhad__free(old);
    return true;
}

static bool
arena_add(struct sarhad__memo *m, char ns, const char *key, size_t len,
          uint32_t *off)
{
    if (m->arena_len + len + 1 > m->arena_cap) {
        size_t cap = m->arena_cap ? m->arena_cap * 2 : (size_t)64 * 1024;
        char *a;
        while (cap < m->arena_len + len + 1)
            cap *= 2;
        a = sarhad__realloc(m->arena, cap);
        if (a == NULL)
            return false;
        m->arena = a;
        m->arena_cap = cap;
    }
    *off = (uint32_t)m->arena_len;
    m->arena[m->arena_len] = ns;
    memcpy(m->arena + m->arena_len + 1, key, len);
    m->arena_len += len + 1;
    return true;
}

void
sarhad__memo_put(struct sarhad__memo *m, char ns, const char *key,
                 const int64_t v[2])
{
    size_t len = strlen(key);
    uint64_t h = hash_text(ns, key, len);
    struct fact *f;

    if (m == NULL)
        return;
    if (m->fact_count >= MAX_FACTS)
        sarhad__memo_clear(m); /* full: start again from the store */
    if ((m->fact_count + 1) * 4 > m->fact_slots * 3 && !grow_facts(m)) {
        sarhad__memo_clear(m); /* no memory: the memo is only a cache */
        return;
    }
    f = fact_slot(m, h, ns, key, len);
    if (f->hash == 0) {
        if (len > UINT32_MAX / 2 || !arena_add(m, ns, key, len, &f->off)) {
            sarhad__memo_clear(m);
            return;
        }
        f->hash = h;
        f->len = (uint32_t)len + 1;
        m->fact_count++;
    }
    f->v[0] = v[0];
    f->v[1] = v[1];
}

/* ---- stays by traveller ---- */

static struct traveller *
traveller_slot(const struct sarhad__memo *m, int64_t id)
{
    uint32_t mask = m->traveller_slots - 1;

    for (uint32_t i = (uint32_t)hash_id(id) & mask;; i = (i + 1) & mask)
        if (m->travellers[i].id == id || m->travellers[i].id == 0)
            return &m->travellers[i];
}

struct sarhad__memo_stays *
sarhad__memo_stays(const struct sarhad__memo *m, int64_t traveller_id)
{
    const struct traveller *t;

    if (m == NULL || m->traveller_count == 0 || traveller_id == 0)
        return NULL;
    t = traveller_slot(m, traveller_id);
    return t->id == traveller_id ? t->stays : NULL;
}

static bool
grow_travellers(struct sarhad__memo *m)
{
    uint32_t slots = m->traveller_slots ? m->traveller_slots * 2 : MIN_SLOTS;
    struct traveller *old = m->travellers;
    struct traveller *nt = sarhad__calloc(slots, sizeof(*nt));
    uint32_t n = m->traveller_slots;

    if (nt == NULL)
        return false;
    m->travellers = nt;
    m->traveller_slots = slots;
    for (uint32_t i = 0; i < n; i++)
        if (old[i].id != 0)
            *traveller_slot(m, old[i].id) = old[i];
    sarhad__free(old);
    return true;
}

void
sarhad__memo_stays_put(struct sarhad__memo *m, int64_t traveller_id,
                       const struct sarhad_stay *stays, unsigned n)
{
    struct sarhad__memo_stays *s;
    struct traveller *t;

    if (m == NULL || traveller_id == 0)
        return;
    if (m->traveller_count >= MAX_TRAVELLERS)
        sarhad__memo_clear(m);
    if ((m->traveller_count + 1) * 2 > m->traveller_slots &&
        !grow_travellers(m)) {
        sarhad__memo_clear(m);
        return;
    }
    t = traveller_slot(m, traveller_id);
    if (t->id == 0) {
        s = sarhad__malloc(sizeof(*s));
        if (s == NULL)
            return;
        t->id = traveller_id;
        t->stays = s;
        m->traveller_count++;
    }
    s = t->stays;
    s->count = n > SARHAD_MAX_STAYS ? SARHAD_MAX_STAYS : n;
    /* A full window may hide older stays in the store: only then can
     * losing one leave the memo short of what a read would give. */
    s->window_full = n >= SARHAD_MAX_STAYS;
    s->stale = false;
    if (s->count > 0)
        memcpy(s->stays, stays, sizeof(*stays) * s->count);
}

void
sarhad__memo_stay_open(struct sarhad__memo_stays *s, struct sarhad_date day,
                       int allowed_days)
{
    if (s == NULL)
        return;
    /* The store marks a still-open stay lost, and reads skip lost stays. */
    if (s->count > 0 && s->stays[s->count - 1].exit.year == 0) {
        s->count--;
        if (s->window_full)
            s->stale = true; /* an older stay would now come into view */
    }
    if (s->count == SARHAD_MAX_STAYS) {
        memmove(s->stays, s->stays + 1, sizeof(s->stays[0]) * (s->count - 1));
        s->count--;
        s->window_full = true;
    }
    s->stays[s->count].entry = day;
    s->stays[s->count].exit = (struct sarhad_date){0, 0, 0};
    s->stays[s->count].allowed_days = allowed_days;
    s->count++;
}

void
sarhad__memo_stay_close(struct sarhad__memo_stays *s, struct sarhad_date day)
{
    struct sarhad_stay *last;

    if (s == NULL || s->count == 0)
        return;
    last = &s->stays[s->count - 1];
    /* As the store's update: the open stay, if it began by this day. */
    if (last->exit.year == 0 && sarhad_date_cmp(last->entry, day) <= 0)
        last->exit = day;
}
