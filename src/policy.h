/*
 * policy.h - the compiled form of a policy, private to the policy_*.c
 * files.  The parser writes straight into these tables (there is no
 * separate syntax tree: the language is flat enough), everything lives in
 * one arena owned by the policy, and the evaluator only reads them.
 */
#ifndef SARHAD_POLICY_H
#define SARHAD_POLICY_H

#include "internal.h"

#define POLICY_TIME_MIN       INT64_MIN
#define POLICY_TIME_MAX       INT64_MAX
#define POLICY_CROSSING_COUNT 9
#define POLICY_ALL_CROSSINGS  ((1u << POLICY_CROSSING_COUNT) - 1)
#define POLICY_MAX_FORMATS    4
#define POLICY_MAX_FINES      8

/* A chunked bump allocator: the policy's memory, freed in one go. */
struct arena_chunk {
    struct arena_chunk *next;
    size_t cap, used;
    /* data follows */
};
struct arena {
    struct arena_chunk *head;
};
void *sarhad__arena_alloc(struct arena *a, size_t size);
char *sarhad__arena_strndup(struct arena *a, const char *s, size_t len);
void sarhad__arena_free(struct arena *a);

/* A list of words ("Shinwari", "Afridi"), maybe negated ("not PAK"); an
 * empty list without negation matches everything. */
struct plist {
    const char **items;
    unsigned count;
    bool negate;
    bool present;
};

enum pcond_kind {
    PC_NOT_EXPIRED,
    PC_ISSUED_BY,
    PC_CATEGORY,
    PC_ENTRIES,
    PC_ENTRIES_LEFT,
    PC_STAY_MAX,
    PC_DISTRICT,
    PC_TRIBE
};

struct pcond {
    enum pcond_kind kind;
    int number;
    struct plist list;
};

/* One document of a set, with conditions that must all hold. */
struct pterm {
    enum sarhad_doc_kind kind;
    unsigned cond_count;
    struct pcond *conds;
};

/* A document set: every term must be met (by a distinct document). */
struct pset {
    unsigned term_count;
    struct pterm *terms;
    unsigned line, col;
};

struct pwindow {
    int64_t from, until; /* local minutes since 1970, inclusive */
};

struct ptext {
    const char *code;
    const char *text;
};

struct prule {
    const char *id;
    const char *title;
    const char *source;
    unsigned line, col;
    int64_t from, until;            /* local minutes since 1970, inclusive */
    unsigned from_line, until_line; /* for lint messages; 0 when absent */
    unsigned window_count;
    struct pwindow *windows;
    unsigned crossings;  /* bit mask; POLICY_ALL_CROSSINGS when not said */
    unsigned directions; /* bit 0 entry, bit 1 exit */
    unsigned movements;  /* bit per enum sarhad_movement */
    struct plist nationality, residence, tribe, occupation, purpose;
    int age_min, age_max; /* years; -1 when not said */
    int overstayed;       /* -1 any, 0 not overstayed, 1 overstayed */
    unsigned set_count;   /* 0: the rule needs no documents */
    struct pset *sets;
    bool has_outcome;
    enum sarhad_outcome outcome;
    const char *zone;
    unsigned reason_count, flag_count;
    struct ptext reasons[SARHAD_MAX_REASONS];
    struct ptext flags[SARHAD_MAX_FLAGS];
    int limit_days, limit_window; /* rolling limit; 0 when none */
    bool exception; /* meant to take precedence over later rules */
};

struct pfine {
    int up_to_days; /* inclusive; -1 for the open-ended last row */
    int usd;
    int per_days; /* open-ended row: usd per started period of per_days */
};

struct sarhad_policy {
    struct arena arena;
    char name[48];
    int version;
    int screen_threshold;
    int default_stay;
    int blacklist_after;
    unsigned fine_count;
    struct pfine fines[POLICY_MAX_FINES];
    unsigned format_count[SARHAD_DOC_KIND_COUNT];
    const char *formats[SARHAD_DOC_KIND_COUNT][POLICY_MAX_FORMATS];
    unsigned rule_count;
    struct prule *rules;
    /* rule indices in force per crossing and direction, in file order */
    unsigned index_count[POLICY_CROSSING_COUNT][2];
    uint16_t *index[POLICY_CROSSING_COUNT][2];
};

#define POLICY_MAX_RULES 4000

/* ---- lexer (policy_lex.c) ---- */
enum tok_kind {
    TOK_EOF,
    TOK_NEWLINE,
    TOK_WORD,
    TOK_STRING,
    TOK_LPAREN,
    TOK_RPAREN,
    TOK_SEMI,
    TOK_COMMA,
    TOK_DOTDOT,
    TOK_ERROR
};
struct token {
    enum tok_kind kind;
    const char *text; /* WORD: the word; STRING: the raw body */
    size_t len;
    unsigned line, col;
};
struct lexer {
    const char *src;
    size_t len, pos;
    unsigned line, col;
    const char *error; /* set with TOK_ERROR */
};
void sarhad__lex_init(struct lexer *lx, const char *src, size_t len);
struct token sarhad__lex_next(struct lexer *lx);
/* Copy a STRING token's body with escapes resolved into the arena. */
char *sarhad__lex_string(struct arena *a, const struct token *t);

/* ---- compiler (policy_parse.c, policy_compile.c) ---- */
enum sarhad_status sarhad__policy_parse(struct sarhad_policy *p,
                                        const char *filename, const char *text,
                                        size_t len, struct sarhad_error *err);
enum sarhad_status sarhad__policy_index(struct sarhad_policy *p,
                                        struct sarhad_error *err);

/* ---- matching shared by evaluator and checker (policy_eval.c) ---- */
bool sarhad__plist_match(const struct plist *l, const char *value);
/* The rule's dates cover the local minute (days * 1440 + minutes). */
bool sarhad__rule_in_force(const struct prule *r, int64_t minute);

#endif /* SARHAD_POLICY_H */
