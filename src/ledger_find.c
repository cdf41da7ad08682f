/*
 * ledger_find.c - finding travellers by what an officer holds: a document
 * number or a name.  Both go through indexes the recording keeps anyway
 * (the primary keys of traveller_key and visa), so a search is a few
 * b-tree seeks, never a scan of the travellers.  A passport or visa
 * number given without its issuing state is looked up in each state the
 * store holds, and a name without its nationality in each nationality,
 * the states found by seeking past one state's keys to the next (a skip
 * scan: one seek per state, however many keys each holds).
 */
#include "ledger.h"

#include <ctype.h>
#include <string.h>

/* Name keys a search reads in one nationality's range before it stops and
 * says there are more: a surname shared by thousands is narrowed by the
 * caller (given names, birth date), not read whole. */
#define NAME_CANDIDATES 2000
/* Issuing states or nationalities a skip scan visits at most. */
#define MAX_PREFIXES 1000

static const char sql_key_get[] = "SELECT traveller_id FROM traveller_key"
                                  " WHERE kind = ?1 AND value = ?2";
static const char sql_key_next[] =
    "SELECT value FROM traveller_key WHERE kind = ?1 AND value > ?2"
    " ORDER BY value LIMIT 1";
static const char sql_key_range[] =
    "SELECT value, traveller_id FROM traveller_key"
    " WHERE kind = ?1 AND value >= ?2 AND value < ?3 ORDER BY value LIMIT ?4";
static const char sql_visa_get[] =
    "SELECT traveller_id FROM visa WHERE key = ?2 AND ?1 IS NOT NULL";
static const char sql_visa_next[] =
    "SELECT key FROM visa WHERE key > ?2 AND ?1 IS NOT NULL"
    " ORDER BY key LIMIT 1";
/* Who they are and their last attempt with its final outcome. */
static const char sql_who[] =
    "SELECT t.nationality, t.surname, t.given_names, t.birth_date, t.sex,"
    " a.id, a.time, a.crossing, a.direction,"
    " coalesce(r.decision, a.decision) FROM traveller t"
    " LEFT JOIN attempt a ON a.id = (SELECT max(id) FROM attempt"
    "  WHERE traveller_id = t.id)"
    " LEFT JOIN resolution r ON r.attempt_id = a.id WHERE t.id = ?1";

struct search {
    struct sarhad_store *store;
    void (*fn)(void *ctx, const struct sarhad_traveller_match *m);
    void *ctx;
    int64_t seen[SARHAD_FIND_MAX];
    unsigned found;
    bool more; /* more travellers match than were reported */
    bool full; /* SARHAD_FIND_MAX reported and one more seen: stop */
    /* The query, normalised as keys are. */
    char document[48];
    char code[4]; /* the issuing state, or for a name the nationality */
    char surname[64];
    char given[96];
    char born[9]; /* YYYYMMDD, "" when not given */
};

/* Where a kind's keys live: traveller_key under a kind, or visa. */
struct source {
    const char *kind; /* bound as ?1 */
    const char *get, *next;
    bool prefixed; /* values are "STATE:NUMBER" */
};

static const struct source sources[] = {
    {"passport", sql_key_get, sql_key_next, true},
    {"visa", sql_visa_get, sql_visa_next, true},
    {"cnic", sql_key_get, NULL, false},
    {"tazkira", sql_key_get, NULL, false},
    {"por", sql_key_get, NULL, false},
    {"acc", sql_key_get, NULL, false},
};
static const struct source name_source = {"nbd", sql_key_get, sql_key_next,
                                          true};

static bool
seen(const struct search *s, int64_t id)
{
    for (unsigned i = 0; i < s->found; i++)
        if (s->seen[i] == id)
            return true;
    return false;
}

/* Read traveller id and hand them to fn, unless already found (or the
 * answer is full: then say there are more); a traveller whose row is
 * missing (a store being written) or whose surname is not want_surname
 * is passed over. */
