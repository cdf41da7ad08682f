/*
 * ledger_identity.c - recognising a traveller across documents.  Each
 * presentation yields identity keys: the passport (issuing state and
 * number), national ID numbers (CNIC, also read from a Pakistani
 * passport's personal-number field; tazkira; PoR; ACC) and the name with
 * birth date and nationality.  The first key already held by someone, in
 * that order of strength, names the traveller; the keys not yet held are
 * then given to them, and each such new link is written down with the key
 * that justified it, so "why is this passport on this person?" always has
 * an answer.  A key held by someone else is never moved: the clash is
 * written down as a link for a supervisor to look at.
 */
#include "ledger.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* Keep letters and digits, upper-cased: "54201-1234567-3" and
 * "5420112345673" are the same CNIC. */
void
sarhad__key_normalise(char *out, size_t cap, const char *in)
{
    size_t n = 0;

    for (; *in != '\0' && n + 1 < cap; in++)
        if (isalnum((unsigned char)*in))
            out[n++] = (char)toupper((unsigned char)*in);
    out[n] = '\0';
}

static void
add_key(struct sarhad__identity *id, const char *kind, const char *a,
        const char *b)
{
    struct sarhad__key *k;
    char norm[64];

    if (id->key_count == SARHAD__MAX_KEYS)
        return;
    sarhad__key_normalise(norm, sizeof(norm), b);
    if (norm[0] == '\0')
        return;
    for (unsigned i = 0; i < id->key_count; i++)
        if (strcmp(id->keys[i].kind, kind) == 0)
            return; /* one key of a kind: the first document wins */
    k = &id->keys[id->key_count++];
    memset(k, 0, sizeof(*k));
    k->kind = kind;
    if (a != NULL && a[0] != '\0') {
        sarhad__strlcpy(k->value, a, sizeof(k->value));
        sarhad__strlcat(k->value, ":", sizeof(k->value));
    }
    sarhad__strlcat(k->value, norm, sizeof(k->value));
}

/* The first MRZ's names are the traveller's. */
static void
take_names(struct sarhad__identity *id, const struct sarhad_mrz *mrz)
{
    if (id->surname[0] != '\0')
        return;
    sarhad__strlcpy(id->surname, mrz->surname, sizeof(id->surname));
    sarhad__strlcpy(id->given_names, mrz->given_names, sizeof(id->given_names));
}

/* A passport with its MRZ: its number, the holder's names and birth date
 * when not yet known, and a Pakistani passport's CNIC. */
static void
passport_keys(struct sarhad__identity *id, const struct sarhad_document *d,
              struct sarhad_date *birth)
{
    add_key(id, "passport", d->mrz.issuing_state, d->mrz.document_number);
    take_names(id, &d->mrz);
    if (birth->year == 0)
        *birth = d->mrz.birth_date;
    /* Pakistani passports carry the holder's CNIC. */
    if (strcmp(d->mrz.issuing_state, "PAK") == 0 &&
        strlen(d->mrz.optional_data) == 13)
        add_key(id, "cnic", NULL, d->mrz.optional_data);
}

/* The visa's key: "STATE:NUMBER" from its MRZ, "ref:NUMBER" for an
 * e-visa, "" when it has no number. */
static void
visa_key(struct sarhad__identity *id, const struct sarhad_document *d)
{
    char norm[40];

    if (d->has_mrz) {
        sarhad__key_normalise(norm, sizeof(norm), d->mrz.document_number);
        sarhad__strlcpy(id->visa_key, d->mrz.issuing_state,
                        sizeof(id->visa_key));
        sarhad__strlcat(id->visa_key, ":", sizeof(id->visa_key));
    } else {
        sarhad__key_normalise(norm, sizeof(norm), d->number);
        sarhad__strlcpy(id->visa_key, norm[0] ? "ref:" : "",
                        sizeof(id->visa_key));
    }
    if (norm[0] != '\0')
        sarhad__strlcat(id->visa_key, norm, sizeof(id->visa_key));
    else
        id->visa_key[0] = '\0';
}

/* Name + birth date + nationality: the weakest key, used only when all
 * three are known. */
static void
name_birth_key(const struct sarhad_presentation *p, struct sarhad__identity *id,
               struct sarhad_date birth)
{
    char nbd[128], date[11];

    if (id->surname[0] == '\0' || birth.year == 0 ||
        p->traveller.nationality[0] == '\0')
        return;
    sarhad_date_format(date, birth);
    sarhad__strlcpy(nbd, id->surname, sizeof(nbd));
    sarhad__strlcat(nbd, "|", sizeof(nbd));
    sarhad__strlcat(nbd, id->given_names, sizeof(nbd));
    sarhad__strlcat(nbd, "|", sizeof(nbd));
    sarhad__strlcat(nbd, date, sizeof(nbd));
    add_key(id, "nbd", p->traveller.nationality, nbd);
}

