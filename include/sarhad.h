/*
 * sarhad.h - the one public header of libsarhad, the border-crossing and
 * travel-document control library.
 *
 * Conventions used by every function below:
 *   - Every fallible call returns enum sarhad_status; 0 (SARHAD_OK) is success.
 *   - The last argument is a caller-owned struct sarhad_error *err, which may
 *     be NULL.  Filling it never allocates.  Messages never hold traveller
 *     data, so they are safe to log.
 *   - Results are value structs with fixed-size arrays (copyable, never
 *     freed) unless a function says it allocates.
 *   - Heap objects come in _new/_free pairs, stores in _open/_close pairs, and
 *     caller-provided structs in _init/_cleanup pairs; _free(NULL) and
 *     _close(NULL) do nothing.
 *   - A failed call leaves its objects unchanged.
 *   - A refusal or a watchlist hit is an answer, not an error.
 */
#ifndef SARHAD_H
#define SARHAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define SARHAD_MUST_CHECK __attribute__((warn_unused_result))
#else
#define SARHAD_MUST_CHECK
#endif

#define SARHAD_VERSION "0.1.0"

/* ---------------------------------------------------------------------------
 * Errors
 * ------------------------------------------------------------------------- */

/* The status codes and their texts come from one list so they cannot drift. */
#define SARHAD_STATUS_MAP(X)                                                   \
    X(OK, "success")                                                           \
    X(EINVAL, "invalid argument")                                              \
    X(EFORMAT, "malformed input")                                              \
    X(ECHECK, "check digit mismatch")                                          \
    X(ENOMEM, "out of memory")                                                 \
    X(ETOOBIG, "input too large")                                              \
    X(EIO, "input/output error")                                               \
    X(EDB, "database error")                                                   \
    X(EBUSY, "store is in use by another process")                             \
    X(ENOTFOUND, "not found")                                                  \
    X(EEXIST, "already exists")                                                \
    X(EPERM, "permission denied")                                              \
    X(EAUTH, "authentication failed")                                          \
    X(ESIGN, "signature invalid")                                              \
    X(ETAMPER, "audit chain broken")

enum sarhad_status {
#define SARHAD__STATUS_ENUM(name, text) SARHAD_##name,
    SARHAD_STATUS_MAP(SARHAD__STATUS_ENUM)
#undef SARHAD__STATUS_ENUM
        SARHAD_STATUS_COUNT
};

/*
 * Where and why a call failed.  offset is the byte in the input (SIZE_MAX
 * when not about input); line and col are 1-based (0 when unknown); field
 * names the part of the input at fault ("document_number_check",
 * "rules[3].when", "") and message says what was expected, for operators.
 */
struct sarhad_error {
    enum sarhad_status code;
    size_t offset;
    unsigned line;
    unsigned col;
    char field[32];
    char message[160];
};

/* The text for a status; never NULL (unknown codes get "unknown status"). */
const char *sarhad_strerror(enum sarhad_status code);

/* Reset *err to SARHAD_OK with no location.  err may be NULL. */
void sarhad_error_clear(struct sarhad_error *err);

/* ---------------------------------------------------------------------------
 * Memory
 * ------------------------------------------------------------------------- */

/*
 * The library allocates through these hooks so that tests can fail any
 * allocation.  realloc_fn(NULL, n) must behave as malloc and free_fn(NULL)
 * must do nothing.  Passing NULL restores the C library's functions.  Not
 * thread-safe: set it before any other call.
 */
struct sarhad_allocator {
    void *(*realloc_fn)(void *ctx, void *ptr, size_t size);
    void (*free_fn)(void *ctx, void *ptr);
    void *ctx;
};
void sarhad_set_allocator(const struct sarhad_allocator *allocator);

/* Overwrite len bytes at p with zeros in a way the compiler cannot elide. */
void sarhad_wipe(void *p, size_t len);

/* ===== dates (src/date.c) ===== */

/*
 * A civil (proleptic Gregorian) date.  year == 0 means "no date"; a struct
 * sarhad_date that is not zero is always a real calendar date.
 */
struct sarhad_date {
    int16_t year;
    uint8_t month; /* 1-12 */
    uint8_t day;   /* 1-31 */
};

/* A local date and time as written at a post, with its UTC offset. */
struct sarhad_time {
    struct sarhad_date date; /* local date */
    int32_t seconds;         /* local seconds since midnight, 0-86399 */
    int16_t utc_offset_min;  /* e.g. +300 for Pakistan (UTC+05:00) */
};

/* True when year/month/day name a real date (31 Feb and month 13 do not). */
bool sarhad_date_is_valid(int year, int month, int day);

/* Days since 1970-01-01 (negative before); d must be a real date. */
int32_t sarhad_date_to_days(struct sarhad_date d);

/* The date days after 1970-01-01. */
struct sarhad_date sarhad_date_from_days(int32_t days);

/* a - b in days (a, b real dates). */
int32_t sarhad_date_diff(struct sarhad_date a, struct sarhad_date b);

/* <0, 0, >0 as a is before, equal to or after b ("no date" sorts first). */
int sarhad_date_cmp(struct sarhad_date a, struct sarhad_date b);

/* The date n days after d (n may be negative). */
struct sarhad_date sarhad_date_add_days(struct sarhad_date d, int32_t n);

/*
 * Parse exactly "YYYY-MM-DD" (len bytes).  SARHAD_EFORMAT when the shape is
 * wrong or the date does not exist; err->offset is the faulty byte.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_date_parse(struct sarhad_date *out, const char *text, size_t len,
                  struct sarhad_error *err);

/* Write "YYYY-MM-DD" and a NUL into out; "" for no date. Returns length. */
size_t sarhad_date_format(char out[11], struct sarhad_date d);

/*
 * Parse an RFC 3339 local time "YYYY-MM-DDTHH:MM[:SS][.frac](Z|+HH:MM|-HH:MM)"
 * keeping the local date (the law applies by the post's calendar day).
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_time_parse(struct sarhad_time *out, const char *text, size_t len,
                  struct sarhad_error *err);

/* Seconds since the Unix epoch (UTC) of t. */
int64_t sarhad_time_to_unix(const struct sarhad_time *t);

/* t as RFC 3339 with its offset, e.g. "2023-11-05T09:30:00+05:00". */
size_t sarhad_time_format(char out[26], const struct sarhad_time *t);

/* The local time at utc_offset_min of the Unix time unix_seconds. */
struct sarhad_time sarhad_time_from_unix(int64_t unix_seconds,
                                         int utc_offset_min);

/* ===== MRZ (src/mrz.c) ===== */

/* ICAO Doc 9303 machine-readable zone formats. */
enum sarhad_mrz_format {
    SARHAD_MRZ_UNKNOWN = 0,
    SARHAD_MRZ_TD1,  /* ID-1 card, 3 lines of 30 */
    SARHAD_MRZ_TD2,  /* ID-2 card, 2 lines of 36 */
    SARHAD_MRZ_TD3,  /* passport, 2 lines of 44 */
    SARHAD_MRZ_MRVA, /* visa A, 2 lines of 44 */
    SARHAD_MRZ_MRVB  /* visa B, 2 lines of 36 */
};

#define SARHAD_MRZ_MAX_ISSUES 12

/*
 * One problem found in an MRZ.  field is the contract name of the field or
 * check ("document_number_check", "birth_date", "line", ...), code a stable
 * machine code ("check_digit", "impossible_date", "bad_character",
 * "bad_length", ...), line and col 1-based (0 when not about one place).
 */
struct sarhad_mrz_issue {
    char field[24];
    char code[24];
    char message[96];
    uint8_t line;
    uint8_t col;
};

/*
 * What an MRZ says.  Names have '<' turned into spaces and are trimmed;
 * numbers and codes keep their characters without filler.  A date that is
 * impossible (month 13, 31 Feb) is left as "no date" (year 0) and reported
 * as an issue.  valid is true when there are no issues at all.
 */
struct sarhad_mrz {
    enum sarhad_mrz_format format;
    bool valid;
    char document_code[3];
    char issuing_state[4];
    char surname[40];
    char given_names[40];
    char document_number[32]; /* TD1 long numbers joined from the spill */
    char nationality[4];
    struct sarhad_date birth_date;
    char sex; /* 'M', 'F' or 'X' (unspecified, '<' in the MRZ) */
    struct sarhad_date expiry_date;
    char optional_data[32];
    char optional_data_2[32];
    unsigned issue_count;
    struct sarhad_mrz_issue issues[SARHAD_MRZ_MAX_ISSUES];
    /* When a check digit failed and exactly one OCR-confusion repair makes
     * every check pass: that reading, lines joined by '\n'.  Never applied. */
    bool has_suggestion;
    char suggestion[96];
};

/*
 * Read one MRZ of len bytes: its lines separated by "\n" or "\r\n", with
 * trailing spaces and one trailing newline tolerated.  Allocates nothing.
 *
 * Returns SARHAD_OK when the text has the shape of an MRZ (a known line
 * count and length and only A-Z 0-9 '<'); then *out holds every field, and
 * out->valid says whether every check passed, with out->issues listing each
 * failed check digit and impossible date.  Returns SARHAD_EFORMAT when the
 * text is not an MRZ at all; *out then holds format UNKNOWN and the issue,
 * and err says where (line, col, offset) and why.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_mrz_parse(struct sarhad_mrz *out,
                                                      const char *text,
                                                      size_t len,
                                                      struct sarhad_error *err);

/*
 * Build the MRZ of fields (the format, names, numbers and dates in *fields;
 * check digits, issues and suggestion are ignored and computed).  Names
 * are truncated by the ICAO 9303-3 rule when too long.  Writes the lines
 * joined by '\n' and NUL-terminated to out (cap bytes; 3 * 31 is enough).
 * SARHAD_EINVAL names the field that cannot be written (bad characters,
 * too long a number).
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_mrz_format(char *out, size_t cap, const struct sarhad_mrz *fields,
                  struct sarhad_error *err);

/*
 * As sarhad_mrz_parse, with two-digit years read against the day today
 * instead of the current date, so that a reading can be replayed: a birth
 * date is the latest date with those digits not after today, an expiry date
 * is in 2000-2099 unless that would be more than 50 years after today (no
 * travel document is valid that long), when it is in 1900-1999.
 * sarhad_mrz_parse calls this with today's UTC date.  Allocates nothing.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_mrz_parse_at(struct sarhad_mrz *out, const char *text, size_t len,
                    struct sarhad_date today, struct sarhad_error *err);

/* The ICAO 9303 check digit of len characters (7-3-1 weights), or -1 when
 * a character is outside A-Z 0-9 '<'. */
int sarhad_mrz_check_digit(const char *s, size_t len);

/* "TD1", "TD2", "TD3", "MRVA", "MRVB", or NULL for UNKNOWN. */
const char *sarhad_mrz_format_name(enum sarhad_mrz_format format);

/* ===== national ID numbers (src/ids.c) ===== */

/* CNIC province digits (the first digit of the number). */
#define SARHAD_CNIC_PROVINCE_MAP(X)                                            \
    X(1, "Khyber Pakhtunkhwa")                                                 \
    X(2, "FATA")                                                               \
    X(3, "Punjab")                                                             \
    X(4, "Sindh")                                                              \
    X(5, "Balochistan")                                                        \
    X(6, "Islamabad")                                                          \
    X(7, "Gilgit-Baltistan")

/*
 * A Pakistani CNIC number as read.  digits holds the 13 digits without
 * dashes; area the first five (the district area); province the first digit;
 * sex 'M' (last digit odd) or 'F' (even).
 */
struct sarhad_cnic {
    char digits[14];
    char area[6];
    int province;
    char sex;
};

/*
 * Read a CNIC number: exactly "DDDDD-DDDDDDD-D" or 13 digits without dashes
 * (len bytes).  Allocates nothing.  SARHAD_EFORMAT when the shape is wrong
 * (err->offset is the faulty byte) or the province digit is not 1-7
 * (err->field "province").  The sex digit is always readable; compare it
 * with sarhad_cnic_sex_matches.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_cnic_parse(struct sarhad_cnic *out, const char *text, size_t len,
                  struct sarhad_error *err);

/* True when the CNIC's sex digit agrees with sex ('M' or 'F'); any other
 * sex (unstated, 'X') agrees with every number. */
bool sarhad_cnic_sex_matches(const struct sarhad_cnic *cnic, char sex);

/* The province of a CNIC province digit, or NULL when not 1-7. */
const char *sarhad_cnic_province_name(int province);

/*
 * Configurable number layouts for documents whose format was not found
 * (tazkira, PoR, ACC, Rahdari): a pattern where '9' is a digit, 'A' a letter
 * A-Z (either case), '?' a digit or letter, '*' any run of digits, letters,
 * '-' and '/' (possibly empty), and every other character itself.  True when
 * text (len bytes) matches pattern (NUL-terminated) in full.
 */
bool sarhad_id_pattern_match(const char *pattern, const char *text, size_t len);

/* True when pattern is well formed (printable ASCII, 1-63 bytes, at most
 * two '*'). */
bool sarhad_id_pattern_is_valid(const char *pattern);

/* ===== presentations and the rule language (src/presentation.c,
 * src/policy_*.c) ===== */

/*
 * A presentation is what a traveller brings to a counter (DESIGN.md); a
 * decision is what the policy says about it.  These structs are the contract
 * between the presentation reader, the policy engine, the ledger, the
 * screening and the server.
 */
#define SARHAD_MAX_DOCUMENTS 8
#define SARHAD_MAX_REASONS   8
#define SARHAD_MAX_FLAGS     8
#define SARHAD_MAX_HITS      5
#define SARHAD_MAX_STAYS     32

