/*
 * error.c - status texts and the helpers that fill a struct sarhad_error.
 * Reporting an error never allocates: messages go into the caller's fixed
 * buffer, truncated if they must be.
 */
#include "internal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* internal.h describes these two to the analyzer with macros of the same
 * names; here they are defined. */
#undef sarhad__fail
#undef sarhad__fail_at

static const char *const status_texts[] = {
#define STATUS_TEXT(name, text) text,
    SARHAD_STATUS_MAP(STATUS_TEXT)
#undef STATUS_TEXT
};

const char *
sarhad_strerror(enum sarhad_status code)
{
    if ((unsigned)code >= SARHAD_COUNT_OF(status_texts))
        return "unknown status";
    return status_texts[code];
}

void
sarhad_error_clear(struct sarhad_error *err)
{
    if (err == NULL)
        return;
    memset(err, 0, sizeof(*err));
    err->code = SARHAD_OK;
    err->offset = SIZE_MAX;
}

static void
fill(struct sarhad_error *err, enum sarhad_status code, const char *field,
     const char *fmt, va_list ap)
{
    err->code = code;
    sarhad__strlcpy(err->field, field ? field : "", sizeof(err->field));
    if (fmt != NULL)
        vsnprintf(err->message, sizeof(err->message), fmt, ap);
    else
        sarhad__strlcpy(err->message, sarhad_strerror(code),
                        sizeof(err->message));
}

enum sarhad_status
sarhad__fail(struct sarhad_error *err, enum sarhad_status code,
             const char *field, size_t offset, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL)
        return code;
    va_start(ap, fmt);
    fill(err, code, field, fmt, ap);
    va_end(ap);
    err->offset = offset;
    err->line = 0;
    err->col = 0;
    return code;
}

enum sarhad_status
sarhad__fail_at(struct sarhad_error *err, enum sarhad_status code,
                const char *field, unsigned line, unsigned col, const char *fmt,
                ...)
{
    va_list ap;

    if (err == NULL)
        return code;
    va_start(ap, fmt);
    fill(err, code, field, fmt, ap);
    va_end(ap);
    err->offset = SIZE_MAX;
    err->line = line;
    err->col = col;
    return code;
}

size_t
sarhad__strlcpy(char *dst, const char *src, size_t dst_cap)
{
    size_t len = strlen(src);

    if (dst_cap == 0)
        return len;
    if (len >= dst_cap)
        len = dst_cap - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
    return len;
}

size_t
sarhad__strlcat(char *dst, const char *src, size_t dst_cap)
{
    size_t used = strnlen(dst, dst_cap);

    if (used == dst_cap)
        return used;
    return used + sarhad__strlcpy(dst + used, src, dst_cap - used);
}