static void
derive_keys(const struct sarhad_presentation *p, struct sarhad__identity *id)
{
    struct sarhad_date birth = p->traveller.birth_date;

    for (unsigned i = 0; i < p->document_count; i++) {
        const struct sarhad_document *d = &p->documents[i];
        if (d->kind == SARHAD_DOC_PASSPORT && d->has_mrz) {
            passport_keys(id, d, &birth);
        } else if (d->kind == SARHAD_DOC_VISA && id->visa_key[0] == '\0') {
            visa_key(id, d);
        } else if (d->kind == SARHAD_DOC_CNIC) {
            add_key(id, "cnic", NULL, d->number);
        } else if (d->kind == SARHAD_DOC_TAZKIRA) {
            add_key(id, "tazkira", NULL,
                    d->has_mrz ? d->mrz.document_number : d->number);
            if (d->has_mrz)
                take_names(id, &d->mrz);
        } else if (d->kind == SARHAD_DOC_POR) {
            add_key(id, "por", NULL, d->number);
        } else if (d->kind == SARHAD_DOC_ACC) {
            add_key(id, "acc", NULL, d->number);
        }
    }
    name_birth_key(p, id, birth);
}

static const char sql_key_get[] =
    "SELECT traveller_id, first_attempt FROM traveller_key"
    " WHERE kind = ?1 AND value = ?2";

/* Who holds key k (k->traveller_id 0: nobody), from the memo or the
 * store; what the store says is remembered. */
static enum sarhad_status
look_up(struct sarhad_store *store, struct sarhad__memo *memo,
        struct sarhad__key *k, struct sarhad_error *err)
{
    char name[sizeof(k->value) + 16];
    int64_t v[2] = {0, 0};
    sqlite3_stmt *st;
    int rc;

    sarhad__strlcpy(name, k->kind, sizeof(name));
    sarhad__strlcat(name, "=", sizeof(name));
    sarhad__strlcat(name, k->value, sizeof(name));
    if (sarhad__memo_get(memo, SARHAD__MEMO_KEY, name, v)) {
        k->traveller_id = v[0];
        k->first_attempt = v[1];
        return SARHAD_OK;
    }
    st = sarhad__store_prepare(store, sql_key_get, err);
    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_text(st, 1, k->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, k->value, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        k->traveller_id = sqlite3_column_int64(st, 0);
        k->first_attempt = sqlite3_column_int64(st, 1);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return sarhad__store_fail(store->db, rc, "look up a traveller", err);
    v[0] = k->traveller_id;
    v[1] = k->first_attempt;
    sarhad__memo_put(memo, SARHAD__MEMO_KEY, name, v);
    return SARHAD_OK;
}

static void
remember_key(struct sarhad__memo *memo, const struct sarhad__key *k,
             int64_t traveller_id, int64_t first_attempt)
{
    char name[sizeof(k->value) + 16];
    int64_t v[2] = {traveller_id, first_attempt};

    sarhad__strlcpy(name, k->kind, sizeof(name));
    sarhad__strlcat(name, "=", sizeof(name));
    sarhad__strlcat(name, k->value, sizeof(name));
    sarhad__memo_put(memo, SARHAD__MEMO_KEY, name, v);
}

enum sarhad_status
sarhad__identity_find(struct sarhad_store *store, struct sarhad__memo *memo,
                      const struct sarhad_presentation *p,
                      struct sarhad__identity *id, struct sarhad_error *err)
{
    memset(id, 0, sizeof(*id));
    derive_keys(p, id);
    for (unsigned i = 0; i < id->key_count; i++) {
        struct sarhad__key *k = &id->keys[i];
        enum sarhad_status s = look_up(store, memo, k, err);
        if (s != SARHAD_OK)
            return s;
        if (k->traveller_id != 0 && id->traveller_id == 0) {
            id->traveller_id = k->traveller_id;
            id->matched = i;
        }
    }
    return SARHAD_OK;
}

static const char sql_traveller_new[] =
    "INSERT INTO traveller(id, nationality, surname, given_names, birth_date,"
    " sex, first_attempt) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_key_put[] =
    "INSERT INTO traveller_key(kind, value, traveller_id, first_attempt,"
    " by_kind, by_value, by_first) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char sql_link_put[] =
    "INSERT INTO traveller_link(attempt_id, traveller_id, by_kind, why)"
    " VALUES (?1, ?2, ?3, ?4)";

static enum sarhad_status
put_link(struct sarhad_store *store, int64_t attempt_id, int64_t traveller,
         const char *by, const char *why, struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_link_put, err);

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sqlite3_bind_int64(st, 1, attempt_id);
    sqlite3_bind_int64(st, 2, traveller);
    sqlite3_bind_text(st, 3, by, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, why, -1, SQLITE_TRANSIENT);
    return sarhad__store_step_done(store, st, "record an identity link", err);
}

