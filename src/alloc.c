/*
 * alloc.c - every allocation the library makes goes through here, so that a
 * test can swap in an allocator that fails the Nth call (the OOM sweep) and
 * an embedding program can use its own heap.  It also holds the jansson
 * hooks behind json_arena.h: reading a presentation made some sixty
 * malloc/free pairs inside jansson, most of the cost of a read, and a bump
 * arena on the reader's stack makes them a pointer increment and nothing.
 */
#include "internal.h"
#include "json_arena.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#define JSON_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JSON_ARENA_ASAN 1
#endif
#endif
#ifdef JSON_ARENA_ASAN
#include <sanitizer/asan_interface.h>
/* Blocks are unpoisoned one by one with a poisoned gap after each, so an
 * overrun inside jansson is still caught. */
#define JSON_ARENA_GAP 16
#define POISON(p, n)   ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define JSON_ARENA_GAP 0
#define POISON(p, n)   ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif
#define JSON_ARENA_ALIGN 16

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

/* ----- the jansson arena (json_arena.h) ----- */

static json_malloc_t json_next_malloc = malloc;
static json_free_t json_next_free = free;
static _Thread_local struct sarhad__json_arena *json_open_arena;

static void *
json_arena_malloc(size_t size)
{
    struct sarhad__json_arena *a = json_open_arena;

    if (a != NULL) {
        /* At least one byte, so that every block starts inside the
         * buffer and is recognised when freed. */
        size_t need = (size ? size : 1) + JSON_ARENA_GAP;
        size_t room = a->cap - a->used;
        if (need >= size && need <= room) {
            unsigned char *p = a->base + a->used;
            size_t step =
                (need + JSON_ARENA_ALIGN - 1) & ~(size_t)(JSON_ARENA_ALIGN - 1);
            a->used += step < room ? step : room;
            UNPOISON(p, size);
            return p;
        }
        a->spilled++;
    }
    return json_next_malloc(size);
}

static bool
in_arena(const struct sarhad__json_arena *a, const void *ptr)
{
    uintptr_t p = (uintptr_t)ptr, base = (uintptr_t)a->base;

    return p >= base && p - base < a->cap;
}

static void
json_arena_free(void *ptr)
{
    /* An arena block lives until its arena ends; only spills are freed. */
    for (struct sarhad__json_arena *a = json_open_arena; a != NULL;
         a = a->outer)
        if (in_arena(a, ptr))
            return;
    json_next_free(ptr);
}

/* Installed before main, while no thread can be inside jansson: the hooks
 * are process-wide, and with no arena open they are exactly the allocator
 * jansson had. */
__attribute__((constructor)) static void
json_arena_install(void)
{
    json_malloc_t m;
    json_free_t f;

    json_get_alloc_funcs(&m, &f);
    if (m == json_arena_malloc)
        return;
    json_next_malloc = m != NULL ? m : malloc;
    json_next_free = f != NULL ? f : free;
    json_set_alloc_funcs(json_arena_malloc, json_arena_free);
}

bool
sarhad__json_arena_begin(struct sarhad__json_arena *a, void *buf, size_t cap)
{
    json_malloc_t m;
    json_free_t f;

    json_get_alloc_funcs(&m, &f);
    if (m != json_arena_malloc || f != json_arena_free)
        return false;
    a->base = buf;
    a->cap = cap;
    a->used = 0;
    a->spilled = 0;
    a->outer = json_open_arena;
    POISON(buf, cap);
    json_open_arena = a;
    return true;
}

void
sarhad__json_arena_end(struct sarhad__json_arena *a)
{
    json_open_arena = a->outer;
    /* The buffer is usually on the caller's stack: it must be clean for
     * whatever is put there next. */
    UNPOISON(a->base, a->cap);
}
