/*
 * test_ledger_fixture.c - what the ledger tests share: a fresh store with
 * the test policy, presentations built field by field (with real MRZs),
 * and small readers of the store.  No tests here.
 */
#include "ledger_fixture.h"

#include <stdio.h>
#include <stdlib.h>

const struct sarhad_actor officer = {"off1", "officer", "TK", ""};
const struct sarhad_actor supervisor = {"sup1", "supervisor", "TK", ""};

struct sarhad_date
D(int y, int m, int d) {
    struct sarhad_date out = {(int16_t)y, (uint8_t)m, (uint8_t)d};
    return out;
}

/* A fresh store at DIR/name with the test policy published. */
struct sarhad_store *
fresh(const char *name, struct sarhad_ledger **ledger)
{
    char path[300];
    struct sarhad_store_options opt = {true, false, "OFF"};
    struct sarhad_store *store = NULL;
    size_t len;
    char *text = slurp("tests/data/ledger_test.policy", &len);

    snprintf(path, sizeof(path), "%s/%s", test_tmpdir(), name);
    remove(path);
    if (text == NULL ||
        sarhad_store_open(&store, path, &opt, NULL) != SARHAD_OK ||
        sarhad_ledger_init(store, "TK", "ledger_test.policy", text, len,
                           &officer, 1700000000, NULL) != SARHAD_OK ||
        sarhad_ledger_open(ledger, store, NULL) != SARHAD_OK) {
        free(text);
        sarhad_store_close(store);
        return NULL;
    }
    free(text);
    return store;
}

void
begin(struct sarhad_presentation *p, const char *crossing,
      enum sarhad_direction dir, struct sarhad_date day, const char *nat)
{
    memset(p, 0, sizeof(*p));
    sarhad__strlcpy(p->crossing, crossing, sizeof(p->crossing));
    p->direction = dir;
    p->time.date = day;
    p->time.seconds = 9 * 3600;
    p->time.utc_offset_min = 300;
    sarhad__strlcpy(p->traveller.nationality, nat, 4);
    p->traveller.sex = 'M';
    p->traveller.birth_date = D(1990, 1, 1);
}

void
mrz_doc(struct sarhad_presentation *p, enum sarhad_doc_kind kind,
        enum sarhad_mrz_format format, const char *issuer, const char *nat,
        const char *surname, const char *number, struct sarhad_date expiry)
{
    struct sarhad_document *d = &p->documents[p->document_count++];
    struct sarhad_mrz f;
    char text[100];

    memset(&f, 0, sizeof(f));
    f.format = format;
    strcpy(f.document_code, kind == SARHAD_DOC_VISA ? "V" : "P");
    strcpy(f.issuing_state, issuer);
    strcpy(f.surname, surname);
    strcpy(f.given_names, "AHMAD");
    strcpy(f.document_number, number);
    strcpy(f.nationality, nat);
    f.birth_date = D(1990, 1, 1);
    f.sex = 'M';
    f.expiry_date = expiry;
    d->kind = kind;
    if (sarhad_mrz_format(text, sizeof(text), &f, NULL) == SARHAD_OK)
        d->has_mrz =
            sarhad_mrz_parse(&d->mrz, text, strlen(text), NULL) == SARHAD_OK;
}

void
passport(struct sarhad_presentation *p, const char *number)
{
    mrz_doc(p, SARHAD_DOC_PASSPORT, SARHAD_MRZ_TD3, p->traveller.nationality,
            p->traveller.nationality, "NOORI", number, D(2030, 1, 1));
}

void
visa(struct sarhad_presentation *p, const char *number,
     enum sarhad_visa_entries entries, int stay_days)
{
    struct sarhad_document *d;

    mrz_doc(p, SARHAD_DOC_VISA, SARHAD_MRZ_MRVA, "PAK",
            p->traveller.nationality, "NOORI", number, D(2025, 1, 1));
    d = &p->documents[p->document_count - 1];
    strcpy(d->category, "visit");
    d->entries = entries;
    d->stay_days = stay_days;
}

void
numbered(struct sarhad_presentation *p, enum sarhad_doc_kind kind,
         const char *number)
{
    struct sarhad_document *d = &p->documents[p->document_count++];

    d->kind = kind;
    strcpy(d->number, number);
}

bool
has_flag(const struct sarhad_decision *d, const char *code)
{
    for (unsigned i = 0; i < d->flag_count; i++)
        if (strcmp(d->flags[i].code, code) == 0)
            return true;
    return false;
}

long long
scalar(struct sarhad_store *store, const char *sql)
{
    sqlite3_stmt *st;
    long long v = -1;

    if (sqlite3_prepare_v2(store->db, sql, -1, &st, NULL) != SQLITE_OK)
        return -2;
    if (sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* How many problems sarhad_ledger_verify finds; they are printed unless
 * a test expects them. */
unsigned
problems_shown(struct sarhad_store *store, bool show)
{
    struct sarhad_verify_problem found[8];
    unsigned n = 99;

    if (sarhad_ledger_verify(store, found, 8, &n, NULL) != SARHAD_OK)
        return 98;
    for (unsigned i = 0; show && i < n && i < 8; i++)
        fprintf(stderr, "  verify: %s: %s (%lld)\n", found[i].check,
                found[i].message, (long long)found[i].subject);
    return n;
}

unsigned
problems(struct sarhad_store *store)
{
    return problems_shown(store, true);
}
