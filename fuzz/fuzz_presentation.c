/*
 * fuzz_presentation.c - the presentation reader on arbitrary bytes: strict
 * errors, no crash; whatever reads is decided by a small fixed policy and
 * written as decision JSON.  Differential as well: the reading (status,
 * error, every defined field) and the decision JSON (every length and byte,
 * at several buffer sizes) must equal those of the reference version kept
 * in tests/presentation_ref.h, or the target aborts.  The fast parser
 * (src/presentation_fast.c) is held to the jansson path directly as well:
 * when it takes an input the reading must be the same, and when it gives up
 * it must have written nothing.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/presentation_ref.h"

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
    static struct sarhad_presentation pr;
    struct sarhad_history h;
    struct sarhad_decision d;
    struct sarhad_error err;
    bool handled;

    if (policy == NULL &&
        sarhad_policy_compile(&policy, "fuzz", policy_text,
                              sizeof(policy_text) - 1, &err) != SARHAD_OK)
        return 0;
    if (ref_compare_parse((const char *)data, size, &pr)[0] != '\0' ||
        ref_compare_fast((const char *)data, size, &handled)[0] != '\0')
        abort();
    if (pr.crossing[0] == '\0')
        return 0; /* not read (every presentation names its crossing) */
    memset(&h, 0, sizeof(h));
    h.known = true;
    h.stay_count = 1;
    h.stays[0].entry = pr.time.date;
    h.stays[0].allowed_days = 1;
    h.visa_entries_used = 1;
    if (sarhad_policy_decide(&d, policy, &pr, &h, NULL, &err) == SARHAD_OK &&
        !ref_same_decision_json(&d))
        abort();
    return 0;
}