enum sarhad_direction { SARHAD_ENTRY = 0, SARHAD_EXIT = 1 };

#define SARHAD_DOC_KIND_MAP(X)                                                 \
    X(PASSPORT, "passport")                                                    \
    X(VISA, "visa")                                                            \
    X(CNIC, "cnic")                                                            \
    X(TAZKIRA, "tazkira")                                                      \
    X(POR, "por")                                                              \
    X(ACC, "acc")                                                              \
    X(RAHDARI, "rahdari")                                                      \
    X(MEDICAL_LETTER, "medical_letter")                                        \
    X(CANCER_CARD, "cancer_card")                                              \
    X(EXIT_PERMIT, "exit_permit")                                              \
    X(TOKEN, "token")

enum sarhad_doc_kind {
#define SARHAD__DOC_ENUM(name, text) SARHAD_DOC_##name,
    SARHAD_DOC_KIND_MAP(SARHAD__DOC_ENUM)
#undef SARHAD__DOC_ENUM
        SARHAD_DOC_KIND_COUNT
};

enum sarhad_visa_entries {
    SARHAD_ENTRIES_NONE = 0, /* not a visa, or not stated */
    SARHAD_ENTRIES_SINGLE,
    SARHAD_ENTRIES_DOUBLE,
    SARHAD_ENTRIES_MULTIPLE
};

/* One document as read: MRZ documents carry mrz, others what is printed. */
struct sarhad_document {
    enum sarhad_doc_kind kind;
    bool has_mrz;
    struct sarhad_mrz mrz; /* passport, visa, e-tazkira */
    char number[32];
    struct sarhad_date issued;
    struct sarhad_date expiry;
    char district[48];
    char tribe[32];
    char issuer[32];
    /* visas */
    char category[16]; /* visit, family, business, work, study, medical, ... */
    enum sarhad_visa_entries entries;
    int stay_days; /* per visit; 0 when not stated */
};

/* What the officer establishes about the traveller. */
struct sarhad_traveller {
    char nationality[4]; /* ICAO code: AFG, PAK, ... */
    char sex;            /* 'M', 'F', 'X' or 0 when not stated */
    struct sarhad_date birth_date;
    char residence[48]; /* district */
    char tribe[32];
    char occupation[32];
    char purpose[32];
    char father_name[64];
};

/* Movement categories of exits (returns reporting, DOMAIN.md 6). */
enum sarhad_movement {
    SARHAD_MOVE_REGULAR = 0,
    SARHAD_MOVE_SPONTANEOUS_RETURN,
    SARHAD_MOVE_ASSISTED_RETURN, /* assisted voluntary repatriation */
    SARHAD_MOVE_DEPORTATION
};

/* Vulnerabilities counted by IOM DTM flow monitoring (bit flags). */
enum sarhad_vulnerability {
    SARHAD_VULN_UNACCOMPANIED_CHILD = 1 << 0,
    SARHAD_VULN_MEDICAL = 1 << 1,
    SARHAD_VULN_SINGLE_WOMAN = 1 << 2,
    SARHAD_VULN_ELDERLY = 1 << 3,
    SARHAD_VULN_DISABLED = 1 << 4,
    SARHAD_VULN_SPECIFIC_NEEDS = 1 << 5
};

/* Pakistan's provinces and territories, where a returnee was arrested
 * (the UNHCR-IOM flash updates count arrests and detentions by province
 * and documentation status). */
enum sarhad_province {
    SARHAD_PROVINCE_NONE = 0, /* not stated */
    SARHAD_PROVINCE_KHYBER_PAKHTUNKHWA,
    SARHAD_PROVINCE_PUNJAB,
    SARHAD_PROVINCE_SINDH,
    SARHAD_PROVINCE_BALOCHISTAN,
    SARHAD_PROVINCE_ISLAMABAD,
    SARHAD_PROVINCE_GILGIT_BALTISTAN,
    SARHAD_PROVINCE_AZAD_KASHMIR
};

/* Optional details an officer records on an exit (the "movement" block). */
struct sarhad_movement_info {
    enum sarhad_movement category;
    char household[32]; /* groups family members crossing together */
    int household_size; /* 0 when not stated */
    unsigned vulnerabilities;
    int vehicles;
    char intended_stay[16]; /* e.g. "permanent", "days", "months" */
    /* A returnee handed over from detention: where and when they were
     * arrested (none and year 0 when not stated). */
    enum sarhad_province arrest_province;
    struct sarhad_date arrested_on;
};

struct sarhad_presentation {
    char crossing[16]; /* TORKHAM, CHAMAN, ... */
    enum sarhad_direction direction;
    struct sarhad_time time;
    char counter[16];
    struct sarhad_traveller traveller;
    struct sarhad_movement_info movement;
    unsigned document_count;
    struct sarhad_document documents[SARHAD_MAX_DOCUMENTS];
};

/*
 * What the ledger knows about the traveller before this presentation; the
 * evaluator stays pure by taking it as input.  stays lists past and open
 * stays (most recent last); visa_entries_used counts entries already made on
 * the presented visa.
 */
struct sarhad_stay {
    struct sarhad_date entry;
    struct sarhad_date exit; /* no date (year 0) while the stay is open */
    int allowed_days;        /* from the visa or the rule; 0 when unknown */
};
struct sarhad_history {
    bool known; /* false: no ledger consulted */
    unsigned visa_entries_used;
    unsigned stay_count;
    struct sarhad_stay stays[SARHAD_MAX_STAYS];
};

/* A watchlist hit as the decision carries it: never a bare "match". */
struct sarhad_hit {
    char list_version[24];
    char entry_id[32];
    char name[96];
    int score; /* 0-100 */
    char why[256];
};
struct sarhad_screening {
    bool screened;
    char list_version[24];
    unsigned hit_count;
    struct sarhad_hit hits[SARHAD_MAX_HITS];
    int floor; /* the lowest score carried (set by the ledger's screening) */
};

enum sarhad_outcome { SARHAD_ADMIT = 0, SARHAD_REFUSE, SARHAD_REFER };

struct sarhad_reason {
    char code[32];     /* stable: "visa_expired", "mrz_check_failed", ... */
    char message[160]; /* what the officer reads out */
};
struct sarhad_flag {
    char code[32]; /* "overstay", "mrz_check_failed", "watchlist_hit", ... */
    char detail[128];
};

struct sarhad_decision {
    enum sarhad_outcome outcome;
    char zone[24]; /* "" or the area an admit is limited to */
    char rule[48]; /* id of the deciding rule */
    char policy_name[48];
    int policy_version;
    int overstay_days; /* 0 when none */
    int fine_usd;      /* from the policy's fine table; 0 when none */
    unsigned reason_count;
    struct sarhad_reason reasons[SARHAD_MAX_REASONS];
    unsigned flag_count;
    struct sarhad_flag flags[SARHAD_MAX_FLAGS];
    unsigned hit_count;
    struct sarhad_hit hits[SARHAD_MAX_HITS];
};

/* "admit", "refuse", "refer". */
const char *sarhad_outcome_name(enum sarhad_outcome outcome);
/* "passport", ... as in SARHAD_DOC_KIND_MAP; "unknown" out of range. */
const char *sarhad_doc_kind_name(enum sarhad_doc_kind kind);

/* The enumeration for a name ("passport" -> SARHAD_DOC_PASSPORT); false
 * when name (len bytes) is not a document kind. */
bool sarhad_doc_kind_parse(enum sarhad_doc_kind *out, const char *name,
                           size_t len);

/* The crossing codes of DESIGN.md, in a fixed order (index = bit). */
#define SARHAD_CROSSING_MAP(X)                                                 \
    X(TORKHAM)                                                                 \
    X(CHAMAN)                                                                  \
    X(GHULAM_KHAN)                                                             \
    X(KHARLACHI)                                                               \
    X(ANGOOR_ADDA)                                                             \
    X(BADINI)                                                                  \
    X(ARANDU)                                                                  \
    X(BIN_SHAHI)                                                               \
    X(BARABCHA)

/* The index of a crossing code (len bytes, exact case) in
 * SARHAD_CROSSING_MAP, or -1 when it is not a known crossing. */
int sarhad_crossing_index(const char *code, size_t len);

/* "regular", "spontaneous_return", "assisted_return", "deportation". */
const char *sarhad_movement_name(enum sarhad_movement movement);

/* The name of the vulnerability whose flag is 1 << bit, as a presentation
 * spells it ("unaccompanied_child", "medical", "single_woman", "elderly",
 * "disabled", "specific_needs"); NULL past the last. */
const char *sarhad_vulnerability_name(unsigned bit);

/* The province's name as a presentation spells it ("khyber_pakhtunkhwa",
 * "punjab", "sindh", "balochistan", "islamabad", "gilgit_baltistan",
 * "azad_kashmir"); NULL for SARHAD_PROVINCE_NONE and past the last. */
const char *sarhad_province_name(enum sarhad_province province);

/* Limits on inputs (bytes). */
#define SARHAD_PRESENTATION_MAX_LEN 65536   /* 64 KiB */
#define SARHAD_POLICY_MAX_LEN       4194304 /* 4 MiB */

/*
 * Read a presentation (DESIGN.md) of len bytes of JSON into *out.  Every
 * field is set, what the JSON leaves out to zero, except the documents past
 * out->document_count, which are not touched, and each MRZ's issues past
 * its issue_count (0 for a document without an MRZ).  Allocates nothing that
 * outlives the call: the usual presentation is parsed by a reader of its
 * shape, and anything else (every JSON error included) by jansson in a
 * per-thread arena on the stack (spilling to the heap only for presentations
 * far larger than usual, freed before returning), with the same result.
 * Safe to call from several threads at once.  Strict:
 * duplicate keys, unknown fields, wrong types, strings longer than their field,
 * more than SARHAD_MAX_DOCUMENTS documents, bad dates, unknown crossing codes,
 * document kinds or directions, and an MRZ that does not have the shape of one
 * or is not of its document's kind (a passport's is TD3 or TD2 with a code
 * starting P, a visa's MRV-A or MRV-B with V; a bad check digit is not an input
 * error: the policy decides) are SARHAD_EFORMAT (SARHAD_ETOOBIG for sizes) with
 * err->field naming the field
 * ("documents[1].mrz", "traveller.sex") and, for JSON syntax errors,
 * err->line/col/offset.  Optional parts: "counter", traveller "father_name",
 * and for exits "movement" {"category", "household", "household_size",
 * "vulnerabilities", "vehicles", "intended_stay"}.  A CNIC number must have the
 * CNIC shape (sarhad_cnic_parse); its province and sex digits are decided by
 * the policy.  On failure *out is left zeroed.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_presentation_parse(struct sarhad_presentation *out, const char *json,
                          size_t len, struct sarhad_error *err);

/*
 * A compiled policy (docs/POLICY.md): the rules of a regime with their
 * dates, compiled once into tables that evaluate in microseconds.
 * Immutable after compilation, so one policy may be shared by any number of
 * threads deciding at once.
 */
struct sarhad_policy;

/*
 * Compile the policy text (len bytes, at most SARHAD_POLICY_MAX_LEN) into
 * *out, which the caller frees with sarhad_policy_free.  filename is used
 * only in messages (may be NULL).  Errors: SARHAD_EFORMAT with err->line and
 * err->col (1-based) of the first fault and a message "FILE:LINE:COL: ..."
 * saying what was expected ("expected a date YYYY-MM-DD (or
 * YYYY-MM-DDTHH:MM), found '2023-02-30'", "unknown crossing code
 * 'TORKHUM' (expected TORKHAM, ...)"), err->field the rule id when inside a
 * rule;
 * SARHAD_ETOOBIG for oversized input; SARHAD_ENOMEM.  On failure *out is
 * NULL and nothing is leaked.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_policy_compile(struct sarhad_policy **out, const char *filename,
                      const char *text, size_t len, struct sarhad_error *err);

/* Free a compiled policy; NULL is fine. */
void sarhad_policy_free(struct sarhad_policy *policy);

/* The policy's declared name ("pakistan"), never NULL. */
const char *sarhad_policy_name(const struct sarhad_policy *policy);

/* The policy's declared version number. */
int sarhad_policy_version(const struct sarhad_policy *policy);

/* The watchlist alert score (0-100): a screening hit scoring at least this
 * makes the decision `refer`.  100 when the policy does not say. */
int sarhad_policy_screen_threshold(const struct sarhad_policy *policy);

/* Number of rules in the policy. */
unsigned sarhad_policy_rule_count(const struct sarhad_policy *policy);

/*
 * Decide a presentation.  Pure: no I/O, no clock, no allocation; the same
 * inputs always give the same decision, and a refusal is SARHAD_OK.
 * history may be NULL (no ledger consulted), screening NULL (not screened).
 * In order:
 *   1. a passport or visa whose MRZ failed a check, a visa whose names or
 *      birth date differ from the passport's, a CNIC with an impossible
 *      province or a sex digit against the traveller's sex, or a number that
 *      does not fit the policy's number-format: refer (rule
 *      "document-check"), never admit or refuse;
 *   2. screening hits scoring at or above the policy's threshold: refer
 *      (rule "watchlist"), the hits and their explanations copied;
 *   3. the policy's rules in file order: the first in force (at the
 *      presentation's local date and time) whose scope
 *      matches and one of whose document sets is satisfied decides; the
 *      reasons of the rules that nearly matched (what was missing or
 *      wrong) are added to a refusal; when no rule decides: refuse (rule
 *      "no-rule").
 * On exit with history, an open stay longer than allowed sets
 * out->overstay_days and out->fine_usd from the policy's fine table.
 * SARHAD_EINVAL only for NULL out, policy or presentation.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_policy_decide(
    struct sarhad_decision *out, const struct sarhad_policy *policy,
    const struct sarhad_presentation *presentation,
    const struct sarhad_history *history,
    const struct sarhad_screening *screening, struct sarhad_error *err);

/*
 * Write the decision JSON of DESIGN.md, snprintf-like: at most cap bytes
 * including the NUL (out may be NULL when cap is 0); returns the length the
 * whole text needs, without the NUL.  One line:
 *   {"decision":"refuse","zone":null,"rule":"one-document",
 *    "policy":{"name":"pakistan","version":1},
 *    "reasons":[{"code":"...","message":"..."}],
 *    "flags":{"overstay_days":0,"fine_usd":0,"watchlist_hits":[{"list_version",
 *    "entry_id","name","score","why"}],"mrz_problems":[{"code","detail"}],
 *    "notes":[{"code","detail"}]}}
 */
