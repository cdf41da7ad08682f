/*
 * mrz.h - what the MRZ reader's files (mrz.c, mrz_format.c, mrz_repair.c)
 * share: the character tables, the field layout of each ICAO 9303 format
 * and the decoder that reads fields out of lines already known to have the
 * right shape.  Never exported.
 */
#ifndef SARHAD_MRZ_H
#define SARHAD_MRZ_H

#include "internal.h"

#include <stdint.h>

#define MRZ_MAX_LINES 3
#define MRZ_MAX_WIDTH 44

/* Character classes of the MRZ alphabet (9303-3 §4.3). */
enum {
    MRZ_C_DIGIT = 1,  /* 0-9 */
    MRZ_C_LETTER = 2, /* A-Z */
    MRZ_C_FILLER = 4  /* '<' */
};
extern const uint8_t sarhad__mrz_class[256];
/* Check digit value of each character: 0-9, A-Z 10-35, '<' 0; 0xff other. */
extern const uint8_t sarhad__mrz_value[256];

/* A run of characters: line (0-based), column (0-based), length (0 = none). */
struct mrz_span {
    uint8_t line, col, len;
};

/* Where each field of a format lives. */
struct mrz_layout {
    uint8_t lines, width;
    struct mrz_span document_code, issuing_state, name;
    struct mrz_span document_number, document_number_check;
    struct mrz_span nationality, birth_date, birth_date_check, sex;
    struct mrz_span expiry_date, expiry_date_check;
    struct mrz_span optional_data, optional_data_check, optional_data_2;
    struct mrz_span composite_check;
    struct mrz_span composite[4]; /* the runs the composite digit covers */
    bool spill;                   /* long document numbers may spill (TD1/2) */
};

/* The layout of format (not UNKNOWN). */
const struct mrz_layout *sarhad__mrz_layout(enum sarhad_mrz_format format);

/*
 * Read every field of lines (each layout->width characters, all in the MRZ
 * alphabet) into *out and record each failed check and impossible date as
 * an issue.  Sets out->valid; leaves the suggestion alone.  quiet skips
 * writing the issues (issue_count stays 0) for callers that only need
 * out->valid.
 */
void sarhad__mrz_decode(struct sarhad_mrz *out, const char *const *lines,
                        enum sarhad_mrz_format format, struct sarhad_date today,
                        bool quiet);

/*
 * Look for a unique OCR-confusion repair of the invalid reading in lines;
 * on success write it (lines joined by '\n') into out->suggestion and set
 * out->has_suggestion.
 */
void sarhad__mrz_repair(struct sarhad_mrz *out, const char *const *lines,
                        enum sarhad_mrz_format format,
                        struct sarhad_date today);

/* The check digit of a span of lines, or -1 outside the alphabet. */
int sarhad__mrz_span_check(const char *const *lines, struct mrz_span s);

#endif /* SARHAD_MRZ_H */
