/*
 * gen_names.c - the name lists synthetic traffic draws from: common
 * Afghan (Pashto and Dari) and Pakistani names in the English spellings
 * their passports carry, with the tribal and family surnames seen at the
 * Torkham and Chaman crossings.  Only for demos and benchmarks.
 */
#include "gen.h"

const char *const sarhad__afg_surnames[] = {
    "AHMADZAI",  "SHINWARI", "AFRIDI",  "MOHMAND",   "POPALZAI", "DURRANI",
    "BARAKZAI",  "ACHAKZAI", "NOORZAI", "ALIZAI",    "SAFI",     "WARDAK",
    "STANIKZAI", "HAKIMI",   "RAHIMI",  "MOHAMMADI", "NOORI",    "SAMADI",
    "KAKAR",     "ZADRAN",   "MANGAL",  "JADRAN",    "SULTANI",  "HOTAK",
    "TOKHI",     "ANDAR",    "KHAROTI", "NIAZI",     "HASHIMI",  "SADAT",
    "HAIDARI",   "AZIMI",    "KARIMI",  "AMIRI",     "HUSSAINI", "QADERI",
    "YOUSUFZAI", "MOMAND",   "ARSALA",  "FAIZI"};
const char *const sarhad__afg_male[] = {
    "MOHAMMAD",    "AHMAD",      "ABDUL RAHMAN",  "GUL AGHA",  "NOOR",
    "ZABIHULLAH",  "HAMIDULLAH", "ABDULLAH",      "NASRULLAH", "SAMIULLAH",
    "HABIBULLAH",  "ASADULLAH",  "JAWAD",         "FARID",     "WAHEED",
    "RAHMATULLAH", "SHER",       "KHAN MOHAMMAD", "ZAHIR",     "NAJIB",
    "ABDUL WAHAB", "IQBAL",      "SAYED",         "HAJI",      "MIRWAIS",
    "AIMAL",       "BILAL",      "EHSANULLAH",    "KHALID",    "WALI"};
const char *const sarhad__afg_female[] = {
    "FATIMA", "ZARGHONA", "MALALAI",  "SHAKILA", "NAZIA",   "MARYAM",
    "FARIBA", "GULALAI",  "SHABANA",  "PARWANA", "ROYA",    "SOHAILA",
    "NADIA",  "FRISHTA",  "ZAKIA",    "SHIRIN",  "MADINA",  "LATIFA",
    "NASRIN", "HUMA",     "BIBI GUL", "ZAINAB",  "KHADIJA", "MAHBOOBA"};
const char *const sarhad__pak_surnames[] = {
    "KHAN",     "AHMED",    "HUSSAIN",  "QURESHI", "BUTT",      "CHAUDHRY",
    "MALIK",    "SHAH",     "ABBASI",   "AWAN",    "YOUSAFZAI", "AFRIDI",
    "SHINWARI", "KAKAR",    "ACHAKZAI", "MARWAT",  "BANGASH",   "ORAKZAI",
    "WAZIR",    "MEHSUD",   "DURRANI",  "RAJPUT",  "JATOI",     "BALOCH",
    "MENGAL",   "SIDDIQUI", "IQBAL",    "ANWAR",   "RIAZ",      "ZAMAN"};
const char *const sarhad__pak_male[] = {
    "MUHAMMAD", "ALI",    "USMAN", "BILAL",  "IMRAN",  "HAMZA",
    "ZUBAIR",   "FAISAL", "ASIF",  "TARIQ",  "SAJID",  "KAMRAN",
    "NAVEED",   "SHAHID", "WAQAS", "JUNAID", "RASHID", "ARSHAD",
    "IRFAN",    "SALMAN", "ADNAN", "FAHAD",  "NADEEM", "ZAHID"};
const char *const sarhad__pak_female[] = {
    "AYESHA", "SANA",   "HINA",    "SADIA",  "NIDA",  "AMNA",
    "SAIMA",  "RABIA",  "MEHWISH", "SHAZIA", "FARAH", "BUSHRA",
    "NAILA",  "SAMINA", "UZMA",    "KIRAN",  "ASMA",  "MARIA"};

#define N(a) (sizeof(a) / sizeof((a)[0]))
const unsigned sarhad__afg_surname_count = N(sarhad__afg_surnames);
const unsigned sarhad__afg_male_count = N(sarhad__afg_male);
const unsigned sarhad__afg_female_count = N(sarhad__afg_female);
const unsigned sarhad__pak_surname_count = N(sarhad__pak_surnames);
const unsigned sarhad__pak_male_count = N(sarhad__pak_male);
const unsigned sarhad__pak_female_count = N(sarhad__pak_female);