size_t sarhad_decision_json(char *out, size_t cap,
                            const struct sarhad_decision *decision);

/* One finding of the policy checker. */
struct sarhad_lint_issue {
    unsigned line;
    unsigned col;
    bool is_error; /* false: a warning */
    char code[24]; /* "unreachable", "overlap", "dates_backwards", ... */
    char message[200];
};

/*
 * Check a compiled policy: rules that can never fire (an earlier rule with
 * no document requirement already decides everything they cover, or their
 * dates run backwards), rules that overlap an earlier rule with a different
 * outcome where neither's scope contains the other (so their order matters
 * and nothing in the file says which was meant: one of them needs no
 * document, or both ask for the same documents, and the earlier one is not
 * marked `exception`).  Writes up to cap issues to
 * out and returns how many were found in all.  Unknown crossing codes and
 * document kinds are already compile errors.
 */
unsigned sarhad_policy_lint(const struct sarhad_policy *policy,
                            struct sarhad_lint_issue *out, unsigned cap);

/* ===== the post's store (src/store.c) ===== */

/*
 * A post keeps everything in one SQLite file (WAL): the ledger, the
 * watchlists, accounts and the audit log.  Each component's tables are
 * created and upgraded by its own numbered migrations when the store opens.
 * One process writes a store at a time; a second writer gets SARHAD_EBUSY.
 */
struct sarhad_store;

struct sarhad_store_options {
    bool create;             /* create the file when missing */
    bool read_only;          /* never write (reports, verify, audit read) */
    const char *synchronous; /* "FULL" (NULL), "EXTRA", "NORMAL" or "OFF" */
};

/*
 * Open (or create) the store at path and bring every component's schema up
 * to date.  opt may be NULL (read-write, must exist, synchronous FULL).
 * SARHAD_EBUSY when another process holds it for writing, SARHAD_EIO when
 * it cannot be read or written, SARHAD_EDB when it is not a sarhad store or
 * is corrupt.  The caller owns *out and closes it with sarhad_store_close.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_store_open(struct sarhad_store **out, const char *path,
                  const struct sarhad_store_options *opt,
                  struct sarhad_error *err);

/* Close the store; pending transactions are rolled back.  NULL is fine. */
void sarhad_store_close(struct sarhad_store *store);

/*
 * Group several writes into one durable transaction: begin, any number of
 * recording calls, then commit (one fsync for the group) or rollback.
 * Recording calls outside begin/commit run in a transaction of their own.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_store_begin(struct sarhad_store *store, struct sarhad_error *err);
SARHAD_MUST_CHECK enum sarhad_status
sarhad_store_commit(struct sarhad_store *store, struct sarhad_error *err);
void sarhad_store_rollback(struct sarhad_store *store);

/*
 * WAL checkpoints off the commit path.  By default a commit that leaves
 * 1000 or more pages in the write-ahead log copies them back into the
 * database file itself (SQLite's automatic checkpoint) and, with
 * synchronous=FULL, waits for that file's fsync too, so some commits take
 * much longer than others.  After this call the writer's commits only
 * count the pages in the log, and a thread of the store's own, on a second
 * connection, runs the PASSIVE checkpoint (with the writer's synchronous
 * level) whenever that many are waiting, while the writer goes on.
 * Stopped by sarhad_store_close.  Does nothing on a read-only store.
 * Errors: SARHAD_ENOMEM (no thread), store errors opening the connection.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_store_checkpoint_in_background(struct sarhad_store *store,
                                      struct sarhad_error *err);

/*
 * Make every commit made so far durable: one fdatasync of the store's
 * write-ahead log.  For a writer opened with synchronous=NORMAL (whose
 * commits do not wait for the disk) that reports what it committed only
 * after a flush: callable from another thread while the writer records
 * the next group, so the two overlap.  Nothing to do on a read-only store
 * or before the first commit.  Errors: SARHAD_EIO (the disk did not
 * confirm the write: what was committed may or may not survive a crash).
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_store_flush(struct sarhad_store *store, struct sarhad_error *err);

struct sarhad_store_backup_info {
    uint64_t pages; /* pages copied */
    uint64_t bytes; /* size of the copy */
};

/*
 * Copy the store at store_path to a new file at path while its writer
 * (this process's or another's) goes on committing.  The copy is the store
 * as it was after one commit, read in one snapshot, and a single file (no
 * -wal) that sarhad_store_open takes like any store.  path either ends up
 * holding the whole copy, flushed to disk with its directory entry, or
 * does not exist: the copy is written as PATH.partial-RANDOM (mode 0600)
 * and renamed when complete.  Pages are copied whatever the version of
 * the store's schema (a backup before an upgrade).  progress (may be
 * NULL) is called as pages are copied.  SARHAD_EEXIST when path exists (a
 * backup never replaces a file), SARHAD_EIO when the store cannot be read
 * or the copy written (full disk, permissions), SARHAD_EDB when the file
 * is not a sarhad store.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_store_backup(const char *store_path, const char *path,
                    void (*progress)(void *ctx, uint64_t done, uint64_t total),
                    void *ctx, struct sarhad_store_backup_info *info,
                    struct sarhad_error *err);

/* ===== ledger (src/ledger*.c) ===== */

/*
 * The crossing ledger: a post's durable memory.  Every attempt at the
 * counter is recorded with its presentation and decision (append-only: a
 * later event such as a referral's resolution refers to the attempt, it
 * never edits it); travellers are linked across documents; admitted entries
 * open stays and exits close them; visa entries are counted; exits carry
 * the returns categories of DOMAIN.md section 6; referred attempts wait in
 * the post's secondary-inspection queue.  Summary tables that the reports
 * read are kept in step with the events in the same transaction.  Every
 * state change appends its audit entry in that transaction too.
 *
 * A ledger is a store plus its compiled current policy (and an optional
 * screening hook).  It is not thread-safe: one thread records at a time.
 */
struct sarhad_ledger;
struct sarhad_actor; /* defined with the audit log, below */

/*
 * Screening hook: fill *out for the presentation (out is zeroed before the
 * call).  Returns SARHAD_OK, or an error that makes the crossing fail
 * before anything is recorded.  The ledger passes the result to the policy.
 */
typedef enum sarhad_status (*sarhad_screen_fn)(
    void *ctx, const struct sarhad_presentation *presentation,
    struct sarhad_screening *out, struct sarhad_error *err);

/* Upper limits on what the ledger accepts. */
#define SARHAD_LEDGER_REASON_MAX 1000 /* a resolution's written reason */

/*
 * Make a new (empty) store a post's: set its post code (1-15 characters,
 * A-Z 0-9 '_' '-') and publish policy version 1 from policy_text (len
 * bytes; filename only for messages and the record).  who is recorded as
 * the publisher, now (Unix seconds) as the time.  One transaction, with
 * its audit entries.  SARHAD_EEXIST when the store already has a post or a
 * policy; SARHAD_EFORMAT (line, col) when the policy does not compile;
 * SARHAD_EINVAL when the lint finds an error in it or the post code is bad;
 * store errors as sarhad_store_open.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_ledger_init(struct sarhad_store *store, const char *post,
                   const char *policy_filename, const char *policy_text,
                   size_t len, const struct sarhad_actor *who, int64_t now,
                   struct sarhad_error *err);

/*
 * Open the ledger of an initialised store: loads and compiles the current
 * published policy.  The store must outlive the ledger.  The caller owns
 * *out (sarhad_ledger_close).  SARHAD_ENOTFOUND when the store was never
 * initialised (sarhad_ledger_init); SARHAD_EFORMAT when the stored policy
 * no longer compiles; SARHAD_ENOMEM; store errors.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_ledger_open(struct sarhad_ledger **out, struct sarhad_store *store,
                   struct sarhad_error *err);

/* Free the ledger (not its store).  NULL is fine. */
void sarhad_ledger_close(struct sarhad_ledger *ledger);

/* The store the ledger records into. */
struct sarhad_store *sarhad_ledger_store(struct sarhad_ledger *ledger);

/* The compiled current policy (owned by the ledger; valid until the next
 * publication or the close). */
const struct sarhad_policy *
sarhad_ledger_policy(const struct sarhad_ledger *ledger);

/* Install (or with fn NULL remove) the screening hook used by
 * sarhad_ledger_cross; ctx is passed to it. */
void sarhad_ledger_set_screen(struct sarhad_ledger *ledger, sarhad_screen_fn fn,
                              void *ctx);

struct sarhad_screener; /* the watchlist index, below */

/*
 * Screen every presentation against screener (NULL: stop screening), which
 * must outlive its use here.  The query is the name from the first
 * machine-readable document (given names then surname), the birth date,
 * nationality, father's name and sex; a presentation without such a name
 * is not screened.  Hits down to the lower of the policy's screening
 * threshold and SARHAD_SCREEN_DEFAULT_THRESHOLD are carried; the policy
 * refers those at or above its own.
 */
void sarhad_ledger_set_screener(struct sarhad_ledger *ledger,
                                const struct sarhad_screener *screener);

/*
 * A crossing made ready for recording, on any thread (opaque): the
 * presentation screened as sarhad_ledger_cross would screen it, its text
 * as the attempt will keep it, and the audit hash started over that text.
 * The thread that records then spends its time only on what needs the
 * store (sarhad_ledger_cross_prepared).  One is reused for presentation
 * after presentation; sarhad_prepared_free frees it (NULL is fine).
 */
struct sarhad_prepared;
SARHAD_MUST_CHECK enum sarhad_status
sarhad_prepared_new(struct sarhad_prepared **out, struct sarhad_error *err);
void sarhad_prepared_free(struct sarhad_prepared *prep);

/*
 * Prepare p for recording.  Safe beside the recording thread as long as
 * the screener set with sarhad_ledger_set_screener is not replaced
 * meanwhile.  p is remembered, not copied: it must stay unchanged until
 * it is recorded.  Errors: SARHAD_EINVAL, SARHAD_ENOMEM, the screening
 * hook's error.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_ledger_prepare(const struct sarhad_ledger *ledger,
                      const struct sarhad_presentation *p,
                      struct sarhad_prepared *prep, struct sarhad_error *err);

/*
 * Decide and record one presentation: find the traveller's history in the
 * ledger (linking identities), screen (when a hook is set), decide by the
 * current policy, then record the attempt, its decision, the stay change,
 * visa use, the returns record of an exit, PoR cancellation, a referral
 * case and the audit entry.  All in one transaction: outside a batch it
 * commits (durably, per the store's synchronous level) before returning;
 * inside a sarhad_store_begin/commit batch, a presentation that fails for
 * its own reasons fails before anything is written and the batch goes on,
 * while a store error part-way abandons the batch (later calls and the
 * commit fail with SARHAD_EIO, and nothing of the batch is recorded).
 *
 * The ledger adds to the policy's decision what only history knows, as
 * flags: "no_entry_on_record" (an exit with no open stay; not refused),
 * "previous_stay_open" (an entry while a stay is still open),
 * "por_cancelled" (a PoR card already cancelled on an earlier return),
 * "identity_linked" (the traveller was recognised by another document).
 * *out receives the decision and *attempt_id (may be NULL) its id.  who
 * names the officer; now is the recording time (Unix seconds).
 *
 * A presentation with no identity at all (an undocumented returnee with no
 * document and no name) is recorded as an anonymous attempt (traveller 0).
 *
 * Errors: SARHAD_EINVAL (NULL arguments, a presentation without a time),
 * SARHAD_EPERM (a store opened read-only), store errors (SARHAD_EIO for a
 * full disk or a read-only file, SARHAD_EBUSY, SARHAD_EDB), the screening
 * hook's error.  On any error nothing is recorded.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_ledger_cross(
    struct sarhad_ledger *ledger, const struct sarhad_presentation *p,
    const struct sarhad_actor *who, int64_t now, struct sarhad_decision *out,
    int64_t *attempt_id, struct sarhad_error *err);

/*
 * The same for the presentation prep was prepared from (sarhad_ledger_
 * prepare).  A screening made before a policy publication moved the
 * carried floor, or before another list was set, is not trusted: the
 * presentation is screened again here.  SARHAD_EINVAL for a prep never
 * prepared.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_ledger_cross_prepared(
    struct sarhad_ledger *ledger, const struct sarhad_prepared *prep,
    const struct sarhad_actor *who, int64_t now, struct sarhad_decision *out,
    int64_t *attempt_id, struct sarhad_error *err);

/*
 * The decision JSON of the last successful sarhad_ledger_cross on ledger,
 * exactly as recorded in its attempt (sarhad_decision_json's text), and
 * its length in *len; "" after a failed one.  Valid until the next call
 * on the ledger.
 */
const char *sarhad_ledger_decision_text(const struct sarhad_ledger *ledger,
                                        size_t *len);

