/*
 * policy_compile.c - the life of a compiled policy: compile (parse into
 * the arena, then index the rules by crossing and direction so that a
 * decision only walks the rules that can apply), free, and the accessors.
 */
#include "policy.h"

#include <string.h>

enum sarhad_status
sarhad__policy_index(struct sarhad_policy *p, struct sarhad_error *err)
{
    for (unsigned c = 0; c < POLICY_CROSSING_COUNT; c++) {
        for (unsigned d = 0; d < 2; d++) {
            unsigned n = 0;
            uint16_t *idx;
            for (unsigned i = 0; i < p->rule_count; i++)
                if ((p->rules[i].crossings >> c & 1u) &&
                    (p->rules[i].directions >> d & 1u))
                    n++;
            idx = sarhad__arena_alloc(&p->arena, (n ? n : 1) * sizeof(*idx));
            if (idx == NULL)
                return sarhad__fail(err, SARHAD_ENOMEM, "", SIZE_MAX,
                                    "out of memory compiling the policy");
            n = 0;
            for (unsigned i = 0; i < p->rule_count; i++)
                if ((p->rules[i].crossings >> c & 1u) &&
                    (p->rules[i].directions >> d & 1u))
                    idx[n++] = (uint16_t)i;
            p->index[c][d] = idx;
            p->index_count[c][d] = n;
        }
    }
    return SARHAD_OK;
}

enum sarhad_status
sarhad_policy_compile(struct sarhad_policy **out, const char *filename,
                      const char *text, size_t len, struct sarhad_error *err)
{
    struct sarhad_policy *p;
    enum sarhad_status st;

    if (out == NULL || (text == NULL && len > 0))
        return sarhad__fail(err, SARHAD_EINVAL, "", SIZE_MAX,
                            "no policy text given");
    *out = NULL;
    if (len > SARHAD_POLICY_MAX_LEN)
        return sarhad__fail(err, SARHAD_ETOOBIG, "", SIZE_MAX,
                            "a policy is at most %d bytes",
                            SARHAD_POLICY_MAX_LEN);
    p = sarhad__calloc(1, sizeof(*p));
    if (p == NULL)
        return sarhad__fail(err, SARHAD_ENOMEM, "", SIZE_MAX,
                            "out of memory compiling the policy");
    p->screen_threshold = 100;
    st = sarhad__policy_parse(p, filename, text ? text : "", len, err);
    if (st == SARHAD_OK)
        st = sarhad__policy_index(p, err);
    if (st != SARHAD_OK) {
        sarhad_policy_free(p);
        return st;
    }
    *out = p;
    return SARHAD_OK;
}

void
sarhad_policy_free(struct sarhad_policy *policy)
{
    if (policy == NULL)
        return;
    sarhad__arena_free(&policy->arena);
    sarhad__free(policy);
}

const char *
sarhad_policy_name(const struct sarhad_policy *policy)
{
    return policy->name;
}

int
sarhad_policy_version(const struct sarhad_policy *policy)
{
    return policy->version;
}

int
sarhad_policy_screen_threshold(const struct sarhad_policy *policy)
{
    return policy->screen_threshold;
}

unsigned
sarhad_policy_rule_count(const struct sarhad_policy *policy)
{
    return policy->rule_count;
}
