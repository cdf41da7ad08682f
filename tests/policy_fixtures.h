/*
 * policy_fixtures.h - builders shared by the policy tests: presentations
 * assembled field by field (passports and visas get real MRZs written by
 * the MRZ formatter, so the whole reading path is exercised), the shipped
 * policies loaded from policies/, and a one-call decide.
 */
#ifndef SARHAD_POLICY_FIXTURES_H
#define SARHAD_POLICY_FIXTURES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sarhad.h"

static inline struct sarhad_date
fx_date(const char *s)
{
    struct sarhad_date d = {0, 0, 0};
    if (sarhad_date_parse(&d, s, strlen(s), NULL) != SARHAD_OK)
        abort();
    return d;
}

/* A presentation at crossing on date (YYYY-MM-DD, 09:30 local). */
static inline void
fx_pres(struct sarhad_presentation *p, const char *crossing,
        enum sarhad_direction dir, const char *date, const char *nationality)
{
    memset(p, 0, sizeof(*p));
    snprintf(p->crossing, sizeof(p->crossing), "%s", crossing);
    p->direction = dir;
    p->time.date = fx_date(date);
    p->time.seconds = 9 * 3600 + 1800;
    p->time.utc_offset_min = 300;
    snprintf(p->traveller.nationality, sizeof(p->traveller.nationality), "%s",
             nationality);
    p->traveller.sex = 'M';
}

static inline struct sarhad_document *
fx_doc(struct sarhad_presentation *p, enum sarhad_doc_kind kind)
{
    struct sarhad_document *d = &p->documents[p->document_count++];
    memset(d, 0, sizeof(*d));
    d->kind = kind;
    return d;
}

/* Write and read back an MRZ, as a scanner would deliver it. */
static inline void
fx_mrz(struct sarhad_document *d, enum sarhad_mrz_format format,
       const char *code, const char *issuer, const char *number,
       const char *nationality, const char *expiry)
{
    struct sarhad_mrz f;
    char text[128];

    memset(&f, 0, sizeof(f));
    f.format = format;
    snprintf(f.document_code, sizeof(f.document_code), "%s", code);
    snprintf(f.issuing_state, sizeof(f.issuing_state), "%s", issuer);
    snprintf(f.surname, sizeof(f.surname), "KHAN");
    snprintf(f.given_names, sizeof(f.given_names), "AHMAD");
    snprintf(f.document_number, sizeof(f.document_number), "%s", number);
    snprintf(f.nationality, sizeof(f.nationality), "%s", nationality);
    f.birth_date = fx_date("1990-01-01");
    f.sex = 'M';
    f.expiry_date = fx_date(expiry);
    if (sarhad_mrz_format(text, sizeof(text), &f, NULL) != SARHAD_OK ||
        sarhad_mrz_parse(&d->mrz, text, strlen(text), NULL) != SARHAD_OK)
        abort();
    d->has_mrz = true;
}

static inline struct sarhad_document *
fx_passport(struct sarhad_presentation *p, const char *expiry)
{
    struct sarhad_document *d = fx_doc(p, SARHAD_DOC_PASSPORT);
    const char *nat = p->traveller.nationality;
    fx_mrz(d, SARHAD_MRZ_TD3, "P", nat,
           strcmp(nat, "PAK") == 0 ? "AB1234567" : "P01234567", nat, expiry);
    return d;
}

static inline struct sarhad_document *
fx_visa(struct sarhad_presentation *p, const char *issuer, const char *expiry,
        enum sarhad_visa_entries entries)
{
    struct sarhad_document *d = fx_doc(p, SARHAD_DOC_VISA);
    fx_mrz(d, SARHAD_MRZ_MRVA, "V", issuer, "V1234567",
           p->traveller.nationality, expiry);
    snprintf(d->category, sizeof(d->category), "visit");
    d->entries = entries;
    d->stay_days = 60;
    return d;
}

static inline struct sarhad_document *
fx_simple(struct sarhad_presentation *p, enum sarhad_doc_kind kind,
          const char *number, const char *district)
{
    struct sarhad_document *d = fx_doc(p, kind);
    snprintf(d->number, sizeof(d->number), "%s", number);
    snprintf(d->district, sizeof(d->district), "%s", district);
    return d;
}

static inline struct sarhad_policy *
fx_load(const char *path)
{
    FILE *f = fopen(path, "rb");
    static char text[1 << 20];
    size_t len;
    struct sarhad_policy *p = NULL;
    struct sarhad_error err;

    if (f == NULL)
        return NULL;
    len = fread(text, 1, sizeof(text), f);
    fclose(f);
    if (sarhad_policy_compile(&p, path, text, len, &err) != SARHAD_OK) {
        fprintf(stderr, "%s\n", err.message);
        return NULL;
    }
    return p;
}

static inline struct sarhad_decision
fx_decide(const struct sarhad_policy *policy,
          const struct sarhad_presentation *p, const struct sarhad_history *h)
{
    struct sarhad_decision d;
    if (sarhad_policy_decide(&d, policy, p, h, NULL, NULL) != SARHAD_OK)
        abort();
    return d;
}

static inline bool
fx_has_reason(const struct sarhad_decision *d, const char *code)
{
    for (unsigned i = 0; i < d->reason_count; i++)
        if (strcmp(d->reasons[i].code, code) == 0)
            return true;
    return false;
}

static inline bool
fx_has_flag(const struct sarhad_decision *d, const char *code)
{
    for (unsigned i = 0; i < d->flag_count; i++)
        if (strcmp(d->flags[i].code, code) == 0)
            return true;
    return false;
}

#endif