/*
 * The history the ledger would hand the policy for p (read only): stays of
 * the linked traveller (most recent last, at most SARHAD_MAX_STAYS) and
 * entries already used on the presented visa.  *traveller_id (may be NULL)
 * gets the traveller's id, 0 when unknown.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_ledger_history(struct sarhad_ledger *ledger,
                      const struct sarhad_presentation *p,
                      struct sarhad_history *out, int64_t *traveller_id,
                      struct sarhad_error *err);

/* ---- policy versions ---- */

/* A published policy version: number counts publications 1, 2, ...; name
 * and version are what the policy text declares. */
struct sarhad_policy_info {
    int number;
    char name[48];
    int version;
    char filename[128];
    char published_at[26]; /* UTC, RFC 3339 */
    char published_by[32];
    char sha256[65]; /* hex of the text */
    bool is_current;
};

/*
 * Publish a new policy version: compile, lint (an error finding refuses
 * it, warnings do not), then record it as the next publication and make it
 * current for this ledger, with its audit entry, in one transaction.  A
 * published version is never edited: the declared version must be greater
 * than the current one's (SARHAD_EEXIST otherwise).  Up to issue_cap lint
 * findings are copied to issues (may be NULL with cap 0) and
 * *issue_count (may be NULL) gets how many there were.  *info (may be
 * NULL) describes the publication.  Not inside a batch.  Errors:
 * SARHAD_EFORMAT (compile, err->line/col), SARHAD_EINVAL (lint errors, or
 * a batch is open), SARHAD_EEXIST, store errors.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_ledger_policy_publish(
    struct sarhad_ledger *ledger, const char *filename, const char *text,
    size_t len, const struct sarhad_actor *who, int64_t now,
    struct sarhad_policy_info *info, struct sarhad_lint_issue *issues,
    unsigned issue_cap, unsigned *issue_count, struct sarhad_error *err);

/* Call fn for every publication, oldest first; fn returns false to stop. */
SARHAD_MUST_CHECK enum sarhad_status sarhad_ledger_policy_list(
    struct sarhad_store *store,
    bool (*fn)(void *ctx, const struct sarhad_policy_info *info), void *ctx,
    struct sarhad_error *err);

/*
 * Call fn once with publication number's text (number 0: the current
 * one); text is valid only during the call.  SARHAD_ENOTFOUND when there
 * is no such publication.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_ledger_policy_text(
    struct sarhad_store *store, int number,
    void (*fn)(void *ctx, const struct sarhad_policy_info *info,
               const char *text, size_t len),
    void *ctx, struct sarhad_error *err);

/* ---- referrals (secondary inspection) ---- */

/* An open referral case. */
struct sarhad_referral {
    int64_t attempt_id;
    int64_t traveller_id;
    char post[16];
    char crossing[16];
    enum sarhad_direction direction;
    char at[26]; /* the attempt's local time, RFC 3339 */
    char officer[32];
    char nationality[4];
    char name[96]; /* "SURNAME, Given Names" as read */
    char rule[48];
    char reason_code[32]; /* the decision's first reason, "" when none */
    char reason[160];
};

/* Call fn for each open case of post (NULL or "": every post), oldest
 * first; fn returns false to stop. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_ledger_referrals(struct sarhad_store *store, const char *post,
                        bool (*fn)(void *ctx, const struct sarhad_referral *r),
                        void *ctx, struct sarhad_error *err);

/*
 * Resolve an open referral: outcome SARHAD_ADMIT or SARHAD_REFUSE with a
 * written reason (1..SARHAD_LEDGER_REASON_MAX bytes) by a supervisor (or
 * admin) named in who.  Recorded as a new event referring to the attempt;
 * an admit then opens or closes the stay as a direct admit would.  One
 * transaction with its audit entry; *seq (may be NULL) gets that entry's
 * seq.  Errors: SARHAD_ENOTFOUND (no such referral), SARHAD_EEXIST
 * (already resolved), SARHAD_EPERM (who is not a supervisor or admin),
 * SARHAD_EINVAL (bad outcome or reason), store errors.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_ledger_resolve(struct sarhad_ledger *ledger, int64_t attempt_id,
                      enum sarhad_outcome outcome, const char *reason,
                      const struct sarhad_actor *who, int64_t now, int64_t *seq,
                      struct sarhad_error *err);

/*
 * Override a decision: a refused attempt admitted after all (a medical
 * exception, a mistake at the counter) or an admitted one refused, with a
 * written reason, by a supervisor (or admin) named in who.  Recorded as a
 * new event referring to the attempt (audited as "override"), which stays
 * as it was; from then on the attempt's final outcome is the override's:
 * the daily figures move, a refusal's reasons leave the refusals summary
 * ("override_refused" joins it for an admit refused), and what admitting
 * changed is made or unmade (stay, visa entry, returns figures, PoR card).
 * Only the traveller's latest attempt can be overridden, since later ones
 * were decided on the history it made.  Errors: SARHAD_ENOTFOUND (no such
 * attempt), SARHAD_EEXIST (already overridden), SARHAD_EINVAL (a referral,
 * which is resolved instead; the outcome it already has; not the latest;
 * a bad outcome or reason), SARHAD_EPERM (who is not a supervisor or
 * admin), store errors.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_ledger_override(struct sarhad_ledger *ledger, int64_t attempt_id,
                       enum sarhad_outcome outcome, const char *reason,
                       const struct sarhad_actor *who, int64_t now,
                       int64_t *seq, struct sarhad_error *err);

/* ---- the post's attempts, as a supervisor reviews a shift
 * (src/ledger_list.c) ---- */

/* Which attempts a list keeps; NULL or "" for any. */
struct sarhad_attempt_filter {
    const char *day;       /* YYYY-MM-DD, the crossing's local day */
    const char *crossing;  /* TORKHAM, ... */
    const char *officer;   /* the account that decided */
    const char *direction; /* "entry" or "exit" */
    const char *outcome;   /* the final one: "admit", "refuse" or "refer" */
};

/* An attempt as a list shows it: what was decided, where, by whom and
 * under which rule, and nothing that names the traveller (opening the
 * attempt shows that, and is audited as a lookup). */
struct sarhad_attempt_line {
    int64_t id;
    char time[32]; /* the crossing's local time, RFC 3339 */
    char crossing[16];
    char counter[16];
    char officer[32];
    enum sarhad_direction direction;
    char nationality[4];
    enum sarhad_outcome decided; /* at the counter */
    enum sarhad_outcome outcome; /* after a resolution or override */
    bool reviewed;               /* resolved or overridden */
    char rule[48];
    char reasons[160]; /* the reason codes, comma-separated */
};

/* Attempts a list reads at most in one call, so that a call stays short
 * however large the store; *next says where the next one goes on. */
#define SARHAD_ATTEMPT_LIST_STRETCH 100000

/*
 * Call fn for the attempts recorded before id `before` (0: from the
 * newest), newest first, that filter keeps (NULL: all), at most limit of
 * them, reading at most SARHAD_ATTEMPT_LIST_STRETCH; fn returns false to
 * stop.  *next (may be NULL) gets the `before` of the next page: the
 * last id given when limit was reached, the end of the stretch read when
 * it was not, 0 when the record has no older attempt.  SARHAD_EINVAL for a
 * filter value that is not one (a day that is not YYYY-MM-DD, an unknown
 * direction or outcome), naming it.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_ledger_attempts(
    struct sarhad_store *store, const struct sarhad_attempt_filter *filter,
    int64_t before, unsigned limit,
    bool (*fn)(void *ctx, const struct sarhad_attempt_line *a), void *ctx,
    int64_t *next, struct sarhad_error *err);

/* ---- lookups ---- */

/*
 * Call fn once with the JSON of one attempt: {"id", "post", "crossing",
 * "counter", "officer", "direction", "time", "recorded_at", "traveller",
 * "presentation" {...as read}, "decision" {...as returned}, "movement"
 * (exits) and "resolution" (null or {"kind": "resolution" of a referral or
 * "override" of a decision, "decision","reason","by","at"})}.  An exit's
 * movement names a deportee's arrest_province and days_held when known.
 * json is valid only during the call.  SARHAD_ENOTFOUND when there is no
 * such attempt.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_ledger_attempt(struct sarhad_store *store, int64_t attempt_id,
                      void (*fn)(void *ctx, const char *json, size_t len),
                      void *ctx, struct sarhad_error *err);

/*
 * Call fn once with the JSON of a traveller's history: {"id",
 * "nationality", "surname", "given_names", "birth_date", "sex",
 * "documents" [{"kind","value","first_attempt"}], "links" [{"attempt",
 * "by", "why"}], "stays" [{"entry","exit","allowed_days","state",
 * "entry_attempt","exit_attempt"}], "attempts" [{"id","time","crossing",
 * "direction","decision","rule","final"}]} ("final": the outcome after a
 * resolution or an override; attempts most recent first, at most 200).
 * SARHAD_ENOTFOUND when unknown.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_ledger_traveller(struct sarhad_store *store, int64_t traveller_id,
                        void (*fn)(void *ctx, const char *json, size_t len),
                        void *ctx, struct sarhad_error *err);

/*
 * What to find travellers by: a document's number (punctuation and case
 * ignored), with its kind ("passport", "visa", "cnic", "tazkira", "por",
 * "acc"; "" for any) and, for a passport or visa, its issuing state (""
 * for any); or a name as the machine-readable zone of a passport or
 * tazkira spells it: the surname, with given names, nationality and birth
 * date (year 0) to narrow it.  Exactly one of document and surname is set.
 */
struct sarhad_traveller_query {
    char document[48];
    char kind[12];
    char issuing_state[4];
    char surname[64];
    char given_names[96];
    char nationality[4];
    struct sarhad_date birth_date;
};

/* A traveller found, with the key that found them and their last attempt
 * (last_attempt 0: none). */
struct sarhad_traveller_match {
    int64_t traveller_id;
    char by[12];     /* "passport", "visa", ..., "name" */
    char value[128]; /* the key as held: "AFG:P01234567" */
    char nationality[4];
    char surname[64];
    char given_names[96];
    char birth_date[11];
    char sex[2];
    int64_t last_attempt;
    char last_time[26];
    char last_crossing[16];
    char last_direction[6];
    char last_final[8]; /* the outcome after a resolution or override */
};

#define SARHAD_FIND_MAX 50 /* travellers a search returns at most */

/*
 * Call fn for each traveller the query names, each once, at most
 * SARHAD_FIND_MAX; *more (may be NULL) says whether there were more.  A
 * document is found through the identity keys the ledger links travellers
 * by (DESIGN.md) and the visas it recorded, in any issuing state when none
 * is given; a name through the name + birth date + nationality key, whose
 * surname must match whole (given names and birth date too when given).
 * Errors: SARHAD_EINVAL (no document and no surname, or both; an unknown
 * kind; a state or nationality that is not three letters; err->field
 * names it), store errors.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_ledger_find_travellers(
    struct sarhad_store *store, const struct sarhad_traveller_query *q,
    void (*fn)(void *ctx, const struct sarhad_traveller_match *m), void *ctx,
    bool *more, struct sarhad_error *err);

/* A recorded attempt read back to be decided again (a replay). */
struct sarhad_recorded_attempt {
    int64_t id;
    char day[11];
    char crossing[16];
    enum sarhad_outcome outcome; /* decided at the counter */
    char rule[48];
    /* The presentation as it was read, or NULL (replayable false) when a
     * document's MRZ did not read cleanly or was kept by its fields alone:
     * the record cannot be decided again as it was. */
    bool replayable;
    const struct sarhad_presentation *p;
};

/*
 * Call fn for every recorded attempt, oldest first (fn returns false to
 * stop); p is valid only during the call.  Reads a thousand at a time,
 * each in a transaction of its own, so it may run beside a live server.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_ledger_each_recorded(
    struct sarhad_store *store,
    bool (*fn)(void *ctx, const struct sarhad_recorded_attempt *a), void *ctx,
    struct sarhad_error *err);

/* ---- replaying history under a draft (src/ledger_replay.c) ---- */

struct sarhad_replay_options {
    const char *from, *to; /* days YYYY-MM-DD counted, NULL for no bound */
    const char *tmp_dir;   /* where the scratch ledger goes; NULL: $TMPDIR */
    /* Each attempt in the days counted that the draft decides otherwise (a
     * decision or its rule); may be NULL. */
    void (*changed)(void *ctx, const struct sarhad_recorded_attempt *a,
                    const struct sarhad_decision *d);
    /* Every thousand attempts read, with how many so far; false stops the
     * replay (it then fails with SARHAD_EIO).  May be NULL. */
    bool (*progress)(void *ctx, int64_t read);
    void *ctx;
};

struct sarhad_replay_result {
    long moved[3][3]; /* [recorded outcome][replayed outcome] */
    long counted;     /* attempts in the days counted, replayed */
    long changed;     /* of those, decided otherwise */
    long not_replayable;
    int64_t read; /* attempts read in all */
};

