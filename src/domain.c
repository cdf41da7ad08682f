/*
 * domain.c - names of the domain's enumerations, shared by the presentation
 * reader, the decision writer, the ledger and the reports.
 */
#include "internal.h"

static const char *const doc_kind_names[] = {
#define DOC_NAME(name, text) text,
    SARHAD_DOC_KIND_MAP(DOC_NAME)
#undef DOC_NAME
};

const char *
sarhad_doc_kind_name(enum sarhad_doc_kind kind)
{
    if ((unsigned)kind >= SARHAD_COUNT_OF(doc_kind_names))
        return "unknown";
    return doc_kind_names[kind];
}

const char *
sarhad_outcome_name(enum sarhad_outcome outcome)
{
    switch (outcome) {
    case SARHAD_ADMIT:
        return "admit";
    case SARHAD_REFUSE:
        return "refuse";
    case SARHAD_REFER:
        return "refer";
    }
    return "unknown";
}
