/*
 * names.h - private helpers of name normalisation (src/names.c) shared
 * with the screener: folding and skeletons of single tokens.
 */
#ifndef SARHAD_NAMES_H
#define SARHAD_NAMES_H

#include "internal.h"

/* Fold one lowercase ASCII token (len bytes) into out; returns length. */
size_t sarhad__name_fold(char *out, size_t cap, const char *in, size_t len);

/* The consonant skeleton of a folded token; returns length. */
size_t sarhad__name_skeleton(char *out, size_t cap, const char *folded);

#endif /* SARHAD_NAMES_H */