/*
 * Decide every attempt recorded in source again under the draft policy
 * (text, len bytes; draft_name names it in messages), oldest first, into a
 * scratch ledger built as it goes, so that stays, visa entries and identity
 * links follow the draft's own decisions; screening with the store's
 * current watchlist.  source is only read (a read-only handle will do, and
 * the server may run beside it).  The scratch ledger is made in a fresh
 * directory under opt->tmp_dir and removed at the end.  Attempts whose MRZ
 * did not read cleanly cannot be decided again and are counted as not
 * replayable.  now stamps the scratch ledger's records.  Errors: the
 * draft's compile errors (SARHAD_EFORMAT, err->line/col), SARHAD_EIO for
 * the scratch directory or a stop asked by progress, store errors.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_replay(struct sarhad_store *source, const char *draft_name,
              const char *text, size_t len,
              const struct sarhad_replay_options *opt, int64_t now,
              struct sarhad_replay_result *out, struct sarhad_error *err);

/*
 * Replays the server ran, kept in the store so that an analyst's what-if
 * outlives the server and one analyst's does not replace another's
 * (src/replay_keep.c).  A replay is kept under id, the seq of its audit
 * entry (sarhad_audit_replay), as doc: the JSON object the server shows
 * for it (who, the draft, the days, the result or the error, the first
 * changes), at most SARHAD_REPLAY_DOC_MAX bytes.  Kept once and never
 * changed: keeping an id again is SARHAD_EEXIST, an id with no replay
 * entry in the audit log SARHAD_ENOTFOUND.
 */
#define SARHAD_REPLAY_DOC_MAX 1048576 /* 1 MiB */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_replay_keep(struct sarhad_store *store, int64_t id, const char *doc,
                   struct sarhad_error *err);
/* The kept replay id's document in *doc (malloc'ed; the caller frees it);
 * SARHAD_ENOTFOUND when none is kept under id. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_replay_find(struct sarhad_store *store, int64_t id, char **doc,
                   struct sarhad_error *err);
/* The kept replays, newest first, those below id before (0: from the
 * newest), at most limit: fn gets each id and its document without the
 * changes; false from fn stops. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_replay_list(struct sarhad_store *store, int64_t before, unsigned limit,
                   bool (*fn)(void *ctx, int64_t id, const char *doc),
                   void *ctx, struct sarhad_error *err);

/* ---- stays ---- */

/*
 * Days spent in the country within the window of window_days days that
 * ends on (and includes) day: [day - window_days + 1, day].  The entry day
 * and the exit day both count, a same-day entry and exit is one day, and
 * an open stay counts up to day (DOMAIN.md section 4; the EU 90/180 rule
 * is window_days 180 checked against 90).  Stays with no entry date are
 * ignored.
 */
int sarhad_stays_days_in_window(const struct sarhad_stay *stays, unsigned count,
                                struct sarhad_date day, int window_days);

/* Days an open stay that began on entry has run past allowed_days on day
 * (entry day counts as day 1); 0 when within it or when allowed_days is 0. */
int sarhad_stay_overstay_days(struct sarhad_date entry, int allowed_days,
                              struct sarhad_date day);

/* ---- reports ---- */

enum sarhad_report_kind {
    SARHAD_REPORT_DAILY = 0, /* day x post x crossing x direction x
                                nationality x decision */
    SARHAD_REPORT_RETURNS,   /* week x crossing x documentation x movement,
                                with individuals, vehicles, vulnerable */
    SARHAD_REPORT_OVERSTAYS, /* open stays past their allowed days, by
                                crossing x nationality x band */
    SARHAD_REPORT_REFUSALS,  /* refusals by reason code x crossing x
                                nationality */
    SARHAD_REPORT_FLOWS,     /* each day's returns by crossing x movement x
                                sex x age band, with vehicles, vulnerable */
    SARHAD_REPORT_TALLIES,   /* each day's returns by crossing: families,
                                men, women, children, vehicles */
    SARHAD_REPORT_PURPOSES,  /* each day's admitted crossings by crossing x
                                direction x purpose x intended stay */
    SARHAD_REPORT_VULNERABILITIES, /* each day's returns by crossing x
                                      movement x vulnerability flagged */
    SARHAD_REPORT_DETENTIONS       /* week x crossing x province of arrest x
                                      documentation x movement: returnees
                                      arrested, mean days held */
};

/* Which part of the ledger a report covers; zero means "no limit".  For
 * overstays, to is the reference day (today when zero). */
struct sarhad_report_filter {
    struct sarhad_date from;
    struct sarhad_date to;
    char post[16];
};

#define SARHAD_REPORT_MAX_COLUMNS 12

/* One row of a report: values[i] is the text of column names[i] (NULL for
 * null); is_number[i] says it is an integer.  The last column is "count".
 * Pointers are valid only during the callback. */
struct sarhad_report_row {
    unsigned column_count;
    const char *names[SARHAD_REPORT_MAX_COLUMNS];
    const char *values[SARHAD_REPORT_MAX_COLUMNS];
    bool is_number[SARHAD_REPORT_MAX_COLUMNS];
};

/* "daily", "returns", "overstays", "refusals", "flows", "tallies",
 * "purposes", "vulnerabilities"; false for another name. */
bool sarhad_report_kind_parse(enum sarhad_report_kind *out, const char *name);

/* The name of a report kind; NULL for one that is not. */
const char *sarhad_report_kind_name(enum sarhad_report_kind kind);

/* Every report's name, comma-separated, for a message: written to out
 * (truncated to size, always terminated when size > 0); returns the length
 * the whole list needs, as snprintf does. */
size_t sarhad_report_kind_list(char *out, size_t size);

/* The column names of a report (also when it has no rows); *count gets
 * how many. */
const char *const *sarhad_report_columns(enum sarhad_report_kind kind,
                                         unsigned *count);

/*
 * Make a report and deliver it row by row to fn (which returns false to
 * stop), in a stable order.  Reads only (a read-only store is fine).
 * SARHAD_EINVAL for an unknown kind or from > to; store errors.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_ledger_report(struct sarhad_store *store, enum sarhad_report_kind kind,
                     const struct sarhad_report_filter *filter,
                     bool (*fn)(void *ctx, const struct sarhad_report_row *row),
                     void *ctx, struct sarhad_error *err);

/* ---- verification ---- */

/* One problem found by sarhad_ledger_verify. */
struct sarhad_verify_problem {
    char check[32];    /* "integrity", "audit_chain", "summary", "stays", ... */
    int64_t subject;   /* the attempt, stay or entry concerned, 0 when none */
    char message[160]; /* what is wrong */
};

/*
 * Check the store: SQLite's integrity_check, the audit chain
 * (sarhad_audit_verify), and the ledger's invariants: every attempt has its
 * audit entry; summary tables equal the counts recomputed from the events;
 * a traveller has at most one open stay and every stay's days run forwards;
 * visa entries used equal the admitted entries recorded on the visa; every
 * referral is either open or resolved exactly once.  Up to cap problems
 * are copied to problems and *problem_count gets how many were found (0:
 * the store is sound).  Returns SARHAD_OK whenever the checks ran (finding
 * problems is a result); errors only when the store cannot be read.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_ledger_verify(struct sarhad_store *store,
                     struct sarhad_verify_problem *problems, unsigned cap,
                     unsigned *problem_count, struct sarhad_error *err);

/* ---- synthetic traffic ---- */

/*
 * Record days x per_day synthetic but realistic crossings starting on
 * first_day through sarhad_ledger_cross (names from Afghan and Pakistani
 * name lists, valid MRZs, visas of the real categories, returns in the
 * 2023 proportions, travellers who come back), in batches of up to 1000
 * per transaction.  The same seed gives the same traffic.  progress (may
 * be NULL) is called after each batch with the count done and the total.
 * who is recorded as the officer.  Errors as sarhad_ledger_cross.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_ledger_generate(
    struct sarhad_ledger *ledger, struct sarhad_date first_day, unsigned days,
    unsigned per_day, uint64_t seed, const struct sarhad_actor *who,
    void (*progress)(void *ctx, uint64_t done, uint64_t total), void *ctx,
    struct sarhad_error *err);

/* ===== names and watchlist screening (src/names.c, src/screen*.c) ===== */

/*
 * Names.  A name of the region arrives in Latin letters, in Arabic script
 * (Pashto, Dari, Urdu, Arabic) or from an MRZ ('<' fillers, ICAO X-escapes
 * such as XKH, XSH).  Normalising it gives lowercase ASCII tokens with
 * titles (Mullah, Haji, ...) and connectors (bin, ibn, s/o) left out and
 * particles joined (Abd al-Rahman -> abdrahman, Hikmat Ullah -> hikmatulah),
 * each with a folded spelling (variants of vowels, doubled letters, q/k,
 * w/v, th/s, ... meet) and a consonant skeleton key that also meets the
 * vowel-less transliteration of Arabic script.
 */
#define SARHAD_NAME_MAX_LEN    256 /* bytes of UTF-8 accepted */
#define SARHAD_NAME_MAX_TOKENS 12  /* further tokens are ignored */

enum sarhad_script {
    SARHAD_SCRIPT_NONE = 0, /* no letters */
    SARHAD_SCRIPT_LATIN,
    SARHAD_SCRIPT_ARABIC, /* Arabic script: Arabic, Pashto, Dari, Urdu */
    SARHAD_SCRIPT_MIXED,
    SARHAD_SCRIPT_OTHER
};

struct sarhad_name_token {
    char text[32];   /* lowercase ASCII after transliteration and joining */
    char folded[32]; /* spelling variants folded together */
    char key[24];    /* consonant skeleton of folded (may be "") */
};

struct sarhad_name {
    enum sarhad_script script;
    bool from_mrz;                   /* read as an MRZ name field */
    bool vowelless;                  /* transliterated from Arabic script */
    char latin[SARHAD_NAME_MAX_LEN]; /* whole name, lowercase ASCII */
    unsigned token_count;
    struct sarhad_name_token tokens[SARHAD_NAME_MAX_TOKENS];
    char removed[96]; /* titles and connectors left out, space-separated */
};

/*
 * Normalise len bytes of UTF-8.  Text made only of A-Z, digits, spaces and
 * at least one '<' is read as an MRZ name field.  Allocates nothing that
 * outlives the call; safe from several threads.  SARHAD_ETOOBIG over
 * SARHAD_NAME_MAX_LEN bytes, SARHAD_EFORMAT for invalid UTF-8 or control
 * characters (err->offset is the byte), SARHAD_EINVAL for NULL arguments.
 * A name without letters gives token_count 0 and SARHAD_OK.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_name_normalize(struct sarhad_name *out, const char *text, size_t len,
                      struct sarhad_error *err);

/* "none", "latin", "arabic", "mixed", "other". */
const char *sarhad_script_name(enum sarhad_script script);

/*
 * Decode an MRZ name field (len bytes of A-Z and '<'): fillers become
 * spaces, "SURNAME<<GIVEN" becomes "GIVEN SURNAME", and the ICAO 9303-3
 * Arabic X-escapes are undone (XKH -> KH, XSH -> SH, XTH -> TH, ...).
 * Writes a NUL-terminated string of at most cap bytes; SARHAD_ETOOBIG when
 * it does not fit, SARHAD_EFORMAT for other characters.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_name_from_mrz(char *out, size_t cap, const char *text, size_t len,
                     struct sarhad_error *err);

/*
 * Watchlists.  An import is a new list version; the newest is current.
 * CSV columns: id,name,aliases,birth_date,nationality,father_name (header
 * required; aliases separated by ';'; birth dates YYYY-MM-DD, YYYY or
 * YYYY..YYYY, several separated by ';', a leading '~' or "circa " marks an
 * approximate one; nationalities ICAO codes or country names separated by
 * ';').  The UN consolidated list XML is also read (individuals only).
 */
#define SARHAD_WL_MAX_INPUT   67108864u /* bytes per import: 64 MiB */
#define SARHAD_WL_MAX_ENTRIES 2000000
#define SARHAD_WL_MAX_NAMES   32 /* primary name + aliases + original */
#define SARHAD_WL_NAME_LEN    256
#define SARHAD_WL_MAX_BIRTHS  12
#define SARHAD_WL_MAX_NATS    6

enum sarhad_wl_format { SARHAD_WL_AUTO = 0, SARHAD_WL_CSV, SARHAD_WL_UN_XML };

/* A birth date as listed: from == to for an exact day; a year is its Jan
 * 1 - Dec 31; a range its years; approximate for "circa". */
struct sarhad_birth {
    struct sarhad_date from;
    struct sarhad_date to;
    bool approximate;
};

struct sarhad_watchlist_entry {
    char id[32];
    char sex;            /* 'M', 'F' or 0 when not listed */
    unsigned name_count; /* names[0] is the primary name; no repeats */
    char names[SARHAD_WL_MAX_NAMES][SARHAD_WL_NAME_LEN];
    unsigned alias_count; /* aliases the source listed (repeats counted) */
    unsigned birth_count;
    struct sarhad_birth births[SARHAD_WL_MAX_BIRTHS];
    unsigned nationality_count;
    char nationalities[SARHAD_WL_MAX_NATS][4]; /* ICAO codes */
    char father_name[SARHAD_WL_NAME_LEN];
};

struct sarhad_watchlist_version {
    char label[24];    /* "v1", "v2", ...: what a screening records */
    char source[96];   /* the name the importer was given */
    char format[8];    /* "csv" or "un-xml" */
    char imported[24]; /* UTC, RFC 3339 */
    unsigned entry_count;
    unsigned name_count;
    bool is_current;
};