static enum sarhad_status
new_traveller(struct sarhad_store *store, const struct sarhad_presentation *p,
              const struct sarhad__identity *id, int64_t attempt_id,
              struct sarhad_error *err)
{
    sqlite3_stmt *st = sarhad__store_prepare(store, sql_traveller_new, err);
    char birth[11], sex[2] = {p->traveller.sex, '\0'};

    if (st == NULL)
        return SARHAD__PREP_FAIL(err);
    sarhad_date_format(birth, p->traveller.birth_date);
    sqlite3_bind_int64(st, 1, id->traveller_id);
    sqlite3_bind_text(st, 2, p->traveller.nationality, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, id->surname, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, id->given_names, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, birth, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, sex, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 7, attempt_id);
    return sarhad__store_step_done(store, st, "record a traveller", err);
}

bool
sarhad__identity_plan(struct sarhad__identity *id, int64_t next_traveller)
{
    bool linked = false;

    if (id->key_count == 0)
        return false; /* nothing to know them by: an anonymous attempt */
    if (id->traveller_id == 0) {
        id->traveller_id = next_traveller;
        id->fresh = true;
        return false;
    }
    /* sarhad__identity_record gives a known traveller every key nobody
     * holds yet; a passport among them is a new passport linked. */
    for (unsigned i = 0; i < id->key_count; i++)
        if (id->keys[i].traveller_id == 0 &&
            strcmp(id->keys[i].kind, "passport") == 0)
            linked = true;
    return linked;
}

const struct sarhad__key *
sarhad__identity_conflict(const struct sarhad__identity *id)
{
    for (unsigned i = 0; i < id->key_count; i++)
        if (id->keys[i].traveller_id != 0 &&
            id->keys[i].traveller_id != id->traveller_id &&
            strcmp(id->keys[i].kind, "nbd") != 0)
            return &id->keys[i];
    return NULL;
}

enum sarhad_status
sarhad__identity_record(struct sarhad_store *store, struct sarhad__memo *memo,
                        const struct sarhad_presentation *p,
                        const struct sarhad__identity *id, int64_t attempt_id,
                        struct sarhad_error *err)
{
    const struct sarhad__key *by;
    enum sarhad_status s = SARHAD_OK;
    char why[320];

    if (id->key_count == 0)
        return SARHAD_OK;
    if (id->fresh) {
        s = new_traveller(store, p, id, attempt_id, err);
        if (s != SARHAD_OK)
            return s;
        sarhad__memo_stays_put(memo, id->traveller_id, NULL, 0); /* none */
    }
    by = &id->keys[id->matched];
    for (unsigned i = 0; s == SARHAD_OK && i < id->key_count; i++) {
        const struct sarhad__key *k = &id->keys[i];
        sqlite3_stmt *st;
        if (k->traveller_id == id->traveller_id)
            continue;
        if (k->traveller_id != 0) {
            snprintf(why, sizeof(why),
                     "%s %s is held by traveller %lld (since attempt %lld) "
                     "but %s %s names traveller %lld: not merged",
                     k->kind, k->value, (long long)k->traveller_id,
                     (long long)k->first_attempt, by->kind, by->value,
                     (long long)id->traveller_id);
            s = put_link(store, attempt_id, id->traveller_id, "conflict", why,
                         err);
            continue;
        }
        st = sarhad__store_prepare(store, sql_key_put, err);
        if (st == NULL)
            return SARHAD__PREP_FAIL(err);
        sqlite3_bind_text(st, 1, k->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, k->value, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, id->traveller_id);
        sqlite3_bind_int64(st, 4, attempt_id);
        /* A key given to a known traveller is a link: it names the key
         * that justified it (the reason is read from there). */
        if (!id->fresh) {
            sqlite3_bind_text(st, 5, by->kind, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, 6, by->value, -1, SQLITE_STATIC);
            sqlite3_bind_int64(st, 7, by->first_attempt);
        }
        s = sarhad__store_step_done(store, st, "record an identity key", err);
        if (s == SARHAD_OK)
            remember_key(memo, k, id->traveller_id, attempt_id);
    }
    return s;
}
