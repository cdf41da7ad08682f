/*
 * screen.h - the screener's in-memory layout, shared by the index
 * (src/screen.c) and the scorer (src/screen_score.c).
 */
#ifndef SARHAD_SCREEN_H
#define SARHAD_SCREEN_H

#include "names.h"

#define SCR_FOLDED 24

/* One token of a listed name: its skeleton key and folded spelling. */
struct scr_token {
    uint32_t key;
    uint8_t common; /* a name so common it says little (Muhammad, Khan) */
    char folded[SCR_FOLDED];
    char text[SCR_FOLDED]; /* as written after joining, for explanations */
};

struct scr_name {
    uint32_t entry;
    uint32_t tok_start;
    uint32_t text_off; /* the name as listed, in the string arena */
    uint8_t tok_count;
    uint8_t vowelless;
};

struct scr_entry {
    uint32_t id_off;
    uint32_t name_start; /* first of its names */
    uint32_t birth_start;
    uint32_t father; /* name index of the father's name, or UINT32_MAX */
    uint16_t name_count;
    uint8_t birth_count;
    uint8_t nat_count;
    char nats[SARHAD_WL_MAX_NATS][4];
    char sex;
};

struct scr_posting {
    uint64_t key;
    uint32_t start;
    uint32_t count;
};

struct sarhad_screener {
    char version[24];
    bool finished;
    /* entries, names, tokens, births and strings */
    struct scr_entry *entries;
    size_t entry_count, entry_cap;
    struct scr_name *names;
    size_t name_count, name_cap;
    struct scr_token *tokens;
    size_t token_count, token_cap;
    struct sarhad_birth *births;
    size_t birth_count, birth_cap;
    char *strings;
    size_t strings_len, strings_cap;
    /* the skeleton key dictionary: key strings and their hash table */
    char (*keys)[24];
    uint32_t *key_df;
    size_t key_count, key_cap;
    uint32_t *key_table; /* open addressing: key id + 1, 0 = empty */
    size_t key_table_cap;
    /* deletion neighbours: (hash of key or key with one letter deleted,
     * key id), sorted by hash */
    uint64_t *dels;
    size_t del_count;
    /* pair index: token-pair keys -> name ids; single index: key -> names */
    struct scr_posting *pairs;
    size_t pair_count;
    uint32_t *pair_names;
    struct scr_posting *singles;
    size_t single_count;
    uint32_t *single_names;
    size_t pair_records; /* building: (key, name) records */
};

/* A query as the scorer needs it. */
struct scr_query {
    struct sarhad_name name;
    uint32_t keys[SARHAD_NAME_MAX_TOKENS]; /* key ids, UINT32_MAX unknown */
    bool has_father;
    struct sarhad_name father;
    char nat[4];
    struct sarhad_date dob;
    int birth_year;
    char sex;
};

/* Look a skeleton up in the dictionary: key id or UINT32_MAX. */
uint32_t sarhad__screen_key_find(const struct sarhad_screener *s,
                                 const char *key);

/* Is a folded token one of the region's most common name elements? */
bool sarhad__screen_is_common(const char *key);

/* Score one candidate name of an entry against the query, with evidence,
 * and return the final score; when c is not NULL fill it fully (name
 * score, matches, evidence, why). */
int sarhad__screen_score(const struct sarhad_screener *s,
                         const struct scr_query *q, uint32_t name_index,
                         struct sarhad_candidate *c);

/* The name score alone (0-100) of two normalised names. */
int sarhad__screen_name_score(const struct sarhad_name *a,
                              const struct sarhad_name *b);

#endif /* SARHAD_SCREEN_H */
