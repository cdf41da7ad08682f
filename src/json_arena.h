/*
 * json_arena.h - a bump arena that jansson allocates from while a
 * presentation is read (alloc.c installs the hooks).  jansson's allocator is
 * one pair of process-wide function pointers, so the hooks look for an arena
 * opened on the calling thread and otherwise pass every call on to the
 * allocator jansson had before; the server reads on several threads at once
 * and each has its own arena or none.
 */
#ifndef SARHAD_JSON_ARENA_H
#define SARHAD_JSON_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct sarhad__json_arena {
    unsigned char *base;
    size_t cap, used;
    size_t spilled; /* allocations that did not fit and went to the heap */
    struct sarhad__json_arena *outer;
};

/*
 * Make the cap bytes at buf (aligned for any object) the arena of every
 * jansson allocation on this thread until sarhad__json_arena_end.  Freeing
 * an arena block does nothing; what does not fit goes to the heap and is
 * counted in a->spilled (such values must be released with json_decref
 * before the arena ends; without spills the whole tree can simply be
 * forgotten).  False, with nothing changed, when jansson's allocator is not
 * the arena's (an embedding program replaced it): allocate as usual then.
 */
bool sarhad__json_arena_begin(struct sarhad__json_arena *a, void *buf,
                              size_t cap);

/* Close the arena a (the innermost open one on this thread). */
void sarhad__json_arena_end(struct sarhad__json_arena *a);

#endif