/*
 * Parse len bytes of a list (format AUTO tells the UN XML from CSV by its
 * first element) and store it as a new version named by source (a file
 * name, for the record), with an audit entry "watchlist_imported" by who
 * at now in the same transaction.  All or nothing: a malformed row fails the
 * whole import with err->line and err->col at the fault (CSV) or err->line and
 * the field (XML).  *out (may be NULL) describes the new version.
 * SARHAD_EFORMAT, SARHAD_ETOOBIG (over SARHAD_WL_MAX_INPUT, too many
 * entries or names), SARHAD_EPERM (read-only store), SARHAD_EDB, SARHAD_EIO.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_watchlist_import(struct sarhad_store *store, const char *data,
                        size_t len, enum sarhad_wl_format format,
                        const char *source, const struct sarhad_actor *who,
                        int64_t now, struct sarhad_watchlist_version *out,
                        struct sarhad_error *err);

/*
 * Parse without storing: call fn for each entry in order (fn returns
 * nonzero to stop, which makes the call return SARHAD_OK early).  Errors
 * as for sarhad_watchlist_import.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_watchlist_parse(
    const char *data, size_t len, enum sarhad_wl_format format,
    int (*fn)(void *ctx, const struct sarhad_watchlist_entry *entry), void *ctx,
    struct sarhad_error *err);

/* The versions, newest first: up to cap into out, *count set to how many
 * exist.  SARHAD_EDB on store failure. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_watchlist_versions(struct sarhad_store *store,
                          struct sarhad_watchlist_version *out, size_t cap,
                          size_t *count, struct sarhad_error *err);

/*
 * Call fn for each entry of a version (label, or NULL for the current one),
 * in import order.  SARHAD_ENOTFOUND when there is no such version.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_watchlist_entries(
    struct sarhad_store *store, const char *label,
    int (*fn)(void *ctx, const struct sarhad_watchlist_entry *entry), void *ctx,
    struct sarhad_error *err);

/*
 * Screening.  A screener is an in-memory index of one list version; it is
 * read-only once built, so any number of threads may query it at once.
 */
#define SARHAD_SCREEN_DEFAULT_THRESHOLD 70 /* until the policy sets one */
#define SARHAD_EXPLAIN_MAX              8

struct sarhad_screener;

/* What is known of the person screened; all but name may be empty. */
struct sarhad_screen_query {
    const char *name;
    struct sarhad_date birth_date; /* year 0: not given */
    int birth_year;                /* when only the year is known, or 0 */
    const char *nationality;       /* ICAO code or country name, or NULL */
    const char *father_name;       /* or NULL */
    char sex;                      /* 'M', 'F' or 0 */
};

/*
 * Build a screener of the store's current list version (an empty one when
 * nothing was imported; its list_version is then "").  The caller owns *out
 * and frees it with sarhad_screener_close.  SARHAD_ENOMEM, SARHAD_EDB.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_screener_open(struct sarhad_screener **out, struct sarhad_store *store,
                     struct sarhad_error *err);

/*
 * Build a screener without a store: new, add each entry, then finish
 * (which builds the index; only then may it be queried).  version is the
 * label screenings will carry.  SARHAD_ENOMEM, SARHAD_EINVAL (add after
 * finish, too many entries), SARHAD_EFORMAT (a name not valid UTF-8).
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_screener_new(struct sarhad_screener **out, const char *version,
                    struct sarhad_error *err);
SARHAD_MUST_CHECK enum sarhad_status
sarhad_screener_add(struct sarhad_screener *s,
                    const struct sarhad_watchlist_entry *entry,
                    struct sarhad_error *err);
SARHAD_MUST_CHECK enum sarhad_status
sarhad_screener_finish(struct sarhad_screener *s, struct sarhad_error *err);

/* Free a screener; NULL is fine. */
void sarhad_screener_close(struct sarhad_screener *s);

/* The list version the screener was built from ("" when none). */
const char *sarhad_screener_version(const struct sarhad_screener *s);

struct sarhad_screener_stats {
    size_t entries;
    size_t names;
    size_t tokens;
    size_t keys;      /* distinct skeleton keys */
    size_t pair_keys; /* distinct token-pair keys of the index */
    size_t bytes;     /* memory held */
};
void sarhad_screener_stats(const struct sarhad_screener *s,
                           struct sarhad_screener_stats *out);

/*
 * Screen one person: out gets the list version, screened = true, and the
 * entries scoring at or above threshold (0-100), best first, at most
 * SARHAD_MAX_HITS, each with a why that says which names matched and which
 * evidence counted.  Thread-safe.  SARHAD_EINVAL (no name, threshold out of
 * range), errors of sarhad_name_normalize.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_screener_query(const struct sarhad_screener *s,
                      const struct sarhad_screen_query *query, int threshold,
                      struct sarhad_screening *out, struct sarhad_error *err);

/* One listed token matched to one query token, and why. */
struct sarhad_token_match {
    char query[32];
    char listed[32];
    int similarity; /* 0-100 */
    char why[40];   /* "same spelling", "same consonants", "1 edit", ... */
};

/* One piece of evidence and what it did to the score. */
struct sarhad_evidence {
    char what[16]; /* "birth_date", "nationality", "father_name", "sex",
                      "none" */
    int points;    /* added to the name score (negative lowers it) */
    char detail[112];
};

struct sarhad_candidate {
    struct sarhad_hit hit; /* entry id, primary name, final score, why */
    char matched_name[SARHAD_WL_NAME_LEN]; /* the listed name that matched */
    int name_score;                        /* 0-100, before evidence */
    bool above_threshold;
    unsigned match_count;
    struct sarhad_token_match matches[SARHAD_NAME_MAX_TOKENS];
    char unmatched[96]; /* tokens on either side left unmatched */
    unsigned evidence_count;
    struct sarhad_evidence evidence[5];
};

struct sarhad_explanation {
    struct sarhad_name query; /* the query as normalised */
    char list_version[24];
    int threshold;
    size_t scored;            /* candidates the index handed to the scorer */
    unsigned candidate_count; /* best first, above threshold or not */
    struct sarhad_candidate candidates[SARHAD_EXPLAIN_MAX];
};

/*
 * Screen one person and explain: the best SARHAD_EXPLAIN_MAX candidates
 * (including those under threshold) with every token alignment and every
 * piece of evidence.  *out is large (about 40 KiB): allocate it.
 * Thread-safe.  Errors as for sarhad_screener_query.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_screener_explain(
    const struct sarhad_screener *s, const struct sarhad_screen_query *query,
    int threshold, struct sarhad_explanation *out, struct sarhad_error *err);

/*
 * Parse a birth date as a query or list gives it: "YYYY-MM-DD", "YYYY",
 * "YYYY..YYYY", optionally led by "~" or "circa " (approximate).
 * SARHAD_EFORMAT with err->offset at the fault.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_birth_parse(struct sarhad_birth *out, const char *text, size_t len,
                   struct sarhad_error *err);

/* Write b as sarhad_birth_parse reads it ("~1966", "1965..1968",
 * "1975-03-14") into out (cap bytes, NUL-terminated); returns the length. */
size_t sarhad_birth_format(char *out, size_t cap, const struct sarhad_birth *b);

/* Write to out the ICAO code of a nationality given as a code or a
 * country name ("Afghanistan" -> "AFG"); false when it is unknown. */
bool sarhad_nationality_code(char out[4], const char *text, size_t len);

/* ===== accounts, sessions and audit (src/auth.c, src/audit.c) ===== */

/*
 * Who did something, from where.  Every state change in a store is an
 * event in one append-only, hash-chained log (the audit log): decisions,
 * resolutions, overrides, policy publications, user changes, logins.  The
 * ledger's tables are views kept in step with it, in the same transaction.
 */
struct sarhad_actor {
    char user[32];    /* "" for the system itself (e.g. sarhad init) */
    char role[16];    /* officer, supervisor, analyst, admin, auditor */
    char post[16];    /* the post the actor belongs to, "" for national */
    char address[48]; /* client address, "" on the command line */
};

/* One entry of the audit log as read back; detail points into storage that
 * is valid only during the callback that receives it. */
struct sarhad_audit_entry {
    int64_t seq;   /* 1, 2, 3, ... with no gaps */
    char post[16]; /* the post whose log this is */
    char at[26];   /* UTC time of recording, RFC 3339 */
    struct sarhad_actor actor;
    char kind[24];      /* "decision", "resolution", "login_failed", ... */
    char subject[64];   /* what it is about: an attempt id, a user name, ... */
    const char *detail; /* JSON object text */
    unsigned char hash[32];
};

/*
 * Call fn for each entry with seq >= from_seq, in order, at most limit
 * entries (0: no limit).  fn returns false to stop early.  Reads only.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_read(struct sarhad_store *store, int64_t from_seq, size_t limit,
                  bool (*fn)(void *ctx, const struct sarhad_audit_entry *e),
                  void *ctx, struct sarhad_error *err);

/* What a lookup showed (sarhad_audit_lookup). */
enum sarhad_lookup {
    SARHAD_LOOKUP_TRAVELLER, /* one traveller's history */
    SARHAD_LOOKUP_ATTEMPT,   /* one attempt, with its presentation */
    SARHAD_LOOKUP_SEARCH     /* the travellers a search found */
};

/*
 * Record that who was shown a person's record: a traveller's history or an
 * attempt (ids[0], n 1), or the travellers a search found (n of them, up
 * to SARHAD_FIND_MAX, found by "document" or "name").  One audit entry of
 * kind "lookup", subject "traveller:ID", "attempt:ID" or "search" with
 * detail {"by": ..., "travellers": [ids]}: the records shown by id, never
 * what was searched for.  In its own transaction, or in the open
 * batch.  *seq (may be NULL) gets the entry's seq.  Errors: SARHAD_EINVAL
 * (a bad kind, count or by), store errors.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_lookup(struct sarhad_store *store, const struct sarhad_actor *who,
                    int64_t now, enum sarhad_lookup what, const int64_t *ids,
                    unsigned n, const char *by, int64_t *seq,
                    struct sarhad_error *err);

/*
 * Record that who replayed the ledger's attempts (opt's days; NULL for all)
 * under a draft policy (its declared name and version, its file name and
 * text): one audit entry of kind "replay", subject "policy:NAME", detail
 * {"filename", "version", "sha256" (of the text), "from", "to"}, so the log
 * says who decided the whole record again under which text.  In its own
 * transaction, or in the open batch.  Errors: SARHAD_EINVAL, store errors.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_replay(struct sarhad_store *store, const struct sarhad_actor *who,
                    int64_t now, const char *policy, int version,
                    const char *filename, const char *text, size_t len,
                    const struct sarhad_replay_options *opt, int64_t *seq,
                    struct sarhad_error *err);

/* Which entries a search keeps (sarhad_audit_search); NULL or "" for any,
 * traveller 0 for any. */
struct sarhad_audit_filter {
    const char *kind;    /* "decision", "lookup", "override", ... */
    const char *user;    /* the actor's account */
    const char *subject; /* "attempt:12", "traveller:40", "search", ... */
    /* Entries about this traveller: their history shown, a search that
     * showed them, and each of their attempts (its decision, resolution,
     * override, and who looked at it). */
    int64_t traveller;
};

/*
 * Call fn, in order, for the entries the filter keeps among the scan
 * entries from from_seq on, stopping after limit kept (or when fn returns
 * false).  The log is read by entry number only (an index would cost every
 * decision), so a search goes a stretch at a time: *next (may be NULL)
 * gets the entry to go on from, 0 when the log's end was reached.  Errors:
 * SARHAD_EINVAL (limit or scan 0, from_seq < 1), store errors.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_search(struct sarhad_store *store, int64_t from_seq, size_t limit,
                    int64_t scan, const struct sarhad_audit_filter *filter,
                    bool (*fn)(void *ctx, const struct sarhad_audit_entry *e),
                    void *ctx, int64_t *next, struct sarhad_error *err);

/* The outcome of checking the chain. */
struct sarhad_audit_report {
    bool ok;
    int64_t checked;   /* entries that were checked and found sound */
    int64_t first_bad; /* seq of the first bad entry (0 when ok) */
    char problem[160]; /* what is wrong with it: edited, missing, ... */
    /* When ok: the hash of entry `checked`, the chain's head (all zero for
     * an empty log).  Kept outside the store as an anchor (below). */
    unsigned char head_hash[32];
};

/*
 * Check the whole chain: each entry's hash over its content and its
 * predecessor's hash, and seq numbers without gaps.  An edited, deleted,
 * inserted or reordered entry breaks it; the report names the first bad
 * entry.  Returns SARHAD_OK with report->ok false for a broken chain (that
 * is a finding, not a failure); errors are for an unreadable store.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_verify(struct sarhad_store *store,
                    struct sarhad_audit_report *report,
                    struct sarhad_error *err);

/* ---- audit checkpoints (src/audit_sign.c) ---- */

/*
 * The post signs checkpoints of its audit chain with an ed25519 key kept in
 * a file beside the store (PATH.key, mode 0600, made at first use); the
 * public key is recorded in the store.  A checkpoint commits to the hash of
 * the entry at its seq, so deleting the last entries of the log (which the
 * chain alone cannot notice) leaves a signed checkpoint pointing past the
 * end, and verify names the first missing entry.
 */
struct sarhad_audit_key;

/*
 * Load the signing key of the store at store_path from store_path + ".key",
 * creating it (0600) when missing and create is true.  SARHAD_EIO when the
 * file cannot be read or written or is readable by others, SARHAD_EFORMAT
 * when it is not a key.  The caller frees *out with sarhad_audit_key_free,
 * which wipes it.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_key_load(struct sarhad_audit_key **out, const char *store_path,
                      bool create, struct sarhad_error *err);
void sarhad_audit_key_free(struct sarhad_audit_key *key);

/*
 * Sign a checkpoint of the chain's current head (inside the caller's batch
 * when one is open, so it commits with the entries it covers).  Does
 * nothing when the head is already checkpointed.  The first checkpoint
 * records the key's public half in the store; a key whose public half
 * differs from the recorded one is SARHAD_ESIGN.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_checkpoint(struct sarhad_store *store,
                        const struct sarhad_audit_key *key, int64_t now,
                        struct sarhad_error *err);

/*
 * sarhad_audit_verify, then every checkpoint: its signature under the
 * store's recorded public key, and that the entry it names exists and has
 * the hash it signed.  A truncated tail, a forged or edited checkpoint or a
 * missing public key with checkpoints present make report->ok false with
 * first_bad naming the first entry at fault.  *checkpoints (may be NULL)
 * receives the number of checkpoints found sound.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_verify_signed(struct sarhad_store *store,
                           struct sarhad_audit_report *report,
                           int64_t *checkpoints, struct sarhad_error *err);

/* ---- anchors (src/audit_anchor.c) ---- */

