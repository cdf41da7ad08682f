/*
 * fuzz_presentation.c - the presentation reader on arbitrary bytes: strict
 * errors, no crash; whatever reads is decided by a small fixed policy and
 * written as decision JSON.
 */
#include <stdint.h>
#include <string.h>

#include "sarhad.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char policy_text[] =
    "policy \"fuzz\" version 1\n"
    "number-format tazkira \"9999-*\"\n"
    "fines\n  up-to 13 days usd 0\n  beyond usd 400 per 365 days\nend\n"
    "rule a\n  accept passport (not-expired) and visa (issued-by PAK; "
    "not-expired; entries-left)\n  limit 90 days in any 180 days\n"
    "  admit\nend\n"
    "rule b\n  age under 18\n  accept token\n  admit zone parking\nend\n"
    "rule c\n  refuse\n  reason no \"No.\"\nend\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct sarhad_policy *policy;
    struct sarhad_presentation pr;
    struct sarhad_history h;
    struct sarhad_decision d;
    struct sarhad_error err;
    char json[4096];

    if (policy == NULL &&
        sarhad_policy_compile(&policy, "fuzz", policy_text,
                              sizeof(policy_text) - 1, &err) != SARHAD_OK)
        return 0;
    if (sarhad_presentation_parse(&pr, (const char *)data, size, &err) !=
        SARHAD_OK)
        return 0;
    memset(&h, 0, sizeof(h));
    h.known = true;
    h.stay_count = 1;
    h.stays[0].entry = pr.time.date;
    h.stays[0].allowed_days = 1;
    h.visa_entries_used = 1;
    if (sarhad_policy_decide(&d, policy, &pr, &h, NULL, &err) == SARHAD_OK)
        (void)sarhad_decision_json(json, sizeof(json), &d);
    return 0;
}
