/*
 * fuzz_mrz.c - libFuzzer target for the MRZ reader.  Invariants: parsing
 * never crashes and either reads an MRZ or says why not; a valid reading
 * formats back to an MRZ that reads to the same fields (parse -> format ->
 * parse is the identity on fields) and formats to the same text again; a
 * suggestion is itself a valid reading; the fast path (src/mrz_fast.c)
 * gives the very reading of the detailed path (status, fields, issues).
 */
#include "sarhad.h"

#include "../src/mrz.h"

#include <stdlib.h>
#include <string.h>

static void
same_fields(const struct sarhad_mrz *a, const struct sarhad_mrz *b)
{
    if (a->format != b->format || !b->valid ||
        strcmp(a->document_code, b->document_code) != 0 ||
        strcmp(a->issuing_state, b->issuing_state) != 0 ||
        strcmp(a->surname, b->surname) != 0 ||
        strcmp(a->given_names, b->given_names) != 0 ||
        strcmp(a->document_number, b->document_number) != 0 ||
        strcmp(a->nationality, b->nationality) != 0 ||
        sarhad_date_cmp(a->birth_date, b->birth_date) != 0 ||
        a->sex != b->sex ||
        sarhad_date_cmp(a->expiry_date, b->expiry_date) != 0 ||
        strcmp(a->optional_data, b->optional_data) != 0 ||
        strcmp(a->optional_data_2, b->optional_data_2) != 0)
        abort();
}

/* Everything the contract exposes, issues included. */
static void
same_reading(const struct sarhad_mrz *a, const struct sarhad_mrz *b)
{
    if (a->valid != b->valid || a->issue_count != b->issue_count ||
        a->has_suggestion != b->has_suggestion ||
        strcmp(a->suggestion, b->suggestion) != 0)
        abort();
    for (unsigned i = 0; i < a->issue_count && i < SARHAD_MRZ_MAX_ISSUES; i++)
        if (strcmp(a->issues[i].field, b->issues[i].field) != 0 ||
            strcmp(a->issues[i].code, b->issues[i].code) != 0 ||
            strcmp(a->issues[i].message, b->issues[i].message) != 0 ||
            a->issues[i].line != b->issues[i].line ||
            a->issues[i].col != b->issues[i].col)
            abort();
    if (a->format == SARHAD_MRZ_UNKNOWN)
        return;
    if (strcmp(a->document_code, b->document_code) != 0 ||
        strcmp(a->issuing_state, b->issuing_state) != 0 ||
        strcmp(a->surname, b->surname) != 0 ||
        strcmp(a->given_names, b->given_names) != 0 ||
        strcmp(a->document_number, b->document_number) != 0 ||
        strcmp(a->nationality, b->nationality) != 0 ||
        sarhad_date_cmp(a->birth_date, b->birth_date) != 0 ||
        a->sex != b->sex ||
        sarhad_date_cmp(a->expiry_date, b->expiry_date) != 0 ||
        strcmp(a->optional_data, b->optional_data) != 0 ||
        strcmp(a->optional_data_2, b->optional_data_2) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct sarhad_date today = {2025, 6, 1};
    struct sarhad_mrz m, again, fixed, slow;
    struct sarhad_error err, err_slow;
    char text[128], text2[128];
    enum sarhad_status s;

    s = sarhad_mrz_parse_at(&m, (const char *)data, size, today, &err);
    if (sarhad__mrz_parse_slow(&slow, (const char *)data, size, today,
                               &err_slow) != s ||
        m.format != slow.format)
        abort();
    same_reading(&m, &slow);
    if (s != SARHAD_OK &&
        (err.line != err_slow.line || err.col != err_slow.col ||
         strcmp(err.message, err_slow.message) != 0))
        abort();
    if (s != SARHAD_OK) {
        if (s != SARHAD_EFORMAT || m.format != SARHAD_MRZ_UNKNOWN ||
            m.issue_count != 1 || err.message[0] == '\0')
            abort();
        return 0;
    }
    if (m.valid != (m.issue_count == 0) || m.issue_count > 12)
        abort();
    if (m.has_suggestion) {
        if (m.valid ||
            sarhad_mrz_parse_at(&fixed, m.suggestion, strlen(m.suggestion),
                                today, NULL) != SARHAD_OK ||
            !fixed.valid)
            abort();
    }
    if (!m.valid)
        return 0;
    if (sarhad_mrz_format(text, sizeof(text), &m, &err) != SARHAD_OK)
        abort();
    if (sarhad_mrz_parse_at(&again, text, strlen(text), today, NULL) !=
        SARHAD_OK)
        abort();
    same_fields(&m, &again);
    if (sarhad_mrz_format(text2, sizeof(text2), &again, NULL) != SARHAD_OK ||
        strcmp(text, text2) != 0)
        abort();
    return 0;
}
