/*
 * screen.c - the screener: an in-memory index of one list version, built
 * once and then read by any number of threads.  Every listed name is
 * normalised to tokens with consonant-skeleton keys; the index maps each
 * unordered pair of a name's keys (and each key of a one-token name) to
 * the names holding it.  A query expands each of its keys to the listed
 * keys within one edit (deletion-neighbourhood tables over the small key
 * dictionary, the folded spellings and their written forms), looks up
 * every pair of expansions, and hands the scorer the union: tens to
 * thousands of names out of a million, never all of them.
 */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How many names a query may gather before it stops adding the least
 * selective key pairs (the most selective are always used). */
#define CANDIDATE_CAP  200000
#define MAX_EXPANSIONS 12 /* listed keys a query word looks up */
#define QUERY_KEYS     21 /* six words, eleven joined pairs, two splits */

static uint64_t
hash_str(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */

    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static bool
grow(void **p, size_t *cap, size_t need, size_t size)
{
    size_t n = *cap ? *cap : 64;
    void *q;

    if (need <= *cap)
        return true;
    while (n < need)
        n *= 2;
    q = sarhad__realloc(*p, n * size);
    if (q == NULL)
        return false;
    *p = q;
    *cap = n;
    return true;
}

static uint32_t
add_string(struct sarhad_screener *s, const char *text)
{
    size_t len = strlen(text) + 1;
    uint32_t off = (uint32_t)s->strings_len;

    if (!grow((void **)&s->strings, &s->strings_cap, s->strings_len + len, 1))
        return UINT32_MAX;
    memcpy(s->strings + s->strings_len, text, len);
    s->strings_len += len;
    return off;
}

/* ---- dictionaries ------------------------------------------------------- */

uint32_t
sarhad__screen_dict_find(const struct scr_dict *d, const char *str)
{
    size_t mask, i;

    if (d->table_cap == 0)
        return UINT32_MAX;
    mask = d->table_cap - 1;
    for (i = hash_str(str, strlen(str)) & mask; d->table[i] != 0;
         i = (i + 1) & mask)
        if (strcmp(d->items[d->table[i] - 1], str) == 0)
            return d->table[i] - 1;
    return UINT32_MAX;
}

static bool
rehash(struct scr_dict *d, size_t cap)
{
    uint32_t *t = sarhad__calloc(cap, sizeof(*t));

    if (t == NULL)
        return false;
    for (size_t k = 0; k < d->count; k++) {
        size_t i = hash_str(d->items[k], strlen(d->items[k])) & (cap - 1);
        while (t[i] != 0)
            i = (i + 1) & (cap - 1);
        t[i] = (uint32_t)k + 1;
    }
    sarhad__free(d->table);
    d->table = t;
    d->table_cap = cap;
    return true;
}

static uint32_t
dict_intern(struct scr_dict *d, const char *str)
{
    uint32_t id = sarhad__screen_dict_find(d, str);
    size_t i;

    if (id != UINT32_MAX) {
        d->df[id]++;
        return id;
    }
    if ((d->count + 1) * 2 > d->table_cap &&
        !rehash(d, d->table_cap ? d->table_cap * 2 : 1024))
        return UINT32_MAX;
    if (d->count == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 256;
        char(*items)[24] = sarhad__realloc(d->items, cap * sizeof(*items));
        uint32_t *df;
        if (items == NULL)
            return UINT32_MAX;
        d->items = items;
        df = sarhad__realloc(d->df, cap * sizeof(*df));
        if (df == NULL)
            return UINT32_MAX;
        d->df = df;
        d->cap = cap;
    }
    id = (uint32_t)d->count++;
    sarhad__strlcpy(d->items[id], str, sizeof(d->items[id]));
    d->df[id] = 1;
    i = hash_str(str, strlen(str)) & (d->table_cap - 1);
    while (d->table[i] != 0)
        i = (i + 1) & (d->table_cap - 1);
    d->table[i] = id + 1;
    return id;
}

static void
dict_free(struct scr_dict *d)
{
    sarhad__free(d->items);
    sarhad__free(d->df);
    sarhad__free(d->table);
}

/* ---- building -------------------------------------------------------- */

enum sarhad_status
sarhad_screener_new(struct sarhad_screener **out, const char *version,
                    struct sarhad_error *err)
{
    struct sarhad_screener *s;

    if (out == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "screener", SIZE_MAX,
                            "no screener given");
    s = sarhad__calloc(1, sizeof(*s));
    if (s == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "screener", SIZE_MAX, NULL);
    sarhad__strlcpy(s->version, version != NULL ? version : "",
                    sizeof(s->version));
    *out = s;
    return SARHAD_OK;
}

void
sarhad_screener_close(struct sarhad_screener *s)
{
    if (s == NULL)
        return;
    sarhad__free(s->entries);
    sarhad__free(s->names);
    sarhad__free(s->tokens);
    sarhad__free(s->births);
    sarhad__free(s->strings);
    dict_free(&s->keys);
    dict_free(&s->spells);
    sarhad__free(s->dels);
    sarhad__free(s->coarse);
    sarhad__free(s->coarse_dir);
    sarhad__free(s->del_dir);
    sarhad__free(s->spell_dels);
    sarhad__free(s->spell_dir);
    sarhad__free(s->key_spell_start);
    sarhad__free(s->key_spells);
    sarhad__free(s->pairs);
    sarhad__free(s->pair_sigs);
    sarhad__free(s->singles);
    sarhad__free(s->single_sigs);
    sarhad__free(s->tok_spell);
    sarhad__free(s->spell_len);
    sarhad__free(s->spell_common);
    sarhad__free(s->spell_letters);
    sarhad__free(s->spell_key);
    dict_free(&s->texts);
    sarhad__free(s->text_len);
    sarhad__free(s->text_letters);
    sarhad__free(s->spell_text_start);
    sarhad__free(s->spell_texts);
    sarhad__free(s->text_dels);
    sarhad__free(s->text_dir);
    sarhad__free(s);
}

const char *
sarhad_screener_version(const struct sarhad_screener *s)
{
    return s != NULL ? s->version : "";
}

/* Add one normalised name; returns its index or UINT32_MAX (no memory). */
static uint32_t
add_name(struct sarhad_screener *s, uint32_t entry, const char *text,
         const struct sarhad_name *n)
{
    struct scr_name *nm;

    if (!grow((void **)&s->names, &s->name_cap, s->name_count + 1,
              sizeof(*s->names)) ||
        !grow((void **)&s->tokens, &s->token_cap,
              s->token_count + n->token_count, sizeof(*s->tokens)))
        return UINT32_MAX;
    nm = &s->names[s->name_count];
    nm->entry = entry;
    nm->tok_start = (uint32_t)s->token_count;
    nm->tok_count = (uint8_t)n->token_count;
    nm->vowelless = n->vowelless;
    nm->text_off = add_string(s, text);
    if (nm->text_off == UINT32_MAX)
        return UINT32_MAX;
    for (unsigned i = 0; i < n->token_count; i++) {
        struct scr_token *t = &s->tokens[s->token_count + i];
        t->key = dict_intern(&s->keys, n->tokens[i].key);
        t->spell = dict_intern(&s->spells, n->tokens[i].folded);
        if (t->key == UINT32_MAX || t->spell == UINT32_MAX)
            return UINT32_MAX;
        t->common =
            sarhad__screen_is_common(n->tokens[i].key, n->tokens[i].folded);
        sarhad__strlcpy(t->folded, n->tokens[i].folded, sizeof(t->folded));
        t->flen = (uint8_t)strlen(t->folded);
        sarhad__strlcpy(t->text, n->tokens[i].text, sizeof(t->text));
    }
    s->token_count += n->token_count;
    return (uint32_t)s->name_count++;
}

/* Add the id and the names of entry e (its index-th, described by se) to
 * the screener, n the work area for each normalised name.  On failure the
 * caller drops what was added. */
static enum sarhad_status
add_entry_names(struct sarhad_screener *s, struct scr_entry *se, uint32_t index,
                const struct sarhad_watchlist_entry *e, struct sarhad_name *n,
                struct sarhad_error *err)
{
    enum sarhad_status st;

    se->id_off = add_string(s, e->id);
    if (se->id_off == UINT32_MAX)
        return sarhad__fail(err, SARHAD_ENOMEM, "screener", SIZE_MAX, NULL);
    for (unsigned i = 0; i < e->name_count; i++) {
        st = sarhad_name_normalize(n, e->names[i], strlen(e->names[i]), err);
        if (st != SARHAD_OK)
            return st;
        if (n->token_count == 0)
            continue;
        if (add_name(s, index, e->names[i], n) == UINT32_MAX)
            return sarhad__fail(err, SARHAD_ENOMEM, "screener", SIZE_MAX, NULL);
        se->name_count++;
    }
    if (e->father_name[0] == '\0')
        return SARHAD_OK;
    st = sarhad_name_normalize(n, e->father_name, strlen(e->father_name), err);
    if (st == SARHAD_OK && n->token_count > 0) {
        se->father = add_name(s, index, e->father_name, n);
        if (se->father == UINT32_MAX)
            st = sarhad__fail(err, SARHAD_ENOMEM, "screener", SIZE_MAX, NULL);
    }
    return st;
}

/* Keep the dates of birth and the nationalities of e in se; the room
 * for the dates is grown already. */
static void
add_entry_facts(struct sarhad_screener *s, struct scr_entry *se,
                const struct sarhad_watchlist_entry *e)
{
    se->birth_start = (uint32_t)s->birth_count;
    se->birth_count = (uint8_t)e->birth_count;
    if (e->birth_count > 0) /* births may still be NULL */
        memcpy(s->births + s->birth_count, e->births,
               e->birth_count * sizeof(*e->births));
    s->birth_count += e->birth_count;
    se->nat_count = (uint8_t)e->nationality_count;
    memcpy(se->nats, e->nationalities, sizeof(se->nats));
}

enum sarhad_status
sarhad_screener_add(struct sarhad_screener *s,
                    const struct sarhad_watchlist_entry *e,
                    struct sarhad_error *err)
{
    struct sarhad_name *n;
    struct scr_entry *se;
    enum sarhad_status st;
    uint32_t index;
    size_t names_tokens, strings_len;

    if (s == NULL || e == NULL || s->finished)
        return sarhad__fail(err, SARHAD_EINVAL, "screener", SIZE_MAX,
                            "entries are added before finish");
    if (s->entry_count >= SARHAD_WL_MAX_ENTRIES)
        return sarhad__fail(err, SARHAD_EINVAL, "screener", SIZE_MAX,
                            "more than %d entries", SARHAD_WL_MAX_ENTRIES);
    if (!grow((void **)&s->entries, &s->entry_cap, s->entry_count + 1,
              sizeof(*s->entries)) ||
        !grow((void **)&s->births, &s->birth_cap,
              s->birth_count + e->birth_count, sizeof(*s->births)))
        return sarhad__fail(err, SARHAD_ENOMEM, "screener", SIZE_MAX, NULL);
    n = sarhad__malloc(sizeof(*n));
    if (n == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "screener", SIZE_MAX, NULL);
    index = (uint32_t)s->entry_count;
    names_tokens = s->token_count;
    strings_len = s->strings_len;
    se = &s->entries[index];
    memset(se, 0, sizeof(*se));
    se->father = UINT32_MAX;
    se->sex = e->sex;
    se->name_start = (uint32_t)s->name_count;
    st = add_entry_names(s, se, index, e, n, err);
    sarhad__free(n);
    if (st != SARHAD_OK) {
        /* Leave the screener as it was: drop the names already added. */
        s->name_count = se->name_start;
        s->token_count = names_tokens;
        s->strings_len = strings_len;
        return st;
    }
    add_entry_facts(s, se, e);
    s->entry_count++;
    return SARHAD_OK;
}

static int
cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Records are (key << 32 | name) when built; group them into postings. */
static bool
group(uint64_t *rec, size_t count, struct scr_posting **postings,
      size_t *posting_count, uint32_t **names)
{
    size_t keys = 0;

    qsort(rec, count, sizeof(*rec), cmp_u64);
    for (size_t i = 0; i < count; i++)
        if (i == 0 || rec[i] >> 32 != rec[i - 1] >> 32)
            keys++;
    *postings = sarhad__malloc((keys ? keys : 1) * sizeof(**postings));
    *names = sarhad__malloc((count ? count : 1) * sizeof(**names));
    if (*postings == NULL || *names == NULL)
        return false;
    *posting_count = 0;
    for (size_t i = 0; i < count; i++) {
        if (i == 0 || rec[i] >> 32 != rec[i - 1] >> 32) {
            struct scr_posting *p = &(*postings)[(*posting_count)++];
            p->key = rec[i] >> 32;
            p->start = (uint32_t)i;
            p->count = 0;
        }
        (*names)[i] = (uint32_t)rec[i];
        (*postings)[*posting_count - 1].count++;
    }
    return true;
}

/* A pair of key ids folded into the 32 bits the records have for keys. */
static uint32_t
pair_key(uint32_t a, uint32_t b)
{
    uint64_t lo = a < b ? a : b, hi = a < b ? b : a;
    uint64_t h = (lo * 0x9E3779B97F4A7C15ull) ^ (hi + 0x632BE59BD9B4E019ull);

    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return (uint32_t)h;
}

/* What the bound reads of listed name i (see struct scr_sig). */
static struct scr_sig
make_sig(const struct sarhad_screener *s, uint32_t i)
{
    const struct scr_name *nm = &s->names[i];
    const struct scr_entry *e = &s->entries[nm->entry];
    struct scr_sig g;

    memset(&g, 0, sizeof(g));
    g.name = i;
    g.flags = (uint8_t)((nm->vowelless ? SCR_SIG_VOWELLESS : 0) |
                        (e->birth_count > 0 ? SCR_SIG_BIRTH : 0) |
                        (e->nat_count > 0 ? SCR_SIG_NAT : 0) |
                        (e->father != UINT32_MAX ? SCR_SIG_FATHER : 0) |
                        (e->sex == 'M' ? SCR_SIG_MALE : 0) |
                        (e->sex == 'F' ? SCR_SIG_FEMALE : 0));
    if (nm->tok_count > SCR_SIG_SPELLS)
        return g;
    for (unsigned j = 0; j < nm->tok_count; j++) {
        uint32_t sp = s->tokens[nm->tok_start + j].spell;
        if (sp > UINT16_MAX)
            return g; /* tok_count stays 0: the name is visited */
        g.spell[j] = (uint16_t)sp;
    }
    g.tok_count = nm->tok_count;
    return g;
}

/* Group n records (freed here) into postings, and give each posted name
 * the signature the score bound reads. */
static bool
post(const struct sarhad_screener *s, uint64_t *rec, size_t n,
     struct scr_posting **postings, size_t *posting_count,
     struct scr_sig **sigs)
{
    uint32_t *names = NULL;
    bool ok = group(rec, n, postings, posting_count, &names);

    sarhad__free(rec);
    *sigs = ok ? sarhad__malloc((n ? n : 1) * sizeof(**sigs)) : NULL;
    if (*sigs != NULL)
        for (size_t i = 0; i < n; i++)
            (*sigs)[i] = make_sig(s, names[i]);
    sarhad__free(names);
    return *sigs != NULL;
}

static bool
build_pairs(struct sarhad_screener *s)
{
    size_t count = 0, n = 0;
    uint64_t *rec;

    for (size_t i = 0; i < s->name_count; i++) {
        size_t t = s->names[i].tok_count > 6 ? 6 : s->names[i].tok_count;
        count += t <= 1 ? 1 : t * (t - 1) / 2;
    }
    rec = sarhad__malloc((count ? count : 1) * sizeof(*rec));
    if (rec == NULL)
        return false;
    for (size_t i = 0; i < s->name_count; i++) {
        const struct scr_name *nm = &s->names[i];
        const struct scr_token *t = &s->tokens[nm->tok_start];
        size_t tc = nm->tok_count > 6 ? 6 : nm->tok_count;
        if (s->entries[nm->entry].father == i)
            continue; /* fathers' names are evidence, not names to find */
        if (tc == 1)
            rec[n++] = (uint64_t)pair_key(t[0].key, t[0].key) << 32 | i;
        for (size_t a = 0; a < tc; a++)
            for (size_t b = a + 1; b < tc; b++)
                rec[n++] = (uint64_t)pair_key(t[a].key, t[b].key) << 32 | i;
    }
    s->pair_records = n;
    if (!post(s, rec, n, &s->pairs, &s->pair_count, &s->pair_sigs))
        return false;
    n = 0;
    rec = sarhad__malloc((s->token_count ? s->token_count : 1) * sizeof(*rec));
    if (rec == NULL)
        return false;
    for (size_t i = 0; i < s->name_count; i++) {
        const struct scr_name *nm = &s->names[i];
        if (s->entries[nm->entry].father == i)
            continue;
        for (size_t a = 0; a < nm->tok_count; a++)
            rec[n++] = (uint64_t)s->tokens[nm->tok_start + a].key << 32 | i;
    }
    s->single_records = n;
    return post(s, rec, n, &s->singles, &s->single_count, &s->single_sigs);
}

/* The start of each run of a sorted (hash << 32 | id) table by the top
 * *bits bits of the hash (2^bits + 1 entries), so that a look-up searches
 * a few entries instead of the whole table.  The directory has about one
 * run a table entry and no more than 65,537 entries: a bigger one than the
 * table needs is a cache miss more a look-up.  NULL when out of memory. */
static uint32_t *
make_dir(const uint64_t *t, size_t count, unsigned *bits)
{
    uint32_t *dir;
    size_t runs;

    *bits = 4;
    while (*bits < 16 && ((size_t)1 << *bits) < count)
        (*bits)++;
    runs = (size_t)1 << *bits;
    dir = sarhad__malloc((runs + 1) * sizeof(*dir));
    if (dir == NULL)
        return NULL;
    for (size_t b = 0, i = 0; b <= runs; b++) {
        while (i < count && (t[i] >> (64 - *bits)) < b)
            i++;
        dir[b] = (uint32_t)i;
    }
    return dir;
}

/* Spellings of at least this many letters may be two edits apart (the
 * scorer allows two from 8 letters on, and 6 is within 30% of 8). */
#define TWO_EDITS_FROM 6

/* Keep one of each run of equal records in the sorted t[0..n); returns
 * how many are left. */
static size_t
unique_sorted(uint64_t *t, size_t n)
{
    size_t count = 0;

    for (size_t i = 0; i < n; i++)
        if (i == 0 || t[i] != t[i - 1])
            t[count++] = t[i];
    return count;
}

/* Add spelling id sp, each of its one-letter deletions and, when it is
 * long, its two-letter deletions to t at *n. */
static void
add_spell_dels(uint64_t *t, size_t *n, const char *sp, uint32_t id)
{
    size_t len = strlen(sp);
    char buf[24];

    t[(*n)++] = (hash_str(sp, len) & 0xFFFFFFFF00000000ull) | id;
    for (size_t d = 0; d < len && len >= 2; d++) {
        memcpy(buf, sp, d);
        memcpy(buf + d, sp + d + 1, len - d - 1);
        t[(*n)++] = (hash_str(buf, len - 1) & 0xFFFFFFFF00000000ull) | id;
        for (size_t e = d; e + 1 < len && len >= TWO_EDITS_FROM; e++) {
            char two[24];
            /* buf without its letter e: sp without d and e + 1 */
            memcpy(two, buf, e);
            memcpy(two + e, buf + e + 1, len - 2 - e);
            t[(*n)++] = (hash_str(two, len - 2) & 0xFFFFFFFF00000000ull) | id;
        }
    }
}

/* The spellings of each key: a counting sort of the spellings by key. */
static void
sort_spells_by_key(struct sarhad_screener *s)
{
    for (size_t i = 0; i < s->spells.count; i++)
        s->key_spell_start[s->spell_key[i] + 2]++;
    for (size_t k = 2; k < s->keys.count + 2; k++)
        s->key_spell_start[k] += s->key_spell_start[k - 1];
    for (size_t i = 0; i < s->spells.count; i++)
        s->key_spells[s->key_spell_start[s->spell_key[i] + 1]++] = (uint32_t)i;
}

/* Every listed spelling, each of its one-letter deletions and, when it is
 * long, its two-letter deletions, as (hash << 32 | spelling id), sorted;
 * and the spellings of each key. */
static bool
build_spell_index(struct sarhad_screener *s)
{
    size_t count = 0, n = 0, nk = s->keys.count;

    for (size_t i = 0; i < s->spells.count; i++) {
        size_t len = strlen(s->spells.items[i]);
        count += 1 + len + (len >= TWO_EDITS_FROM ? len * (len - 1) / 2 : 0);
    }
    s->spell_dels = sarhad__malloc((count ? count : 1) * sizeof(uint64_t));
    s->key_spell_start = sarhad__calloc(nk + 2, sizeof(uint32_t));
    s->key_spells = sarhad__malloc((s->spells.count ? s->spells.count : 1) *
                                   sizeof(uint32_t));
    if (s->spell_dels == NULL || s->key_spell_start == NULL ||
        s->key_spells == NULL)
        return false;
    for (size_t i = 0; i < s->spells.count; i++)
        add_spell_dels(s->spell_dels, &n, s->spells.items[i], (uint32_t)i);
    qsort(s->spell_dels, n, sizeof(*s->spell_dels), cmp_u64);
    /* A spelling reached twice by the same deletions is kept once. */
    s->spell_del_count = unique_sorted(s->spell_dels, n);
    s->spell_dir =
        make_dir(s->spell_dels, s->spell_del_count, &s->spell_dir_bits);
    if (s->spell_dir == NULL)
        return false;
    sort_spells_by_key(s);
    return true;
}

static bool
build_coarse(struct sarhad_screener *s)
{
    s->coarse = sarhad__malloc((s->keys.count ? s->keys.count : 1) *
                               sizeof(*s->coarse));
    if (s->coarse == NULL)
        return false;
    for (size_t k = 0; k < s->keys.count; k++) {
        char c[24];
        size_t len = sarhad__screen_coarse(c, sizeof(c), s->keys.items[k]);
        s->coarse[k] = (hash_str(c, len) & 0xFFFFFFFF00000000ull) | k;
    }
    s->coarse_count = s->keys.count;
    qsort(s->coarse, s->coarse_count, sizeof(*s->coarse), cmp_u64);
    s->coarse_dir = make_dir(s->coarse, s->coarse_count, &s->coarse_dir_bits);
    return s->coarse_dir != NULL;
}

/* The deletion neighbourhood: every key and each of its one-letter
 * deletions, as (hash << 32 | key id). */
static bool
build_dels(struct sarhad_screener *s)
{
    size_t count = 0, n = 0;

    for (size_t k = 0; k < s->keys.count; k++)
        count += 1 + strlen(s->keys.items[k]);
    s->dels = sarhad__malloc((count ? count : 1) * sizeof(*s->dels));
    if (s->dels == NULL)
        return false;
    for (size_t k = 0; k < s->keys.count; k++) {
        const char *key = s->keys.items[k];
        size_t len = strlen(key);
        char buf[24];
        s->dels[n++] = (hash_str(key, len) & 0xFFFFFFFF00000000ull) | k;
        if (len < 3)
            continue; /* two-letter keys are too short to bend */
        for (size_t d = 0; d < len; d++) {
            memcpy(buf, key, d);
            memcpy(buf + d, key + d + 1, len - d - 1);
            s->dels[n++] = (hash_str(buf, len - 1) & 0xFFFFFFFF00000000ull) | k;
        }
    }
    s->del_count = n;
    qsort(s->dels, n, sizeof(*s->dels), cmp_u64);
    s->del_dir = make_dir(s->dels, n, &s->del_dir_bits);
    return s->del_dir != NULL;
}

/* What the upper bound reads of every candidate, packed: the spelling
 * ids of each name's tokens side by side (one cache line a name), and
 * the length and commonness of each spelling. */
static bool
build_compact(struct sarhad_screener *s)
{
    s->tok_spell = sarhad__malloc((s->token_count ? s->token_count : 1) *
                                  sizeof(uint32_t));
    s->spell_len = sarhad__calloc(s->spells.count + 1, 1);
    s->spell_common = sarhad__calloc(s->spells.count + 1, 1);
    s->spell_letters =
        sarhad__calloc(s->spells.count + 1, sizeof(*s->spell_letters));
    s->spell_key = sarhad__calloc(s->spells.count + 1, sizeof(*s->spell_key));
    if (s->tok_spell == NULL || s->spell_len == NULL ||
        s->spell_common == NULL || s->spell_letters == NULL ||
        s->spell_key == NULL)
        return false;
    for (size_t i = 0; i < s->spells.count; i++)
        s->spell_letters[i] = sarhad__screen_letters(s->spells.items[i]);
    for (size_t i = 0; i < s->token_count; i++) {
        const struct scr_token *t = &s->tokens[i];
        s->tok_spell[i] = t->spell;
        s->spell_len[t->spell] = t->flen;
        s->spell_common[t->spell] = t->common;
        s->spell_key[t->spell] = t->key;
    }
    return true;
}

/* Adds str[0..len) as a written-form key of spelling sp to t[*n]. */
static void
text_del(uint64_t *t, size_t *n, const char *str, size_t len, uint32_t sp)
{
    t[(*n)++] = (hash_str(str, len) & 0xFFFFFFFF00000000ull) | sp;
}

/* The (spelling << 32 | written form) of every token of a name not from
 * Arabic script to pairs (room for every token), the forms interned;
 * *np gets the count.  false when out of memory. */
static bool
collect_written(struct sarhad_screener *s, uint64_t *pairs, size_t *np)
{
    *np = 0;
    for (size_t i = 0; i < s->name_count; i++) {
        const struct scr_name *nm = &s->names[i];
        if (nm->vowelless)
            continue;
        for (unsigned a = 0; a < nm->tok_count; a++) {
            const struct scr_token *t = &s->tokens[nm->tok_start + a];
            uint32_t id = dict_intern(&s->texts, t->text);
            if (id == UINT32_MAX)
                return false;
            pairs[(*np)++] = (uint64_t)t->spell << 32 | id;
        }
    }
    return true;
}

/* The length and letters of each written form, and room for the forms of
 * each spelling (np pairs).  false when out of memory. */
static bool
alloc_written(struct sarhad_screener *s, size_t np)
{
    s->text_len = sarhad__malloc(s->texts.count + 1);
    s->text_letters =
        sarhad__malloc((s->texts.count + 1) * sizeof(*s->text_letters));
    s->spell_text_start = sarhad__calloc(s->spells.count + 2, sizeof(uint32_t));
    s->spell_texts = sarhad__malloc((np ? np : 1) * sizeof(uint32_t));
    if (s->text_len == NULL || s->text_letters == NULL ||
        s->spell_text_start == NULL || s->spell_texts == NULL)
        return false;
    for (size_t i = 0; i < s->texts.count; i++) {
        size_t len = strlen(s->texts.items[i]);
        s->text_len[i] = (uint8_t)len;
        s->text_letters[i] = sarhad__screen_letters(s->texts.items[i]);
    }
    return true;
}

/* The forms of each spelling from the sorted pairs[0..np), once each
 * (pairs keeps the distinct ones).  Returns how many are distinct;
 * *dels gets how many deletion records they will make at most. */
static size_t
index_written(struct sarhad_screener *s, uint64_t *pairs, size_t np,
              size_t *dels)
{
    size_t n = 0;

    *dels = 0;
    for (size_t i = 0; i < np; i++) {
        if (i > 0 && pairs[i] == pairs[i - 1])
            continue;
        pairs[n++] = pairs[i];
        s->spell_text_start[(pairs[i] >> 32) + 1]++;
        *dels += 1 + (size_t)s->text_len[(uint32_t)pairs[i]];
    }
    for (size_t k = 1; k <= s->spells.count; k++)
        s->spell_text_start[k] += s->spell_text_start[k - 1];
    for (size_t i = 0; i < n; i++)
        s->spell_texts[i] = (uint32_t)pairs[i];
    return n;
}

/* Each written form of pairs[0..np) and its one-letter deletions, as
 * (hash << 32 | spelling id), to s->text_dels; returns the count. */
static size_t
written_dels(struct sarhad_screener *s, const uint64_t *pairs, size_t np)
{
    size_t n = 0;

    for (size_t i = 0; i < np; i++) {
        uint32_t sp = (uint32_t)(pairs[i] >> 32);
        const char *tx = s->texts.items[(uint32_t)pairs[i]];
        size_t len = s->text_len[(uint32_t)pairs[i]];
        char buf[24];
        /* A form of WRITTEN_MIN - 1 letters meets a word one longer;
         * shorter ones meet nothing. */
        if (len + 1 < WRITTEN_MIN)
            continue;
        text_del(s->text_dels, &n, tx, len, sp);
        for (size_t d = 0; d < len && len >= WRITTEN_MIN; d++) {
            memcpy(buf, tx, d);
            memcpy(buf + d, tx + d + 1, len - d - 1);
            text_del(s->text_dels, &n, buf, len - 1, sp);
        }
    }
    return n;
}

/*
 * The written forms (see struct sarhad_screener): a typo that folding
 * turns into two or more letters ("Zair" folds to "zer", three letters
 * from Zakir's "zakir"; "Aknund" to two from Akhund's "aKund") is one
 * letter as written, so the scorer compares the written forms too and
 * the index must find the names it pairs that way: a deletion
 * neighbourhood over the forms, as over the spellings.
 */
static bool
build_written(struct sarhad_screener *s)
{
    size_t np, count, n;
    uint64_t *pairs =
        sarhad__malloc((s->token_count ? s->token_count : 1) * sizeof(*pairs));

    if (pairs == NULL)
        return false;
    if (!collect_written(s, pairs, &np)) {
        sarhad__free(pairs);
        return false;
    }
    qsort(pairs, np, sizeof(*pairs), cmp_u64);
    if (!alloc_written(s, np)) {
        sarhad__free(pairs);
        return false;
    }
    np = index_written(s, pairs, np, &count);
    s->text_dels = sarhad__malloc((count ? count : 1) * sizeof(uint64_t));
    if (s->text_dels == NULL) {
        sarhad__free(pairs);
        return false;
    }
    n = written_dels(s, pairs, np);
    sarhad__free(pairs);
    qsort(s->text_dels, n, sizeof(*s->text_dels), cmp_u64);
    s->text_del_count = unique_sorted(s->text_dels, n);
    s->text_dir = make_dir(s->text_dels, s->text_del_count, &s->text_dir_bits);
    return s->text_dir != NULL;
}

enum sarhad_status
sarhad_screener_finish(struct sarhad_screener *s, struct sarhad_error *err)
{
    if (s == NULL || s->finished)
        return sarhad__fail(err, SARHAD_EINVAL, "screener", SIZE_MAX,
                            "finish is called once");
    if (!build_dels(s) || !build_coarse(s) || !build_compact(s) ||
        !build_spell_index(s) || !build_written(s) || !build_pairs(s))
        return sarhad__fail(err, SARHAD_ENOMEM, "screener", SIZE_MAX, NULL);
    s->finished = true;
    return SARHAD_OK;
}

static int
add_entry_cb(void *ctx, const struct sarhad_watchlist_entry *e)
{
    void **c = ctx;
    struct sarhad_error *err = c[1];

    *(enum sarhad_status *)c[2] = sarhad_screener_add(c[0], e, err);
    return *(enum sarhad_status *)c[2] != SARHAD_OK;
}

enum sarhad_status
sarhad_screener_open(struct sarhad_screener **out, struct sarhad_store *store,
                     struct sarhad_error *err)
{
    struct sarhad_watchlist_version v;
    struct sarhad_screener *s = NULL;
    enum sarhad_status st, added = SARHAD_OK;
    size_t count = 0;
    void *ctx[3];

    if (out == NULL || store == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "screener", SIZE_MAX,
                            "no store given");
    st = sarhad_watchlist_versions(store, &v, 1, &count, err);
    if (st == SARHAD_OK)
        st = sarhad_screener_new(&s, count > 0 ? v.label : "", err);
    ctx[0] = s;
    ctx[1] = err;
    ctx[2] = &added;
    if (st == SARHAD_OK && count > 0)
        st = sarhad_watchlist_entries(store, v.label, add_entry_cb, ctx, err);
    if (st == SARHAD_OK)
        st = added;
    if (st == SARHAD_OK)
        st = sarhad_screener_finish(s, err);
    if (st != SARHAD_OK) {
        sarhad_screener_close(s);
        return st;
    }
    *out = s;
    return SARHAD_OK;
}

void
sarhad_screener_stats(const struct sarhad_screener *s,
                      struct sarhad_screener_stats *out)
{
    memset(out, 0, sizeof(*out));
    if (s == NULL)
        return;
    out->entries = s->entry_count;
    out->names = s->name_count;
    out->tokens = s->token_count;
    out->keys = s->keys.count;
    out->pair_keys = s->pair_count;
    out->bytes =
        sizeof(*s) + s->entry_cap * sizeof(*s->entries) +
        s->name_cap * sizeof(*s->names) + s->token_cap * sizeof(*s->tokens) +
        s->birth_cap * sizeof(*s->births) + s->strings_cap +
        (s->keys.cap + s->spells.cap) * (sizeof(*s->keys.items) + 4) +
        (s->keys.table_cap + s->spells.table_cap) * 4 +
        s->del_count * sizeof(*s->dels) + s->pair_count * sizeof(*s->pairs) +
        s->pair_records * sizeof(*s->pair_sigs) +
        s->coarse_count * sizeof(*s->coarse) +
        s->spell_del_count * sizeof(*s->spell_dels) +
        (((size_t)1 << s->spell_dir_bits) + ((size_t)1 << s->del_dir_bits) +
         ((size_t)1 << s->coarse_dir_bits) + ((size_t)1 << s->text_dir_bits) +
         4) *
            4 +
        (s->keys.count + 2 + s->spells.count) * sizeof(uint32_t) +
        s->single_count * sizeof(*s->singles) +
        s->single_records * sizeof(*s->single_sigs) +
        s->token_count * sizeof(*s->tok_spell) + 10 * s->spells.count +
        s->texts.cap * (sizeof(*s->texts.items) + 4) + s->texts.table_cap * 4 +
        s->texts.count * 5 + (s->spells.count + 2) * 4 +
        (s->finished ? s->spell_text_start[s->spells.count] : 0) *
            sizeof(uint32_t) +
        s->text_del_count * sizeof(*s->text_dels);
}

/* ---- querying -------------------------------------------------------- */

static const struct scr_posting *
find_posting(const struct scr_posting *p, size_t count, uint64_t key)
{
    size_t lo = 0, hi = count;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < count && p[lo].key == key ? &p[lo] : NULL;
}

/* Binary search for the first of a sorted (hash << 32 | id) table with
 * the hash of str[0..len); dir narrows the search to the entries sharing
 * the hash's top bits bits (make_dir). */
static size_t
first_of(const uint64_t *t, const uint32_t *dir, unsigned bits, const char *str,
         size_t len)
{
    uint64_t h = hash_str(str, len) & 0xFFFFFFFF00000000ull;
    size_t lo = dir[h >> (64 - bits)];
    size_t hi = dir[(h >> (64 - bits)) + 1];

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if ((t[mid] & 0xFFFFFFFF00000000ull) < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static bool
same_hash(uint64_t a, uint64_t b)
{
    return (a & 0xFFFFFFFF00000000ull) == (b & 0xFFFFFFFF00000000ull);
}

/* A listed key a query word may meet, and the best similarity the scorer
 * can give the word against a spelling of it. */
struct near {
    uint32_t key;
    int sim;
};

static void
consider(struct near *nr, size_t *n, size_t cap, uint32_t key, int sim)
{
    for (size_t i = 0; i < *n; i++)
        if (nr[i].key == key) {
            if (sim > nr[i].sim)
                nr[i].sim = sim;
            return;
        }
    if (*n < cap)
        nr[(*n)++] = (struct near){key, sim};
}

/* The best similarity of the word to a listed spelling of key k (the
 * first few of them). */
static int
key_sim(const struct sarhad_screener *s, const char *text, const char *folded,
        const char *key, uint32_t k)
{
    int best = 0;

    for (uint32_t i = s->key_spell_start[k];
         i < s->key_spell_start[k + 1] && i < s->key_spell_start[k] + 8; i++) {
        int sim =
            sarhad__screen_spell_sim(s, text, folded, key, s->key_spells[i]);
        best = sim > best ? sim : best;
    }
    return best;
}

/* The listed spellings whose deletions hash as str[0..len) does: the
 * keys of those the word may meet join nr (checked: spellings already
 * tried, so none is scored twice). */
static void
probe_spellings(const struct sarhad_screener *s, const char *text,
                const char *folded, const char *key, uint32_t self,
                const char *str, size_t len, bool written, uint32_t *checked,
                size_t *nc, struct near *nr, size_t *nn)
{
    const uint64_t *t = written ? s->text_dels : s->spell_dels;
    size_t count = written ? s->text_del_count : s->spell_del_count;
    size_t at = written
                    ? first_of(t, s->text_dir, s->text_dir_bits, str, len)
                    : first_of(t, s->spell_dir, s->spell_dir_bits, str, len);
    uint64_t h = hash_str(str, len);

    /* (first_of gives the next run when the hash is not there.) */
    for (size_t i = at; i < count && same_hash(t[i], h); i++) {
        uint32_t sp = (uint32_t)t[i];
        bool seen = s->spell_key[sp] == self;
        int sim;
        for (size_t c = 0; c < *nc && !seen; c++)
            seen = checked[c] == sp;
        if (seen)
            continue;
        if (*nc < 64)
            checked[(*nc)++] = sp;
        sim = sarhad__screen_spell_sim(s, text, folded, key, sp);
        if (sim > 0)
            consider(nr, nn, 64, s->spell_key[sp], sim);
    }
}

/* A query word being expanded: the word, and the listed keys found near
 * it so far. */
struct expansion {
    const struct sarhad_screener *s;
    const char *text; /* as written, or NULL */
    const char *folded;
    const char *key;
    uint32_t self;        /* the word's own key id, or UINT32_MAX */
    uint32_t checked[64]; /* spellings scored already */
    size_t nc;
    struct near nr[64];
    size_t nn;
};

static void
probe(struct expansion *x, const char *str, size_t len, bool written)
{
    probe_spellings(x->s, x->text, x->folded, x->key, x->self, str, len,
                    written, x->checked, &x->nc, x->nr, &x->nn);
}

/* Listed spellings one edit from the word (two when it has two_from
 * letters or more): some deletion of one meets some deletion of the
 * other. */
static void
near_spellings(struct expansion *x, size_t two_from)
{
    const char *folded = x->folded;
    size_t flen = strlen(folded);
    char buf[32];

    if (flen >= sizeof(buf))
        return;
    probe(x, folded, flen, false);
    for (size_t d = 0; d < flen; d++) {
        memcpy(buf, folded, d);
        memcpy(buf + d, folded + d + 1, flen - d - 1);
        probe(x, buf, flen - 1, false);
        for (size_t e = d; e + 1 < flen && flen >= two_from; e++) {
            char two[32];
            memcpy(two, buf, e);
            memcpy(two + e, buf + e + 1, flen - 2 - e);
            probe(x, two, flen - 2, false);
        }
    }
}

/* Listed spellings with a written form a slip from the word as written
 * (the same deletions, over the forms). */
static void
near_written(struct expansion *x)
{
    const char *text = x->text;
    char buf[32];
    size_t tl;

    if (text == NULL || strlen(text) + 1 < WRITTEN_MIN ||
        strlen(text) >= sizeof(buf))
        return;
    tl = strlen(text);
    probe(x, text, tl, true);
    for (size_t d = 0; d < tl && tl >= WRITTEN_MIN; d++) {
        memcpy(buf, text, d);
        memcpy(buf + d, text + d + 1, tl - d - 1);
        probe(x, buf, tl - 1, true);
    }
}

/* Listed keys one edit from the word's.  Two-letter keys only grow ("Kn"
 * of Akhun to "Knd" of Akhund): a deletion would leave one letter, which
 * says nothing. */
static void
near_keys(struct expansion *x)
{
    const struct sarhad_screener *s = x->s;
    const char *key = x->key;
    size_t len = strlen(key);
    char buf[32];

    for (size_t d = len < 3 ? len : 0; d <= len && len >= 2; d++) {
        size_t at;
        memcpy(buf, key, d);
        memcpy(buf + d, key + d + 1, d < len ? len - d - 1 : 0);
        at = first_of(s->dels, s->del_dir, s->del_dir_bits, d < len ? buf : key,
                      d < len ? len - 1 : len);
        for (size_t i = at;
             i < s->del_count && same_hash(s->dels[i], s->dels[at]); i++) {
            uint32_t k = (uint32_t)s->dels[i];
            int sim;
            if (k == x->self || strlen(s->keys.items[k]) < 2 ||
                sarhad__osa_distance(s->keys.items[k], key) > 1)
                continue;
            sim = key_sim(s, x->text, x->folded, key, k);
            if (sim > 0)
                consider(x->nr, &x->nn, SARHAD_COUNT_OF(x->nr), k, sim);
        }
    }
}

/* Keys of the same coarse form: h come and gone, a digraph broken. */
static void
same_coarse_keys(struct expansion *x)
{
    const struct sarhad_screener *s = x->s;
    char c[24], lc[24];
    size_t cl = sarhad__screen_coarse(c, sizeof(c), x->key);
    size_t at = first_of(s->coarse, s->coarse_dir, s->coarse_dir_bits, c, cl);

    for (size_t i = at; cl >= 2 && i < s->coarse_count &&
                        same_hash(s->coarse[i], s->coarse[at]);
         i++) {
        uint32_t k = (uint32_t)s->coarse[i];
        int sim;
        sarhad__screen_coarse(lc, sizeof(lc), s->keys.items[k]);
        if (k == x->self || strcmp(lc, c) != 0)
            continue;
        sim = key_sim(s, x->text, x->folded, x->key, k);
        if (sim > 0)
            consider(x->nr, &x->nn, SARHAD_COUNT_OF(x->nr), k, sim);
    }
}

/* The keys found, the closest first, then the most frequent: a rare one
 * is likelier a typo. */
static void
sort_near(struct expansion *x)
{
    const uint32_t *df = x->s->keys.df;
    struct near *nr = x->nr;

    for (size_t i = 1; i < x->nn; i++)
        for (size_t j = i; j > 0 && (nr[j].sim > nr[j - 1].sim ||
                                     (nr[j].sim == nr[j - 1].sim &&
                                      df[nr[j].key] > df[nr[j - 1].key]));
             j--) {
            struct near t = nr[j];
            nr[j] = nr[j - 1];
            nr[j - 1] = t;
        }
}

/*
 * The listed keys a query word (folded, key; text as written, or NULL)
 * may meet: its own key first when listed, then, best similarity first
 * and the most frequent first among equals, up to cap of the keys of
 * listed spellings within one edit of the word, of listed spellings with
 * a written form one letter from its text, of listed keys within one edit
 * of its key, and of listed keys of the same coarse form (see
 * sarhad__screen_coarse) -- each only when the scorer would give the word
 * something against a spelling of it, so no lookup is spent on a key that
 * cannot score.
 */
static size_t
expand(const struct sarhad_screener *s, const char *text, const char *folded,
       const char *key, size_t two_from, uint32_t *out, size_t cap)
{
    struct expansion x;
    size_t n = 0;

    x.s = s;
    x.text = text;
    x.folded = folded;
    x.key = key;
    x.self = sarhad__screen_dict_find(&s->keys, key);
    x.nc = 0;
    x.nn = 0;
    if (x.self != UINT32_MAX)
        out[n++] = x.self;
    near_spellings(&x, two_from);
    near_written(&x);
    near_keys(&x);
    same_coarse_keys(&x);
    /* "Md" and "Mohd" are how Muhammad is abbreviated. */
    if (strcmp(key, "md") == 0 || strcmp(key, "mhd") == 0) {
        uint32_t k = sarhad__screen_dict_find(&s->keys, "mhmd");
        if (k != UINT32_MAX && k != x.self)
            consider(x.nr, &x.nn, SARHAD_COUNT_OF(x.nr), k, 90);
    }
    sort_near(&x);
    for (size_t i = 0; i < x.nn && n < cap; i++)
        out[n++] = x.nr[i].key;
    return n;
}

struct lookup {
    const struct scr_posting *p;
    bool single; /* a posting of the single index */
};

static int
cmp_lookup(const void *a, const void *b)
{
    uint32_t x = ((const struct lookup *)a)->p->count;
    uint32_t y = ((const struct lookup *)b)->p->count;

    return x < y ? -1 : x > y;
}

static int
cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return x < y ? -1 : x > y;
}

/*
 * A compound the normaliser made of two written words, when the list
 * holds no such word: the two words may be listed apart.  A name written
 * surname first puts a second element after the surname ("Noorzai Qadir"
 * reads noorzaiqadir, for Qadir Noorzai), and the scorer joins listed
 * words in either order to meet it; the index looks the parts up as a
 * pair.  Only for a query written in more words than it has tokens, at
 * the first split of its text whose two parts are both listed keys; the
 * parts' keys join the query's (at most two such splits, at m on).
 */
static size_t
split_compounds(const struct sarhad_screener *s, const struct sarhad_name *q,
                size_t words, uint32_t exp[][MAX_EXPANSIONS], size_t *exp_n,
                size_t *exact_n, size_t m)
{
    if (q->vowelless || sarhad__screen_written_words(q) <= q->token_count)
        return m;
    for (size_t i = 0; i < words && m + 2 <= QUERY_KEYS; i++) {
        const char *t = q->tokens[i].text;
        size_t len = strlen(t);
        if (len < 6 || (exp_n[i] > 0 && exact_n[i] == 1))
            continue; /* short, or a listed word itself */
        for (size_t p = 2; p + 2 <= len; p++) {
            char f[32], k[24];
            uint32_t a, b;
            sarhad__name_fold(f, sizeof(f), t, p);
            sarhad__name_skeleton(k, sizeof(k), f);
            a = sarhad__screen_dict_find(&s->keys, k);
            if (a == UINT32_MAX)
                continue;
            sarhad__name_fold(f, sizeof(f), t + p, len - p);
            sarhad__name_skeleton(k, sizeof(k), f);
            b = sarhad__screen_dict_find(&s->keys, k);
            if (b == UINT32_MAX)
                continue;
            exp[m][0] = a;
            exp[m + 1][0] = b;
            exp_n[m] = exp_n[m + 1] = exact_n[m] = exact_n[m + 1] = 1;
            m += 2;
            break;
        }
    }
    return m;
}

/* The listed keys a query looks up: for each of its words, joined pairs
 * of words and split compounds, the expansions (exact_n of them the
 * word's own key, or all when it has none listed). */
struct query_keys {
    uint32_t exp[QUERY_KEYS][MAX_EXPANSIONS];
    size_t exp_n[QUERY_KEYS], exact_n[QUERY_KEYS];
    size_t count; /* of exp in use */
    size_t words; /* the first words of exp are the query's words */
};

/* How many of the count expansions in exp are exact: 1 when the first is
 * the listed key of key itself, else all of them. */
static size_t
exact_count(const struct sarhad_screener *s, const uint32_t *exp, size_t count,
            const char *key)
{
    return count > 0 && exp[0] == sarhad__screen_dict_find(&s->keys, key)
               ? 1
               : count;
}

/* The expansions of each of the query's first six words. */
static void
expand_words(const struct sarhad_screener *s, const struct sarhad_name *q,
             struct query_keys *qk)
{
    size_t m = q->token_count > 6 ? 6 : q->token_count;

    for (size_t i = 0; i < m; i++) {
        qk->exp_n[i] = expand(s, q->vowelless ? NULL : q->tokens[i].text,
                              q->tokens[i].folded, q->tokens[i].key,
                              TWO_EDITS_FROM, qk->exp[i], MAX_EXPANSIONS);
        qk->exact_n[i] =
            exact_count(s, qk->exp[i], qk->exp_n[i], q->tokens[i].key);
    }
    qk->count = m;
    qk->words = m;
}

/* Two words the list may write as one ("Fazal Rahhim", Fazalrahim): their
 * joined key also looks for pairs -- neighbours in order, then in the
 * other order, then the last word before the first, as a name written
 * surname first splits a compound ("Rahman Abdur"). */
static void
expand_joined(const struct sarhad_screener *s, const struct sarhad_name *q,
              struct query_keys *qk)
{
    size_t words = qk->words, m = qk->count;

    for (size_t p = 0;
         words >= 2 && p < 2 * (words - 1) + (words >= 3) && m < QUERY_KEYS;
         p++) {
        size_t a = p < words - 1         ? p
                   : p < 2 * (words - 1) ? p - words + 2
                                         : words - 1;
        size_t b = p < words - 1 ? p + 1 : p < 2 * (words - 1) ? a - 1 : 0;
        char f[64], k[24], t[64];
        snprintf(f, sizeof(f), "%s%s", q->tokens[a].folded,
                 q->tokens[b].folded);
        snprintf(t, sizeof(t), "%s%s", q->tokens[a].text, q->tokens[b].text);
        sarhad__name_skeleton(k, sizeof(k), f);
        /* align joins words only at 90 or more: one edit, two from 20
         * letters on; or one letter as written from ten letters on (a
         * joined text of nine, one short of a listed ten), which is
         * looked for in neighbours in order only: a slip and a reversal
         * together are left to the other words' pairs. */
        qk->exp_n[m] = expand(
            s, !q->vowelless && p < words - 1 && strlen(t) >= 9 ? t : NULL, f,
            k, 20, qk->exp[m], MAX_EXPANSIONS);
        qk->exact_n[m] = exact_count(s, qk->exp[m], qk->exp_n[m], k);
        if (qk->exp_n[m] > 0)
            m++;
    }
    qk->count = m;
}

/* The postings of every pair of expansions of two keys (of one key, for
 * a one-word query, the single index) to lk at *lk_n, up to lk_cap. */
static void
pair_lookups(const struct sarhad_screener *s, const struct query_keys *qk,
             struct lookup *lk, size_t *lk_n, size_t lk_cap)
{
    size_t m = qk->count, words = qk->words;

    for (size_t i = 0; i < m; i++)
        for (size_t j = i; j < m; j++)
            for (size_t a = 0; a < qk->exp_n[i]; a++)
                for (size_t b = 0; b < qk->exp_n[j]; b++) {
                    const struct scr_posting *p;
                    bool single = i == j && words == 1;
                    if (i == j && a != b)
                        continue;
                    /* One side as written, the other bent by an edit:
                     * two typos in one pair are left to the other pairs
                     * (a two-word name has no other pair). */
                    if (i != j && a >= qk->exact_n[i] && b >= qk->exact_n[j] &&
                        words > 2)
                        continue;
                    /* A one-token query also reaches the names holding
                     * that token (partial names). */
                    if (single)
                        p = find_posting(s->singles, s->single_count,
                                         qk->exp[i][a]);
                    else
                        p = find_posting(
                            s->pairs, s->pair_count,
                            pair_key(qk->exp[i][a], qk->exp[j][b]));
                    if (p != NULL && *lk_n < lk_cap)
                        lk[(*lk_n)++] = (struct lookup){p, single};
                }
}

/* A word of a two-word query with no listed key near it (an initial, a
 * typo the scorer gives nothing): the names holding the other word stand
 * in for the pair it cannot make.  With three words or more, the pairs of
 * the others already reach every name that can score without it. */
static void
lone_word_lookups(const struct sarhad_screener *s, const struct query_keys *qk,
                  struct lookup *lk, size_t *lk_n, size_t lk_cap)
{
    size_t words = qk->words;

    for (size_t i = 0; i < words && words == 2; i++) {
        if (qk->exp_n[i] > 0)
            continue;
        for (size_t j = 0; j < words; j++)
            for (size_t a = 0; a < qk->exact_n[j] && *lk_n < lk_cap; a++) {
                const struct scr_posting *p =
                    find_posting(s->singles, s->single_count, qk->exp[j][a]);
                if (p != NULL)
                    lk[(*lk_n)++] = (struct lookup){p, true};
            }
        break;
    }
}

/* The postings a query looks up, smallest first, in a heap array the
 * caller frees; *records gets how many names they hold in all (repeats
 * counted).  NULL when out of memory. */
static struct lookup *
lookups(const struct sarhad_screener *s, const struct sarhad_name *q,
        size_t *count, size_t *records)
{
    struct query_keys qk;
    struct lookup *lk;
    size_t lk_n = 0, lk_cap, total = 0, m;

    expand_words(s, q, &qk);
    expand_joined(s, q, &qk);
    m = split_compounds(s, q, qk.words, qk.exp, qk.exp_n, qk.exact_n, qk.count);
    qk.count = m;
    lk_cap = m * m * MAX_EXPANSIONS * MAX_EXPANSIONS + m * MAX_EXPANSIONS + 1;
    lk = sarhad__malloc(lk_cap * sizeof(*lk));
    if (lk == NULL)
        return NULL;
    pair_lookups(s, &qk, lk, &lk_n, lk_cap);
    lone_word_lookups(s, &qk, lk, &lk_n, lk_cap);
    qsort(lk, lk_n, sizeof(*lk), cmp_lookup);
    /* The most selective postings are always read; past CANDIDATE_CAP
     * names the least selective are left out (a safety valve). */
    for (size_t i = 0; i < lk_n; i++) {
        if (i > 0 && total + lk[i].p->count > CANDIDATE_CAP) {
            lk_n = i;
            break;
        }
        total += lk[i].p->count;
    }
    *count = lk_n;
    *records = total;
    return lk;
}

/*
 * Gather the names of a query's postings, each once (a bitmap of the
 * names seen), into order as (100 - bound) << 32 | name for every name
 * whose upper bound reaches base; with q NULL every name is kept, bound
 * 0.  The postings carry what the bound reads, so no name is visited.
 * *kept gets the count; the caller frees *order.  false when out of
 * memory.
 */
static bool
gather(const struct sarhad_screener *s, const struct scr_query *q,
       const struct sarhad_name *qn, int base, uint64_t **order, size_t *kept)
{
    struct lookup *lk;
    size_t lk_n, total, n = 0;
    uint64_t *seen, *out;

    *order = NULL;
    *kept = 0;
    lk = lookups(s, qn, &lk_n, &total);
    if (lk == NULL)
        return false;
    seen = sarhad__calloc(s->name_count / 64 + 1, sizeof(*seen));
    out = sarhad__malloc((total ? total : 1) * sizeof(*out));
    if (seen == NULL || out == NULL) {
        sarhad__free(lk);
        sarhad__free(seen);
        sarhad__free(out);
        return false;
    }
    for (size_t l = 0; l < lk_n; l++) {
        const struct scr_posting *p = lk[l].p;
        const struct scr_sig *g0 =
            (lk[l].single ? s->single_sigs : s->pair_sigs) + p->start;
        for (uint32_t r = 0; r < p->count; r++) {
            const struct scr_sig *g = &g0[r];
            uint32_t name = g->name;
            int b = 0;
            if (seen[name / 64] & (1ull << (name % 64)))
                continue;
            seen[name / 64] |= 1ull << (name % 64);
            if (q != NULL) {
                b = sarhad__screen_bound_sig(s, q, g);
                b = b < 0 ? 0 : b > 100 ? 100 : b;
                if (b < base)
                    continue;
            }
            out[n++] = (uint64_t)(100 - b) << 32 | name;
        }
    }
    sarhad__free(lk);
    sarhad__free(seen);
    *order = out;
    *kept = n;
    return true;
}

/*
 * The candidate names of a query, sorted and unique, in a heap array the
 * caller frees (*count of them).  false when out of memory.
 */
bool
sarhad__screen_candidates(const struct sarhad_screener *s,
                          const struct sarhad_name *q, uint32_t **out,
                          size_t *count)
{
    uint64_t *order;
    uint32_t *names;
    size_t n;

    if (!gather(s, NULL, q, 0, &order, &n))
        return false;
    names = sarhad__malloc((n ? n : 1) * sizeof(*names));
    if (names == NULL) {
        sarhad__free(order);
        return false;
    }
    for (size_t i = 0; i < n; i++)
        names[i] = (uint32_t)order[i];
    sarhad__free(order);
    qsort(names, n, sizeof(*names), cmp_u32);
    *out = names;
    *count = n;
    return true;
}

enum sarhad_status
sarhad__screen_prepare(const struct sarhad_screener *s,
                       const struct sarhad_screen_query *in, int threshold,
                       struct scr_query *q, struct sarhad_error *err)
{
    enum sarhad_status st;

    if (s == NULL || in == NULL || in->name == NULL || !s->finished)
        return sarhad__fail(err, SARHAD_EINVAL, "name", SIZE_MAX,
                            "no name to screen");
    if (threshold < 0 || threshold > 100)
        return sarhad__fail(err, SARHAD_EINVAL, "threshold", SIZE_MAX,
                            "a threshold is 0 to 100");
    memset(q, 0, sizeof(*q));
    st = sarhad_name_normalize(&q->name, in->name, strlen(in->name), err);
    if (st != SARHAD_OK)
        return st;
    if (in->father_name != NULL && in->father_name[0] != '\0') {
        st = sarhad_name_normalize(&q->father, in->father_name,
                                   strlen(in->father_name), err);
        if (st != SARHAD_OK) {
            if (err != NULL)
                sarhad__strlcpy(err->field, "father_name", sizeof(err->field));
            return st;
        }
        q->has_father = q->father.token_count > 0;
    }
    if (in->nationality != NULL && in->nationality[0] != '\0' &&
        !sarhad_nationality_code(q->nat, in->nationality,
                                 strlen(in->nationality)))
        return sarhad__fail(err, SARHAD_EINVAL, "nationality", SIZE_MAX,
                            "not an ICAO code or a known country name");
    q->dob = in->birth_date;
    q->birth_year =
        in->birth_date.year != 0 ? in->birth_date.year : in->birth_year;
    q->sex = (char)(in->sex == 'M' || in->sex == 'F' ? in->sex : 0);
    for (unsigned i = 0; i < q->name.token_count; i++) {
        q->keys[i] = sarhad__screen_dict_find(&s->keys, q->name.tokens[i].key);
        q->spells[i] =
            sarhad__screen_dict_find(&s->spells, q->name.tokens[i].folded);
        q->common[i] = sarhad__screen_is_common(q->name.tokens[i].key,
                                                q->name.tokens[i].folded);
    }
    return SARHAD_OK;
}

/* Whether candidate (score a, name x) goes before (score b, name y): the
 * higher score, and on a tie the name listed first, so the hits do not
 * depend on the order the candidates are scored in. */
static bool
before(int a, uint32_t x, int b, uint32_t y)
{
    return a > b || (a == b && x < y);
}

/* Keep the best `cap` candidates (one per entry) in best, best first;
 * at[] holds the name index of each. */
static void
keep_best(struct sarhad_candidate *best, uint32_t *at, unsigned *count,
          unsigned cap, const struct sarhad_candidate *c, uint32_t name)
{
    unsigned i, k;

    for (i = 0; i < *count; i++)
        if (strcmp(best[i].hit.entry_id, c->hit.entry_id) == 0) {
            if (!before(c->hit.score, name, best[i].hit.score, at[i]))
                return;
            memmove(&best[i], &best[i + 1], (*count - i - 1) * sizeof(*best));
            memmove(&at[i], &at[i + 1], (*count - i - 1) * sizeof(*at));
            (*count)--;
            break;
        }
    for (k = 0; k < *count; k++)
        if (before(c->hit.score, name, best[k].hit.score, at[k]))
            break;
    if (k >= cap)
        return;
    if (*count == cap)
        (*count)--;
    memmove(&best[k + 1], &best[k], (*count - k) * sizeof(*best));
    memmove(&at[k + 1], &at[k], (*count - k) * sizeof(*at));
    best[k] = *c;
    at[k] = name;
    (*count)++;
}

/*
 * Score the candidates of a query into best (the best cap, best first).
 * below: whether names under the threshold are wanted (an explanation
 * shows near misses); a screening only wants hits, so a candidate whose
 * upper bound is under the threshold is never aligned.
 */
static enum sarhad_status
run(const struct sarhad_screener *s, const struct sarhad_screen_query *in,
    int threshold, bool below, struct sarhad_candidate *best, unsigned cap,
    unsigned *best_count, size_t *scored, struct scr_query *q,
    struct sarhad_error *err)
{
    struct sarhad_candidate *c;
    uint32_t *at;
    uint64_t *order = NULL;
    size_t count = 0;
    int base = below ? 0 : threshold;
    enum sarhad_status st = sarhad__screen_prepare(s, in, threshold, q, err);

    *best_count = 0;
    *scored = 0;
    if (st != SARHAD_OK)
        return st;
    if (q->name.token_count == 0)
        return SARHAD_OK;
    at = sarhad__malloc(cap * sizeof(*at));
    c = sarhad__malloc(sizeof(*c));
    q->cache = sarhad__calloc(1, sizeof(*q->cache));
    /* Bound every candidate as it is gathered, then score the promising
     * ones best bound first: the list of hits fills with good names early
     * and the bar it sets stops the scan long before the end. */
    if (at == NULL || c == NULL || q->cache == NULL ||
        !sarhad__screen_bound_init(s, q) ||
        !gather(s, q, &q->name, base, &order, &count)) {
        sarhad__free(at);
        sarhad__free(c);
        sarhad__free(q->cache);
        sarhad__free(q->bound);
        q->cache = NULL;
        q->bound = NULL;
        return sarhad__fail(err, SARHAD_ENOMEM, "screener", SIZE_MAX, NULL);
    }
    qsort(order, count, sizeof(*order), cmp_u64);
    for (size_t i = 0; i < count; i++) {
        int b = 100 - (int)(order[i] >> 32), quick, need = base;
        uint32_t name = (uint32_t)order[i];
        if (*best_count == cap) {
            const struct sarhad_candidate *w = &best[cap - 1];
            if (b < w->hit.score)
                break; /* nothing further on can beat the last kept */
            if (w->hit.score >= need)
                need = name < at[cap - 1] ? w->hit.score : w->hit.score + 1;
        }
        if (b < need)
            continue;
        /* Explanations are written only for names that make the list. */
        quick = sarhad__screen_score(s, q, name, NULL);
        if (quick < need)
            continue;
        sarhad__screen_score(s, q, name, c);
        keep_best(best, at, best_count, cap, c, name);
    }
    *scored = count;
    sarhad__free(order);
    sarhad__free(at);
    sarhad__free(c);
    sarhad__free(q->cache);
    sarhad__free(q->bound);
    q->cache = NULL;
    q->bound = NULL;
    return SARHAD_OK;
}

enum sarhad_status
sarhad_screener_query(const struct sarhad_screener *s,
                      const struct sarhad_screen_query *query, int threshold,
                      struct sarhad_screening *out, struct sarhad_error *err)
{
    struct {
        struct scr_query q;
        struct sarhad_candidate best[SARHAD_MAX_HITS];
    } * w;
    unsigned n;
    size_t scored;
    enum sarhad_status st;

    if (out == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "screening", SIZE_MAX,
                            "no result given");
    w = sarhad__malloc(sizeof(*w));
    if (w == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "screener", SIZE_MAX, NULL);
    st = run(s, query, threshold, false, w->best, SARHAD_MAX_HITS, &n, &scored,
             &w->q, err);
    if (st == SARHAD_OK) {
        memset(out, 0, sizeof(*out));
        out->screened = true;
        sarhad__strlcpy(out->list_version, s->version,
                        sizeof(out->list_version));
        for (unsigned i = 0; i < n; i++) {
            if (w->best[i].hit.score < threshold)
                break;
            out->hits[out->hit_count] = w->best[i].hit;
            sarhad__strlcpy(out->hits[out->hit_count].list_version, s->version,
                            sizeof(out->hits[0].list_version));
            out->hit_count++;
        }
    }
    sarhad__free(w);
    return st;
}

enum sarhad_status
sarhad_screener_explain(const struct sarhad_screener *s,
                        const struct sarhad_screen_query *query, int threshold,
                        struct sarhad_explanation *out,
                        struct sarhad_error *err)
{
    struct scr_query *q;
    enum sarhad_status st;

    if (out == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "explanation", SIZE_MAX,
                            "no result given");
    q = sarhad__malloc(sizeof(*q));
    if (q == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "screener", SIZE_MAX, NULL);
    memset(out, 0, sizeof(*out));
    st = run(s, query, threshold, true, out->candidates, SARHAD_EXPLAIN_MAX,
             &out->candidate_count, &out->scored, q, err);
    if (st == SARHAD_OK) {
        out->query = q->name;
        out->threshold = threshold;
        sarhad__strlcpy(out->list_version, s->version,
                        sizeof(out->list_version));
        for (unsigned i = 0; i < out->candidate_count; i++) {
            out->candidates[i].above_threshold =
                out->candidates[i].hit.score >= threshold;
            sarhad__strlcpy(out->candidates[i].hit.list_version, s->version,
                            sizeof(out->candidates[i].hit.list_version));
        }
    } else {
        memset(out, 0, sizeof(*out));
    }
    sarhad__free(q);
    return st;
}