static enum sarhad_status
report(struct search *s, int64_t id, const char *by, const char *value,
       const char *want_surname, struct sarhad_error *err)
{
    struct sarhad_traveller_match m;
    sqlite3_stmt *st;
    int rc;

    if (id == 0 || s->full || seen(s, id))
        return SARHAD_OK;
    st = sarhad__store_prepare(s->store, sql_who, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    memset(&m, 0, sizeof(m));
    sqlite3_bind_int64(st, 1, id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        char norm[64];
        m.traveller_id = id;
        sarhad__strlcpy(m.by, by, sizeof(m.by));
        sarhad__strlcpy(m.value, value, sizeof(m.value));
        sarhad__strlcpy(m.nationality, sarhad__col_text(st, 0),
                        sizeof(m.nationality));
        sarhad__strlcpy(m.surname, sarhad__col_text(st, 1), sizeof(m.surname));
        sarhad__strlcpy(m.given_names, sarhad__col_text(st, 2),
                        sizeof(m.given_names));
        sarhad__strlcpy(m.birth_date, sarhad__col_text(st, 3),
                        sizeof(m.birth_date));
        sarhad__strlcpy(m.sex, sarhad__col_text(st, 4), sizeof(m.sex));
        m.last_attempt = sqlite3_column_int64(st, 5);
        sarhad__strlcpy(m.last_time, sarhad__col_text(st, 6),
                        sizeof(m.last_time));
        sarhad__strlcpy(m.last_crossing, sarhad__col_text(st, 7),
                        sizeof(m.last_crossing));
        sarhad__strlcpy(m.last_direction, sarhad__col_text(st, 8),
                        sizeof(m.last_direction));
        sarhad__strlcpy(m.last_final, sarhad__col_text(st, 9),
                        sizeof(m.last_final));
        sarhad__key_normalise(norm, sizeof(norm), m.surname);
        if (want_surname != NULL && strcmp(norm, want_surname) != 0)
            rc = SQLITE_DONE; /* the key's name split another way */
    }
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sarhad__store_fail(s->store->db, rc, "find a traveller", err);
    if (rc == SQLITE_ROW && s->found == SARHAD_FIND_MAX) {
        s->more = s->full = true; /* one past the answer */
    } else if (rc == SQLITE_ROW) {
        s->seen[s->found++] = id;
        s->fn(s->ctx, &m);
    }
    return SARHAD_OK;
}

/* Who holds value in src. */
static enum sarhad_status
probe(struct search *s, const struct source *src, const char *value,
      struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(s->store, src->get, err);
    int64_t id = 0;
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_text(st, 1, src->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sarhad__store_fail(s->store->db, rc, "find a traveller", err);
    return report(s, id, src->kind, value, NULL, err);
}

/* The first value of src after after, in out ("" when none). */
static enum sarhad_status
next_value(struct search *s, const struct source *src, const char *after,
           char *out, size_t cap, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(s->store, src->next, err);
    int rc;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_text(st, 1, src->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, after, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    out[0] = '\0';
    if (rc == SQLITE_ROW)
        sarhad__strlcpy(out, sarhad__col_text(st, 0), cap);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sarhad__store_fail(s->store->db, rc, "find a traveller", err);
    return SARHAD_OK;
}

/*
 * Call each with every "STATE:" that src's values begin with, in
 * order: seek the first value past the last state's, read its state, and
 * seek past all of that state's keys (";" follows ":").
 */
static enum sarhad_status
each_prefix(struct search *s, const struct source *src,
            enum sarhad_status (*each)(struct search *s,
                                       const struct source *src,
                                       const char *prefix,
                                       struct sarhad_error *err),
            struct sarhad_error *err)
{
    char after[160] = "", value[160];
    enum sarhad_status st = SARHAD_OK;

    for (int i = 0; st == SARHAD_OK; i++) {
        char *colon;
        st = next_value(s, src, after, value, sizeof(value), err);
        if (st != SARHAD_OK || value[0] == '\0')
            break;
        if (i == MAX_PREFIXES) {
            s->more = true; /* states past the last visited go unsearched */
            break;
        }
        colon = strchr(value, ':');
        if (colon == NULL) { /* not a prefixed value: step over it */
            sarhad__strlcpy(after, value, sizeof(after));
            continue;
        }
        colon[1] = '\0';
        st = each(s, src, value, err);
        *colon = ';';
        sarhad__strlcpy(after, value, sizeof(after));
    }
    return st;
}

static enum sarhad_status
document_in(struct search *s, const struct source *src, const char *prefix,
            struct sarhad_error *err)
{
    char value[160];

    sarhad__strlcpy(value, prefix, sizeof(value));
    sarhad__strlcpy(value + strlen(value), s->document,
                    sizeof(value) - strlen(value));
    return probe(s, src, value, err);
}

static enum sarhad_status
find_document(struct search *s, const char *kind, struct sarhad_error *err)
{
    enum sarhad_status st = SARHAD_OK;

    for (size_t i = 0;
         st == SARHAD_OK && i < sizeof(sources) / sizeof(*sources); i++) {
        const struct source *src = &sources[i];
        char prefix[8];
        if (kind[0] != '\0' && strcmp(kind, src->kind) != 0)
            continue;
        if (!src->prefixed) {
            st = probe(s, src, s->document, err);
        } else if (s->code[0] != '\0') {
            sarhad__strlcpy(prefix, s->code, sizeof(prefix));
            sarhad__strlcat(prefix, ":", sizeof(prefix));
            st = document_in(s, src, prefix, err);
        } else {
            st = each_prefix(s, src, document_in, err);
        }
    }
    return st;
}

/* Does the rest of a name key (after "NAT:") fit the query?  The key is
 * surname, given names and YYYYMMDD run together, so without given names
 * the split is the traveller row's to confirm (*confirm). */
static bool
name_fits(const struct search *s, const char *rest, bool *confirm)
{
    size_t n = strlen(rest), head = strlen(s->surname) + strlen(s->given);

    *confirm = s->given[0] == '\0';
    if (n < head + 8)
        return false;
    for (size_t i = n - 8; i < n; i++)
        if (!isdigit((unsigned char)rest[i]))
            return false;
    if (s->born[0] != '\0' && strcmp(rest + n - 8, s->born) != 0)
        return false;
    return *confirm || n == head + 8;
}

/* A name key in range, read before any is reported (report() uses the
 * store while the range would still be open). */
struct candidate {
    int64_t id;
    char value[128];
    bool confirm;
};

/* The name keys under prefix that fit the query, at most NAME_CANDIDATES
 * of the keys in range read (s->more when the range holds more). */
static enum sarhad_status
read_candidates(struct search *s, const char *prefix, struct candidate *c,
                int *count, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(s->store, sql_key_range, err);
    char from[160], to[160];
    int rc, n = 0, read = 0;

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sarhad__strlcpy(from, prefix, sizeof(from));
    sarhad__strlcpy(from + strlen(from), s->surname,
                    sizeof(from) - strlen(from));
    sarhad__strlcpy(from + strlen(from), s->given, sizeof(from) - strlen(from));
    /* With the given names the birth date follows them: the whole key. */
    if (s->given[0] != '\0')
        sarhad__strlcpy(from + strlen(from), s->born,
                        sizeof(from) - strlen(from));
    /* Keys hold letters and digits only, all before "~". */
    sarhad__strlcpy(to, from, sizeof(to));
    sarhad__strlcpy(to + strlen(to), "~", sizeof(to) - strlen(to));
    sqlite3_bind_text(st, 1, name_source.kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, from, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, to, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 4, NAME_CANDIDATES + 1);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *value = sarhad__col_text(st, 0);
        if (++read > NAME_CANDIDATES) {
            s->more = true;
            continue; /* the one past the limit: there are more */
        }
        if (!name_fits(s, value + strlen(prefix), &c[n].confirm))
            continue;
        c[n].id = sqlite3_column_int64(st, 1);
        sarhad__strlcpy(c[n].value, value, sizeof(c[n].value));
        n++;
    }
    sqlite3_reset(st);
    *count = n;
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(s->store->db, rc, "find a traveller", err);
    return SARHAD_OK;
}

static enum sarhad_status
name_in(struct search *s, const struct source *src, const char *prefix,
        struct sarhad_error *err)
{
    struct candidate *c = sarhad__malloc(sizeof(*c) * NAME_CANDIDATES);
    enum sarhad_status st;
    int n = 0;

    (void)src;
    if (c == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "find", SIZE_MAX, NULL);
    st = read_candidates(s, prefix, c, &n, err);
    for (int i = 0; st == SARHAD_OK && i < n; i++)
        st = report(s, c[i].id, "name", c[i].value,
                    c[i].confirm ? s->surname : NULL, err);
    sarhad__free(c);
    return st;
}

static bool
code_ok(char *out, const char *in, size_t max)
{
    size_t n = strlen(in);

    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !isalpha((unsigned char)in[i]))
            return false;
        out[i] = (char)toupper((unsigned char)in[i]);
    }
    return true;
}