/*
 * The chain shows any change made without rewriting what follows, and the
 * signed checkpoints any cut tail; but whoever can write the store and read
 * its key file could rebuild a whole chain, sound and signed.  An anchor is
 * the head of the chain at some moment, "SEQ:HASH" (the hash in 64 hex
 * digits), written down or sent away from the post: since each entry's
 * hash commits to every entry before it, a log that still has entry SEQ
 * with that hash has every entry up to SEQ as it was then.
 */
#define SARHAD_AUDIT_ANCHOR_MAX 86 /* "SEQ:HASH" with its NUL */

/* Write the anchor for entry seq with hash into out. */
void sarhad_audit_anchor_format(char out[SARHAD_AUDIT_ANCHOR_MAX], int64_t seq,
                                const unsigned char hash[32]);

/* Read "SEQ:HASH" (seq 1 or more, 64 hex digits).  SARHAD_EFORMAT with
 * err->offset at the fault. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_audit_anchor_parse(const char *text, int64_t *seq,
                          unsigned char hash[32], struct sarhad_error *err);

/*
 * Check an anchor against the log, after sarhad_audit_verify[_signed] found
 * it sound: when entry seq is missing or has another hash, report->ok
 * becomes false with first_bad = seq and the problem said.  A report
 * already not ok is left as it is.  Errors are for an unreadable store.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_audit_check_anchor(
    struct sarhad_store *store, int64_t seq, const unsigned char hash[32],
    struct sarhad_audit_report *report, struct sarhad_error *err);

/* ---- accounts and sessions (src/auth.c) ---- */

/*
 * Roles (DESIGN.md).  Officers and supervisors belong to a post and act
 * only there; the others may be national (post "").
 */
#define SARHAD_ROLE_MAP(X)                                                     \
    X(OFFICER, "officer")                                                      \
    X(SUPERVISOR, "supervisor")                                                \
    X(ANALYST, "analyst")                                                      \
    X(ADMIN, "admin")                                                          \
    X(AUDITOR, "auditor")

/* True when role is one of the five role names. */
bool sarhad_role_is_valid(const char *role);
/* True for the roles that must belong to a post (officer, supervisor). */
bool sarhad_role_needs_post(const char *role);

#define SARHAD_PASSWORD_MIN_LEN 10
#define SARHAD_PASSWORD_MAX_LEN 128
#define SARHAD_PWHASH_LEN       128 /* argon2id string, NUL included */
#define SARHAD_TOKEN_LEN        64  /* hex characters of a session token */

/* An account.  Passwords are kept only as argon2id hashes. */
struct sarhad_user {
    char name[32]; /* [a-z0-9._-], 1-31 characters, starting with a letter */
    char role[16];
    char post[16]; /* [A-Z_], "" for national accounts */
    bool is_disabled;
    char created[26]; /* UTC, RFC 3339 */
};

/*
 * Hash a password (len bytes, SARHAD_PASSWORD_MIN_LEN to _MAX_LEN, no NUL)
 * with argon2id at libsodium's interactive cost into out.  Takes about a
 * tenth of a second and 64 MiB.  SARHAD_EINVAL (field "password") for a bad
 * length, SARHAD_ENOMEM when the hash cannot get its memory.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_password_hash(char out[SARHAD_PWHASH_LEN], const char *password,
                     size_t len, struct sarhad_error *err);

/*
 * Add an account (name, role, post from *user; is_disabled and created are
 * ignored) with a password hash from sarhad_password_hash, recording a
 * "user_added" audit entry by actor in the same transaction.
 * SARHAD_EINVAL names the bad field ("username", "role", "post");
 * SARHAD_EEXIST when the name is taken.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_user_add(struct sarhad_store *store, const struct sarhad_actor *actor,
                const struct sarhad_user *user, const char *pwhash, int64_t now,
                struct sarhad_error *err);

/* Disable an account and end its sessions ("user_disabled" audit entry).
 * Accounts are never deleted.  SARHAD_ENOTFOUND for an unknown name. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_user_disable(struct sarhad_store *store,
                    const struct sarhad_actor *actor, const char *name,
                    int64_t now, struct sarhad_error *err);

/* Enable a disabled account again, with the password it had ("user_enabled"
 * audit entry); its old sessions stay ended.  SARHAD_ENOTFOUND for an
 * unknown name. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_user_enable(struct sarhad_store *store, const struct sarhad_actor *actor,
                   const char *name, int64_t now, struct sarhad_error *err);

/* Replace an account's password hash and end its sessions
 * ("password_changed" audit entry).  SARHAD_ENOTFOUND for an unknown name. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_user_set_password(struct sarhad_store *store,
                         const struct sarhad_actor *actor, const char *name,
                         const char *pwhash, int64_t now,
                         struct sarhad_error *err);

/* Read one account.  SARHAD_ENOTFOUND for an unknown name. */
SARHAD_MUST_CHECK enum sarhad_status sarhad_user_get(struct sarhad_store *store,
                                                     const char *name,
                                                     struct sarhad_user *out,
                                                     struct sarhad_error *err);

/* Call fn for every account in name order; fn returns false to stop. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_user_list(struct sarhad_store *store,
                 bool (*fn)(void *ctx, const struct sarhad_user *user),
                 void *ctx, struct sarhad_error *err);

/*
 * Login throttling and session lifetime.  After account_failures failed
 * logins for one account, or address_failures from one address, within
 * window seconds, logins for it are refused without looking at the
 * password for lockout seconds.
 */
struct sarhad_login_limits {
    unsigned account_failures; /* 5 */
    unsigned address_failures; /* 20 */
    int64_t window;            /* 900 */
    int64_t lockout;           /* 900 */
    int64_t session_lifetime;  /* 43200 (12 hours) */
};
void sarhad_login_limits_default(struct sarhad_login_limits *out);

/*
 * A login in three steps, so that a server can check the password (slow,
 * by design) away from the thread that writes the store:
 *   sarhad_login_begin   reads the account and the throttle state;
 *   sarhad_login_check   checks the password (no store access);
 *   sarhad_login_finish  records the outcome: a session and a "login" audit
 *                        entry, or the failure counted and "login_failed".
 * sarhad_login does all three on one store.
 */
struct sarhad_login {
    char username[32];
    char address[48];
    bool user_found; /* an enabled account of that name exists */
    struct sarhad_user user;
    char pwhash[SARHAD_PWHASH_LEN];
    int64_t throttled_until; /* > now: refused without a password check */
    bool password_ok;
};

/* A session: the token is shown once, at login; the store keeps a hash. */
struct sarhad_session {
    char token[SARHAD_TOKEN_LEN + 1]; /* bearer token, hex */
    char csrf[SARHAD_TOKEN_LEN + 1];  /* for cookie-authenticated writes */
    int64_t expires;                  /* Unix seconds */
    struct sarhad_actor actor;
};

/*
 * Start a login: username (at most 31 bytes, else treated as unknown) and
 * the client's address.  Reads only.  Never fails for a wrong name: *login
 * then has user_found false and the check will fail in the same time.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_login_begin(struct sarhad_store *store, struct sarhad_login *login,
                   const char *username, const char *address, int64_t now,
                   const struct sarhad_login_limits *limits,
                   struct sarhad_error *err);

/* Check the password against the account (argon2id; constant work for an
 * unknown account).  Sets and returns login->password_ok.  A throttled
 * login is never checked and stays false. */
bool sarhad_login_check(struct sarhad_login *login, const char *password,
                        size_t len, int64_t now);

/*
 * Record the outcome.  On success fills *session (a new random token,
 * expiring limits->session_lifetime from now) and returns SARHAD_OK.  On
 * failure returns SARHAD_EAUTH with err->field "throttled" when the login
 * was refused for too many failures (err->message says for how long), else
 * "password" with the same message for a wrong name or password.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_login_finish(struct sarhad_store *store,
                    const struct sarhad_login *login, int64_t now,
                    const struct sarhad_login_limits *limits,
                    struct sarhad_session *session, struct sarhad_error *err);

/* All three steps on one store. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_login(struct sarhad_store *store, const char *username,
             const char *password, size_t len, const char *address, int64_t now,
             const struct sarhad_login_limits *limits,
             struct sarhad_session *session, struct sarhad_error *err);

/*
 * The session of a token (len bytes): fills *out (token and csrf left
 * empty) when the token is known, not expired, not ended, and its account
 * is enabled; SARHAD_EAUTH otherwise.  Reads only.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_session_lookup(struct sarhad_store *store, const char *token, size_t len,
                      int64_t now, struct sarhad_session *out,
                      struct sarhad_error *err);

/* End a session (logout), with a "logout" audit entry by actor.
 * SARHAD_EAUTH when the token names no live session. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_session_end(struct sarhad_store *store, const struct sarhad_actor *actor,
                   const char *token, size_t len, int64_t now,
                   struct sarhad_error *err);

/* The CSRF token that goes with a session token (derived, not stored). */
void sarhad_session_csrf(char out[SARHAD_TOKEN_LEN + 1], const char *token,
                         size_t len);

/* The post code the store records for (store_meta "post"), "" when it has
 * none yet.  Officers and supervisors of another post may not act here. */
const char *sarhad_store_post(const struct sarhad_store *store);

/* The post's UTC offset in minutes, for local times shown to its officers:
 * +300 (UTC+05:00) at a Pakistani post, +270 (UTC+04:30) at an Afghan one
 * (store_meta "citizens" AFG).  Neither country keeps summer time. */
int sarhad_store_utc_offset(struct sarhad_store *store);

/* The 32-byte hash under which a token is stored (and may be cached). */
void sarhad_token_hash(unsigned char out[32], const char *token, size_t len);

/*
 * A session cache: token hash -> account, role, post and expiry, so that a
 * request with a known token costs one read of the store's auth epoch
 * instead of a session lookup.  The epoch is a counter in the store that
 * every change to an account or a session moves in the same transaction
 * (by triggers, so a change from another process or by hand counts too);
 * when it has moved since the cache last read it, the cache is emptied.
 * Logout, disabling an account, a new password, a role or post change
 * thus take effect on the next lookup, and expiry is checked on every hit.
 * A cache is not shared between threads: keep one per store handle.
 */
struct sarhad_session_cache;

/* A cache of up to capacity sessions (1..65536); NULL when out of memory. */
struct sarhad_session_cache *sarhad_session_cache_new(size_t capacity);
void sarhad_session_cache_free(struct sarhad_session_cache *cache);

/* sarhad_session_lookup through the cache (same answers, same errors).
 * *hit (may be NULL) says whether the store's sessions were not read. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_session_cached(struct sarhad_session_cache *cache,
                      struct sarhad_store *store, const char *token, size_t len,
                      int64_t now, struct sarhad_session *out, bool *hit,
                      struct sarhad_error *err);

/* ---------------------------------------------------------------------------
 * Signed bundles (src/bundle.c, src/bundle_store.c)
 *
 * In a national deployment policies and watchlists come from the ministry
 * as bundles signed with its ed25519 key.  A bundle is a short text header
 * (the format line, then "field: value" lines in a fixed order, the last
 * being the signature, then a blank line) followed by the payload, the
 * file as given.  The signature covers the header up to its signature
 * line, and the header holds the payload's length and SHA-256, so one
 * changed byte anywhere fails the check.  Each kind's bundles carry a
 * serial the ministry counts up: a post applies a bundle only when its
 * serial is greater than the last one it applied of that kind, so an old
 * bundle cannot be played back to restore an old policy or list.
 *
 * A store that trusts a ministry key takes policies and watchlists only
 * as bundles signed by it: local publication and import are refused.  The
 * key changes only by a bundle of kind "key" signed by the key in force.
 * ------------------------------------------------------------------------- */

#define SARHAD_BUNDLE_HEADER_MAX  1024
#define SARHAD_BUNDLE_PAYLOAD_MAX SARHAD_WL_MAX_INPUT
#define SARHAD_BUNDLE_KEY_ID_LEN  16 /* hex characters of a key's id */

enum sarhad_bundle_kind {
    SARHAD_BUNDLE_POLICY = 1, /* format "policy" */
    SARHAD_BUNDLE_WATCHLIST,  /* format "csv" or "un-xml" */
    SARHAD_BUNDLE_KEY         /* format "ed25519": the next ministry key */
};

/* "policy", "watchlist", "key"; NULL for anything else. */
const char *sarhad_bundle_kind_name(enum sarhad_bundle_kind kind);

/* What a bundle's header says. */
struct sarhad_bundle_info {
    enum sarhad_bundle_kind kind;
    char name[96];   /* the payload's file name, for the record */
    char format[8];  /* policy, csv, un-xml, ed25519 */
    int64_t serial;  /* 1.., counted per kind by the issuer */
    char issued[24]; /* UTC, RFC 3339, whole seconds */
    char issuer[SARHAD_BUNDLE_KEY_ID_LEN + 1]; /* the signing key's id */
    char sha256[65];                           /* of the payload, hex */
    char signature[129];                       /* ed25519, hex */
    size_t length;                             /* of the payload */
    const char *payload; /* into the caller's bundle; NULL when signing */
};

