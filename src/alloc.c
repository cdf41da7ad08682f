/*
 * alloc.c - every allocation the library makes goes through here, so that a
 * test can swap in an allocator that fails the Nth call (the OOM sweep) and
 * an embedding program can use its own heap.
 */
#include "internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void *
libc_realloc(void *ctx, void *ptr, size_t size)
{
    (void)ctx;
    return realloc(ptr, size);
}

static void
libc_free(void *ctx, void *ptr)
{
    (void)ctx;
    free(ptr);
}

static struct sarhad_allocator current = {libc_realloc, libc_free, NULL};

void
sarhad_set_allocator(const struct sarhad_allocator *allocator)
{
    if (allocator == NULL) {
        current.realloc_fn = libc_realloc;
        current.free_fn = libc_free;
        current.ctx = NULL;
    } else {
        current = *allocator;
    }
}

void *
sarhad__malloc(size_t size)
{
    return current.realloc_fn(current.ctx, NULL, size ? size : 1);
}

void *
sarhad__calloc(size_t count, size_t size)
{
    void *p;

    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    p = sarhad__malloc(count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

void *
sarhad__realloc(void *ptr, size_t size)
{
    return current.realloc_fn(current.ctx, ptr, size ? size : 1);
}

void
sarhad__free(void *ptr)
{
    if (ptr != NULL)
        current.free_fn(current.ctx, ptr);
}

char *
sarhad__strndup(const char *s, size_t len)
{
    char *p = sarhad__malloc(len + 1);

    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void
sarhad_wipe(void *p, size_t len)
{
    /* A volatile pointer keeps the stores from being optimised away. */
    volatile unsigned char *v = p;

    while (len-- > 0)
        *v++ = 0;
}