static enum sarhad_status
check_query(struct search *s, const struct sarhad_traveller_query *q,
            struct sarhad_error *err)
{
    bool by_doc = q->document[0] != '\0', by_name = q->surname[0] != '\0';

    if (by_doc == by_name)
        return sarhad__fail(err, SARHAD_EINVAL, by_doc ? "surname" : "document",
                            SIZE_MAX,
                            by_doc ? "search by a document or by a name, not "
                                     "both"
                                   : "a document number or a surname is "
                                     "needed");
    if (by_doc) {
        bool known = q->kind[0] == '\0';
        for (size_t i = 0; i < sizeof(sources) / sizeof(*sources); i++)
            known = known || strcmp(q->kind, sources[i].kind) == 0;
        if (!known)
            return sarhad__fail(err, SARHAD_EINVAL, "kind", SIZE_MAX,
                                "kind is passport, visa, cnic, tazkira, por "
                                "or acc");
        if (q->issuing_state[0] != '\0' &&
            !code_ok(s->code, q->issuing_state, 3))
            return sarhad__fail(err, SARHAD_EINVAL, "issuing_state", SIZE_MAX,
                                "an issuing state is one to three letters");
        sarhad__key_normalise(s->document, sizeof(s->document), q->document);
        if (s->document[0] == '\0')
            return sarhad__fail(err, SARHAD_EINVAL, "document", SIZE_MAX,
                                "a document number has letters or digits");
        return SARHAD_OK;
    }
    if (q->nationality[0] != '\0' && !code_ok(s->code, q->nationality, 3))
        return sarhad__fail(err, SARHAD_EINVAL, "nationality", SIZE_MAX,
                            "a nationality is one to three letters");
    sarhad__key_normalise(s->surname, sizeof(s->surname), q->surname);
    sarhad__key_normalise(s->given, sizeof(s->given), q->given_names);
    if (s->surname[0] == '\0')
        return sarhad__fail(err, SARHAD_EINVAL, "surname", SIZE_MAX,
                            "spell the surname in Latin letters, as the "
                            "machine-readable zone does");
    if (q->birth_date.year != 0) {
        char date[11];
        sarhad_date_format(date, q->birth_date);
        sarhad__key_normalise(s->born, sizeof(s->born), date);
    }
    return SARHAD_OK;
}

enum sarhad_status
sarhad_ledger_find_travellers(
    struct sarhad_store *store, const struct sarhad_traveller_query *q,
    void (*fn)(void *ctx, const struct sarhad_traveller_match *m), void *ctx,
    bool *more, struct sarhad_error *err)
{
    struct search s;
    enum sarhad_status st;

    if (more != NULL)
        *more = false;
    if (store == NULL || q == NULL || fn == NULL)
        return sarhad__fail(err, SARHAD_EINVAL, "find", SIZE_MAX,
                            "store, query and callback are required");
    memset(&s, 0, sizeof(s));
    s.store = store;
    s.fn = fn;
    s.ctx = ctx;
    st = check_query(&s, q, err);
    if (st != SARHAD_OK)
        return st;
    if (s.document[0] != '\0') {
        st = find_document(&s, q->kind, err);
    } else if (s.code[0] != '\0') {
        char prefix[8];
        sarhad__strlcpy(prefix, s.code, sizeof(prefix));
        sarhad__strlcat(prefix, ":", sizeof(prefix));
        st = name_in(&s, &name_source, prefix, err);
    } else {
        st = each_prefix(&s, &name_source, name_in, err);
    }
    if (more != NULL)
        *more = s.more;
    return st;
}
