/*
 * gen.h - private declarations of the synthetic traffic generator: the
 * name lists it draws from (gen_names.c).
 */
#ifndef SARHAD_GEN_H
#define SARHAD_GEN_H

#include "internal.h"

extern const char *const sarhad__afg_surnames[];
extern const char *const sarhad__afg_male[];
extern const char *const sarhad__afg_female[];
extern const char *const sarhad__pak_surnames[];
extern const char *const sarhad__pak_male[];
extern const char *const sarhad__pak_female[];
extern const unsigned sarhad__afg_surname_count;
extern const unsigned sarhad__afg_male_count;
extern const unsigned sarhad__afg_female_count;
extern const unsigned sarhad__pak_surname_count;
extern const unsigned sarhad__pak_male_count;
extern const unsigned sarhad__pak_female_count;

#endif /* SARHAD_GEN_H */
