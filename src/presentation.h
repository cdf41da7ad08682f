/*
 * presentation.h - private to the presentation reader.  A presentation is
 * read in two steps: a parser turns the JSON into values, then the checks
 * of presentation.c turn the values into struct sarhad_presentation (and
 * give every field error).  There are two parsers: the fast one of
 * presentation_fast.c, which knows the shape of a presentation and gives up
 * on anything else, and jansson, which reads whatever the fast one gave up
 * on.  The checks see either through struct sarhad__pv, so the fields and
 * field errors cannot differ between the two; the fast parser gives up on
 * every input that jansson refuses (or that it is not sure jansson reads
 * as it does), so that JSON errors always come from jansson.
 */
#ifndef SARHAD_PRESENTATION_H
#define SARHAD_PRESENTATION_H

#include "internal.h"

#include <stdbool.h>
#include <stddef.h>

/* What a JSON value is, as far as the checks care. */
enum sarhad__pv_kind {
    SARHAD__PV_ABSENT = 0, /* the key is not there */
    SARHAD__PV_NULL,
    SARHAD__PV_STRING,
    SARHAD__PV_INTEGER,
    SARHAD__PV_OBJECT,
    SARHAD__PV_ARRAY,
    SARHAD__PV_OTHER /* true, false, a real number */
};

/* One JSON value.  A string's bytes need not end in a NUL. */
struct sarhad__pv {
    enum sarhad__pv_kind kind;
    const char *text; /* string: its len bytes */
    size_t len;       /* string: bytes; array: items */
    long long num;    /* integer */
    void *node;       /* object, array: the parser's own handle */
};

/* The keys of each object of a presentation, in the order of the slots a
 * parser sorts the object's values into. */
struct sarhad__pkey {
    const char *name;
    size_t len;
};

enum {
    SARHAD__P_CROSSING,
    SARHAD__P_DIRECTION,
    SARHAD__P_TIME,
    SARHAD__P_COUNTER,
    SARHAD__P_TRAVELLER,
    SARHAD__P_DOCUMENTS,
    SARHAD__P_MOVEMENT,
    SARHAD__P_COUNT
};
enum {
    SARHAD__T_NATIONALITY,
    SARHAD__T_SEX,
    SARHAD__T_BIRTH_DATE,
    SARHAD__T_RESIDENCE,
    SARHAD__T_TRIBE,
    SARHAD__T_OCCUPATION,
    SARHAD__T_PURPOSE,
    SARHAD__T_FATHER_NAME,
    SARHAD__T_COUNT
};
enum {
    SARHAD__M_CATEGORY,
    SARHAD__M_HOUSEHOLD,
    SARHAD__M_HOUSEHOLD_SIZE,
    SARHAD__M_VULNERABILITIES,
    SARHAD__M_VEHICLES,
    SARHAD__M_INTENDED_STAY,
    SARHAD__M_ARREST_PROVINCE,
    SARHAD__M_ARRESTED_ON,
    SARHAD__M_COUNT
};
enum {
    SARHAD__D_KIND,
    SARHAD__D_MRZ,
    SARHAD__D_NUMBER,
    SARHAD__D_ISSUED,
    SARHAD__D_EXPIRY,
    SARHAD__D_DISTRICT,
    SARHAD__D_TRIBE,
    SARHAD__D_ISSUER,
    SARHAD__D_CATEGORY,
    SARHAD__D_ENTRIES,
    SARHAD__D_STAY_DAYS,
    SARHAD__D_COUNT
};

extern const struct sarhad__pkey sarhad__top_keys[SARHAD__P_COUNT];
extern const struct sarhad__pkey sarhad__traveller_keys[SARHAD__T_COUNT];
extern const struct sarhad__pkey sarhad__movement_keys[SARHAD__M_COUNT];
extern const struct sarhad__pkey sarhad__document_keys[SARHAD__D_COUNT];

/* Vulnerabilities the fast parser takes (more are read by jansson). */
#define SARHAD__FAST_MAX_VULNS 8
/* Bytes of strings with escapes the fast parser can decode. */
#define SARHAD__FAST_TEXT 2048

/*
 * The fast parser's values: each object's values sorted into the slots of
 * its keys (an object value's node points to its slots, an array's to its
 * items), strings without escapes pointing into the JSON, the others
 * decoded into text.
 */
struct sarhad__fast_tree {
    struct sarhad__pv root;
    struct sarhad__pv top[SARHAD__P_COUNT];
    struct sarhad__pv traveller[SARHAD__T_COUNT];
    struct sarhad__pv movement[SARHAD__M_COUNT];
    struct sarhad__pv vulns[SARHAD__FAST_MAX_VULNS];
    struct sarhad__pv docs[SARHAD_MAX_DOCUMENTS];
    struct sarhad__pv doc_slots[SARHAD_MAX_DOCUMENTS][SARHAD__D_COUNT];
    size_t text_used;
    char text[SARHAD__FAST_TEXT];
};

/*
 * Parse json (len bytes) into *t when it is a JSON object that jansson
 * reads without error (JSON_REJECT_DUPLICATES) into the same values and
 * that has the shape of a presentation: the known keys only, at most
 * SARHAD_MAX_DOCUMENTS documents and SARHAD__FAST_MAX_VULNS
 * vulnerabilities, integers of at most 18 digits, no real numbers.  False
 * otherwise ("not handled": read it with jansson).
 */
bool sarhad__presentation_scan(struct sarhad__fast_tree *t, const char *json,
                               size_t len);

/*
 * The two ways sarhad_presentation_parse reads, for the tests, the fuzz
 * target and the benchmark to hold against each other.  The fast one
 * returns false, with *out, *err and *status untouched, when it does not
 * handle json; otherwise it sets *status and does all that
 * sarhad_presentation_parse does.  The jansson one is
 * sarhad_presentation_parse without the fast parser.
 */
bool sarhad__presentation_parse_fast(struct sarhad_presentation *out,
                                     const char *json, size_t len,
                                     struct sarhad_error *err,
                                     enum sarhad_status *status);
enum sarhad_status
sarhad__presentation_parse_jansson(struct sarhad_presentation *out,
                                   const char *json, size_t len,
                                   struct sarhad_error *err);

#endif
