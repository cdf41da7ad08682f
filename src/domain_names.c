/*
 * domain_names.c - reading the domain's names back into enumerations: the
 * document kinds, the crossing codes of DESIGN.md, the movement
 * categories of exits, their vulnerabilities and the provinces of arrest.
 * Shared by the presentation reader and the policy compiler so that both accept
 * exactly the same words.
 */
#include "internal.h"

#include <string.h>

static const char *const crossing_codes[] = {
#define CROSSING_CODE(name) #name,
    SARHAD_CROSSING_MAP(CROSSING_CODE)
#undef CROSSING_CODE
};

static bool
word_is(const char *word, const char *name, size_t len)
{
    return strlen(word) == len && memcmp(word, name, len) == 0;
}

bool
sarhad_doc_kind_parse(enum sarhad_doc_kind *out, const char *name, size_t len)
{
    for (int k = 0; k < SARHAD_DOC_KIND_COUNT; k++) {
        if (word_is(sarhad_doc_kind_name((enum sarhad_doc_kind)k), name, len)) {
            *out = (enum sarhad_doc_kind)k;
            return true;
        }
    }
    return false;
}

int
sarhad_crossing_index(const char *code, size_t len)
{
    for (size_t i = 0; i < SARHAD_COUNT_OF(crossing_codes); i++)
        if (word_is(crossing_codes[i], code, len))
            return (int)i;
    return -1;
}

static const char *const vulnerability_names[] = {
    "unaccompanied_child", "medical", "single_woman", "elderly", "disabled",
    "specific_needs"};

const char *
sarhad_vulnerability_name(unsigned bit)
{
    return bit < SARHAD_COUNT_OF(vulnerability_names) ? vulnerability_names[bit]
                                                      : NULL;
}

/* In the order of enum sarhad_province, from its first province. */
static const char *const province_names[] = {
    "khyber_pakhtunkhwa", "punjab",           "sindh",       "balochistan",
    "islamabad",          "gilgit_baltistan", "azad_kashmir"};

const char *
sarhad_province_name(enum sarhad_province province)
{
    size_t i = (size_t)province - 1; /* none wraps past the end */

    return i < SARHAD_COUNT_OF(province_names) ? province_names[i] : NULL;
}

const char *
sarhad_movement_name(enum sarhad_movement movement)
{
    switch (movement) {
    case SARHAD_MOVE_REGULAR:
        return "regular";
    case SARHAD_MOVE_SPONTANEOUS_RETURN:
        return "spontaneous_return";
    case SARHAD_MOVE_ASSISTED_RETURN:
        return "assisted_return";
    case SARHAD_MOVE_DEPORTATION:
        return "deportation";
    }
    return "unknown";
}