/* A key's id: hex of the first 8 bytes of its BLAKE2b-256 hash. */
void sarhad_bundle_key_id(char out[SARHAD_BUNDLE_KEY_ID_LEN + 1],
                          const unsigned char public_key[32]);

/*
 * Make a ministry key pair: the secret half to secret_path (hex, mode
 * 0600), the public half to public_path (hex, one line), neither over an
 * existing file (SARHAD_EEXIST).  id (may be NULL) receives the key's id.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_bundle_keygen(const char *secret_path, const char *public_path,
                     char id[SARHAD_BUNDLE_KEY_ID_LEN + 1],
                     struct sarhad_error *err);

/* Read a public key (64 hex digits, a newline allowed) from text.
 * SARHAD_EFORMAT otherwise. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_bundle_public_key_parse(const char *text, size_t len,
                               unsigned char public_key[32],
                               struct sarhad_error *err);

/*
 * Sign a payload: info gives kind, name, format, serial and issued (the
 * rest is filled in); the header is written to header (NUL-terminated,
 * *header_len bytes without the NUL) and the bundle is the header followed
 * by the payload.  The secret key is read from secret_path.  SARHAD_EINVAL
 * for a field that cannot go in a header (a kind and format that do not
 * belong together, a serial below 1, a name with control characters),
 * SARHAD_ETOOBIG for a payload over SARHAD_BUNDLE_PAYLOAD_MAX, key errors.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_bundle_sign(const char *secret_path, struct sarhad_bundle_info *info,
                   const char *payload, size_t len,
                   char header[SARHAD_BUNDLE_HEADER_MAX], size_t *header_len,
                   struct sarhad_error *err);

/*
 * Read a bundle (len bytes) into *info, payload pointing into data.  The
 * header must be exactly as sarhad_bundle_sign writes it: errors name the
 * field with err->line and err->col (SARHAD_EFORMAT).  The payload must
 * have the header's length and SHA-256 (SARHAD_ETAMPER).  When public_key
 * is not NULL the bundle must be signed by it: SARHAD_ESIGN names an
 * issuer that is not that key or a signature that does not hold.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_bundle_open(const char *data, size_t len,
                   const unsigned char *public_key,
                   struct sarhad_bundle_info *info, struct sarhad_error *err);

/*
 * Trust a ministry key (64 hex digits) in this store, with an audit entry
 * "ministry_key_trusted" by who.  From then on the store takes policies and
 * watchlists only as bundles signed by it.  SARHAD_EEXIST when the store
 * already trusts a key (it changes only by a key bundle).
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_store_trust_key(struct sarhad_store *store, const char *public_hex,
                       const struct sarhad_actor *who, int64_t now,
                       struct sarhad_error *err);

/* The key the store trusts, as 64 hex digits into out and its id into id
 * (either may be NULL).  SARHAD_ENOTFOUND when it trusts none. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_store_trusted_key(struct sarhad_store *store, char out[65],
                         char id[SARHAD_BUNDLE_KEY_ID_LEN + 1],
                         struct sarhad_error *err);

/* A bundle the store has applied. */
struct sarhad_bundle_applied {
    struct sarhad_bundle_info info; /* payload NULL */
    char result[40];                /* "policy:3", "watchlist:v2", "key:ID" */
    char applied_at[24];            /* UTC, RFC 3339 */
    char applied_by[32];
    int64_t audit_seq;
};

/*
 * Apply a bundle to a post: check it against the trusted key (SARHAD_ENOTFOUND
 * when the store trusts none; sarhad_bundle_open's errors), check its serial
 * is newer than the last of its kind applied (SARHAD_EEXIST), then publish
 * the policy (as sarhad_ledger_policy_publish: lint errors refuse it, up
 * to issue_cap findings into issues), import the watchlist, or trust the
 * next key, recording the bundle with an audit entry "bundle_applied" in
 * the same transaction.  *out (may be NULL) describes what was applied.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_bundle_apply(struct sarhad_ledger *ledger, const char *data, size_t len,
                    const struct sarhad_actor *who, int64_t now,
                    struct sarhad_bundle_applied *out,
                    struct sarhad_lint_issue *issues, unsigned issue_cap,
                    unsigned *issue_count, struct sarhad_error *err);

/* Call fn for each applied bundle, oldest first; fn returns false to stop. */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_bundle_list(struct sarhad_store *store,
                   bool (*fn)(void *ctx, const struct sarhad_bundle_applied *b),
                   void *ctx, struct sarhad_error *err);

/*
 * Check every applied bundle again: its signature under the key that was
 * trusted when it was applied, and, for a policy, that the publication it
 * made still has the bundle's SHA-256.  *bad_id receives the first bad
 * bundle's number (0 when all hold) and problem says what is wrong.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_bundle_verify_applied(struct sarhad_store *store, int64_t *bad_id,
                             char problem[160], struct sarhad_error *err);

/* ===== Central store (national deployment) (src/central*.c) ===== */

/*
 * Each post pushes its audit log, with the ledger rows its entries stand
 * for (attempts, resolutions and overrides, published policies) and its
 * signed checkpoints, to one national PostgreSQL database: the central.
 * Entries keep their (post, seq) ids there, so pushing twice sends nothing
 * twice and a post that was offline for a week sends its week when it is
 * back.  The central's rows are append-only (triggers refuse UPDATE and
 * DELETE) and sarhad_central_verify recomputes every post's chain from
 * them.  docs/OPERATIONS.md, "National deployment".
 */
struct sarhad_central;

/*
 * Connect to the central.  conninfo is a libpq connection string
 * ("host=... dbname=...") or URI ("postgresql://..."); unless it says
 * otherwise, connecting gives up after 10 seconds and a connection whose
 * peer stops answering fails after about 30.  SARHAD_EIO with libpq's
 * message (which holds no traveller data) when the server cannot be
 * reached or refuses the login; SARHAD_ENOMEM.  The caller closes *out
 * with sarhad_central_close.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_central_open(struct sarhad_central **out, const char *conninfo,
                    struct sarhad_error *err);
void sarhad_central_close(struct sarhad_central *central);

/*
 * Create the central's tables or bring them up to date, in one transaction
 * under an advisory lock (two posts starting at once do it once).
 * *version (may be NULL) gets the schema version.  SARHAD_EDB when the
 * central's schema is newer than this code or a statement fails,
 * SARHAD_EIO when the connection is lost.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_central_migrate(struct sarhad_central *central, int *version,
                       struct sarhad_error *err);

#define SARHAD_PUSH_BATCH_DEFAULT 1000
#define SARHAD_PUSH_BATCH_MAX     10000

struct sarhad_push_options {
    size_t batch;       /* entries per transaction (1..SARHAD_PUSH_BATCH_MAX;
                           0 for SARHAD_PUSH_BATCH_DEFAULT) */
    size_t max_batches; /* stop after this many (0: until up to date) */
};

struct sarhad_push_result {
    char post[16];
    int64_t pushed;      /* entries this call sent */
    int64_t from, to;    /* the first and last seq sent (0 and 0: none) */
    int64_t checkpoints; /* signed checkpoints sent */
    int64_t local_seq;   /* the post's last entry when the push began */
    int64_t central_seq; /* the central's last entry of the post, as last
                            seen (-1 when the central was not reached) */
    int64_t bad_seq;     /* the entry a refusal is about, else 0 */
};

/*
 * Send the post's entries the central does not have yet, oldest first, in
 * batches of opt->batch entries (opt may be NULL): one PostgreSQL
 * transaction each, under an advisory lock for the post, so an interrupted
 * push leaves whole batches and the next resumes where the central is.
 * Each batch first checks that the post's entry at the central's last seq
 * has the hash the central holds; each entry sent must link to the one
 * before and match its own hash; the first call on a central handle for a
 * post also verifies the post's whole log (sarhad_audit_verify).  So a
 * post whose log was altered, or that diverged from the central (a store
 * restored from an old backup, another post's store), pushes nothing:
 * SARHAD_ETAMPER, with result->bad_seq and the message naming the entry.
 * The central records the post's audit public key with its first
 * checkpoint; a store whose key differs is SARHAD_ESIGN.  The store is
 * only read (open it read-only beside its writer).  Other errors:
 * SARHAD_EINVAL (a store without a post, a batch out of range), SARHAD_EIO
 * (the connection failed: nothing of the batch in flight stays), SARHAD_EDB
 * (the central refused a statement, or has no schema: sarhad central init),
 * store errors.  *result is filled on success and on failure.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_central_push(struct sarhad_central *central, struct sarhad_store *store,
                    const struct sarhad_push_options *opt,
                    struct sarhad_push_result *result,
                    struct sarhad_error *err);

/* One post as the central knows it (sarhad_central_status). */
struct sarhad_central_post {
    char post[16];
    int64_t last_seq;         /* its last entry in the central */
    char last_event_at[26];   /* when that entry was recorded (UTC), or "" */
    char last_push_at[26];    /* its last successful push, even of nothing */
    int64_t checkpoints;      /* signed checkpoints received */
    bool has_key;             /* its audit public key is recorded */
    char policy[64];          /* its last publication: "pakistan 3", or "" */
    int64_t policy_bundle;    /* the last policy bundle it applied, 0: none */
    int64_t watchlist_bundle; /* the last watchlist bundle it applied */
    int64_t since_push;       /* seconds since that push, by the central */
};

/* Call fn for each post the central has, by post code; fn returns false
 * to stop.  Errors: SARHAD_EDB, SARHAD_EIO. */
SARHAD_MUST_CHECK enum sarhad_status sarhad_central_status(
    struct sarhad_central *central,
    bool (*fn)(void *ctx, const struct sarhad_central_post *p), void *ctx,
    struct sarhad_error *err);

/* The outcome of checking the central's copy (sarhad_central_verify). */
struct sarhad_central_report {
    bool ok;
    int64_t posts;       /* posts checked */
    int64_t checked;     /* entries found sound */
    int64_t checkpoints; /* checkpoints found sound */
    char post[16];       /* where the first bad entry is */
    int64_t first_bad;   /* its seq (0 when ok) */
    char problem[160];   /* what is wrong with it */
};

/*
 * Recompute every post's chain from the central's copy: seq numbers
 * without gaps, each entry's hash over its content and its predecessor's,
 * the post's recorded head, and every checkpoint's signature under the
 * post's recorded key with the entry it names.  An entry altered in the
 * central (by someone who got around its triggers) makes report->ok false
 * naming (post, seq); that is a finding, not an error.  Errors: SARHAD_EDB,
 * SARHAD_EIO.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_central_verify(struct sarhad_central *central,
                      struct sarhad_central_report *report,
                      struct sarhad_error *err);

/*
 * Publish a signed bundle in the central for every post to take
 * (sarhad_central_pull).  It is checked whole first (sarhad_bundle_open;
 * with public_key, also that the key signed it).  *added says whether it is
 * new; the same bundle again is not an error, another bundle under a
 * serial already published by its issuer is (SARHAD_EEXIST).  *out (may be
 * NULL) gets its header.
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_central_publish(struct sarhad_central *central, const char *data,
                       size_t len, const unsigned char *public_key,
                       struct sarhad_bundle_info *out, bool *added,
                       struct sarhad_error *err);

/* How a pull applies what it takes, and what it tells of each bundle. */
struct sarhad_pull_hooks {
    /* Apply one bundle (len bytes) as sarhad_bundle_apply does, or hand it
     * to what does (the server's writer); its status and *out as that
     * gives them.  Required. */
    enum sarhad_status (*apply)(void *ctx, const char *data, size_t len,
                                struct sarhad_bundle_applied *out,
                                struct sarhad_error *err);
    /* Each bundle taken: applied (status SARHAD_OK, applied set) or
     * refused (applied NULL, why says why).  May be NULL. */
    void (*seen)(void *ctx, enum sarhad_bundle_kind kind, int64_t serial,
                 const struct sarhad_bundle_applied *applied,
                 enum sarhad_status status, const struct sarhad_error *why);
    void *ctx;
};

struct sarhad_pull_result {
    int64_t applied;
    int64_t refused;
};

/*
 * Take from the central the bundles this post has not applied: signed by
 * the key it trusts, of serials above the last it applied of each kind,
 * oldest first, key bundles first (so the bundles of the next key follow
 * it).  Each is applied through hooks->apply; one that is refused (its
 * signature, its serial, its policy's lint errors) is reported through
 * hooks->seen and passed over.  store is the post's (read for its trusted
 * key and serials; a read-only handle will do when apply writes through
 * another).  SARHAD_ENOTFOUND when the post trusts no key; a failure of
 * the post's store stops the pull (the next one resumes).
 */
SARHAD_MUST_CHECK enum sarhad_status
sarhad_central_pull(struct sarhad_central *central, struct sarhad_store *store,
                    const struct sarhad_pull_hooks *hooks,
                    struct sarhad_pull_result *out, struct sarhad_error *err);

/*
 * A national report from the central's copy of every post's record: the
 * same columns and rows as sarhad_ledger_report makes at a post (so the
 * national report of one post is its own report), over every post that
 * pushed, or filter->post alone.  Daily flows, returns and refusals;
 * overstays are a post's report (SARHAD_EINVAL: open stays are not
 * pushed).  SARHAD_EDB when the central's schema is not this code's.
 */
SARHAD_MUST_CHECK enum sarhad_status sarhad_central_report(
    struct sarhad_central *central, enum sarhad_report_kind kind,
    const struct sarhad_report_filter *filter,
    bool (*fn)(void *ctx, const struct sarhad_report_row *row), void *ctx,
    struct sarhad_error *err);

#ifdef __cplusplus
}
#endif

#endif /* SARHAD_H */
