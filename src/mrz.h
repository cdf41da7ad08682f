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

/*
 * The fast path (mrz_fast.c): when text is a well-formed, valid TD3 or TD1
 * in its usual form, write the very reading the detailed path would give
 * and return true; otherwise return false, having written fields that the
 * detailed path then overwrites.
 */
bool sarhad__mrz_fast(struct sarhad_mrz *out, const char *text, size_t len,
                      struct sarhad_date today);

/*
 * The detailed path: the shape check, the decoder and the repair, which
 * says precisely what is wrong.  sarhad_mrz_parse_at without the fast path
 * (the tests compare the two).
 */
enum sarhad_status sarhad__mrz_parse_slow(struct sarhad_mrz *out,
                                          const char *text, size_t len,
                                          struct sarhad_date today,
                                          struct sarhad_error *err);

/*
 * The 7-3-1 weighted sum of n characters already known to be in the MRZ
 * alphabet, the first weighted as position phase (0, 1, 2) of the cycle.
 * Unrolled by three: no modulo per character in the hot path.
 */
static inline unsigned
sarhad__mrz_sum(const char *s, unsigned n, unsigned phase)
{
    const unsigned char *p = (const unsigned char *)s;
    const uint8_t *v = sarhad__mrz_value;
    unsigned sum = 0, i = 0;

    if (phase == 1 && n > 0) {
        sum += v[p[0]] * 3u;
        i = 1;
        phase = 2;
    }
    if (phase == 2 && i < n)
        sum += v[p[i++]];
    for (; i + 3 <= n; i += 3)
        sum += v[p[i]] * 7u + v[p[i + 1]] * 3u + v[p[i + 2]];
    if (i < n)
        sum += v[p[i]] * 7u;
    if (i + 1 < n)
        sum += v[p[i + 1]] * 3u;
    return sum;
}

/* The check digit of a span of lines (characters in the alphabet). */
static inline int
sarhad__mrz_span_check(const char *const *lines, struct mrz_span s)
{
    return (int)(sarhad__mrz_sum(lines[s.line] + s.col, s.len, 0) % 10);
}

#endif /* SARHAD_MRZ_H */
