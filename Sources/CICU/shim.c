#include "CICU.h"

#include <stdlib.h>
#include <unicode/ubrk.h>
#include <unicode/ucnv.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>

const char *xs_icu_version(void) { return U_ICU_VERSION; }

const char *xs_icu_error_name(int32_t status) { return u_errorName((UErrorCode)status); }

static const UNormalizer2 *nfkc_instance(void) {
    UErrorCode status = U_ZERO_ERROR;
    return unorm2_getNFKCInstance(&status);
}

int32_t xs_icu_nfkc(const uint16_t *src, int32_t length, uint16_t *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&code);
    if (U_FAILURE(code)) { *status = code; return 0; }
    int32_t result = unorm2_normalize(nfkc, (const UChar *)src, length, (UChar *)dest, capacity, &code);
    *status = code;
    return result;
}

int32_t xs_icu_nfkc_has_boundary_before(uint32_t c) {
    const UNormalizer2 *nfkc = nfkc_instance();
    return nfkc ? (unorm2_hasBoundaryBefore(nfkc, (UChar32)c) ? 1 : 0) : 1;
}

int32_t xs_icu_nfkc_has_boundary_after(uint32_t c) {
    const UNormalizer2 *nfkc = nfkc_instance();
    return nfkc ? (unorm2_hasBoundaryAfter(nfkc, (UChar32)c) ? 1 : 0) : 1;
}

uint32_t xs_icu_to_lower(uint32_t c) { return (uint32_t)u_tolower((UChar32)c); }

int32_t xs_icu_char_type(uint32_t c) { return (int32_t)u_charType((UChar32)c); }

int32_t xs_icu_script(uint32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript((UChar32)c, &status);
    return U_FAILURE(status) ? -1 : (int32_t)script;
}

int32_t xs_icu_is_white_space(uint32_t c) { return u_isUWhiteSpace((UChar32)c) ? 1 : 0; }

int32_t xs_icu_is_emoji(uint32_t c) {
    return (u_hasBinaryProperty((UChar32)c, UCHAR_EMOJI_PRESENTATION) ||
            u_hasBinaryProperty((UChar32)c, UCHAR_EXTENDED_PICTOGRAPHIC)) ? 1 : 0;
}

int32_t xs_icu_script_han(void) { return USCRIPT_HAN; }
int32_t xs_icu_script_hiragana(void) { return USCRIPT_HIRAGANA; }
int32_t xs_icu_script_katakana(void) { return USCRIPT_KATAKANA; }

int32_t xs_icu_in_gb2312(uint32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter *converter = ucnv_open("GB2312", &status);
    if (U_FAILURE(status)) return 0;
    ucnv_setFromUCallBack(converter, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &status);
    UChar units[2];
    int32_t length = 0;
    if (c < 0x10000) { units[0] = (UChar)c; length = 1; }
    else { units[0] = (UChar)(0xD7C0 + (c >> 10)); units[1] = (UChar)(0xDC00 | (c & 0x3FF)); length = 2; }
    char bytes[8];
    status = U_ZERO_ERROR;
    ucnv_fromUChars(converter, bytes, sizeof bytes, units, length, &status);
    ucnv_close(converter);
    return U_SUCCESS(status) ? 1 : 0;
}

struct XSTransliterator { UTransliterator *icu; };

XSTransliterator *xs_icu_transliterator_open(const char *identifier, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    UChar id[128];
    int32_t n = 0;
    for (; identifier[n] != 0 && n < 127; n++) id[n] = (UChar)(unsigned char)identifier[n];
    UTransliterator *icu = utrans_openU(id, n, UTRANS_FORWARD, NULL, 0, NULL, &code);
    if (U_FAILURE(code) || icu == NULL) { *status = U_FAILURE(code) ? code : U_INTERNAL_PROGRAM_ERROR; return NULL; }
    XSTransliterator *result = malloc(sizeof(XSTransliterator));
    if (result == NULL) { utrans_close(icu); *status = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    result->icu = icu;
    *status = U_ZERO_ERROR;
    return result;
}

int32_t xs_icu_transliterate(XSTransliterator *transliterator, uint16_t *buffer, int32_t length, int32_t capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    int32_t textLength = length;
    int32_t limit = length;
    utrans_transUChars(transliterator->icu, (UChar *)buffer, &textLength, capacity, 0, &limit, &code);
    *status = code;
    return textLength;
}

void xs_icu_transliterator_close(XSTransliterator *transliterator) {
    if (transliterator == NULL) return;
    utrans_close(transliterator->icu);
    free(transliterator);
}

struct XSWordBreaker { UBreakIterator *icu; };

XSWordBreaker *xs_icu_word_breaker_open(const char *locale, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    UBreakIterator *icu = ubrk_open(UBRK_WORD, locale, NULL, 0, &code);
    if (U_FAILURE(code) || icu == NULL) { *status = U_FAILURE(code) ? code : U_INTERNAL_PROGRAM_ERROR; return NULL; }
    XSWordBreaker *result = malloc(sizeof(XSWordBreaker));
    if (result == NULL) { ubrk_close(icu); *status = U_MEMORY_ALLOCATION_ERROR; return NULL; }
    result->icu = icu;
    *status = U_ZERO_ERROR;
    return result;
}

void xs_icu_word_breaker_set_text(XSWordBreaker *breaker, const uint16_t *text, int32_t length, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    ubrk_setText(breaker->icu, (const UChar *)text, length, &code);
    *status = code;
}

int32_t xs_icu_word_breaker_boundaries(XSWordBreaker *breaker, int32_t *boundaries, int32_t capacity) {
    int32_t count = 0;
    for (int32_t p = ubrk_first(breaker->icu); p != UBRK_DONE; p = ubrk_next(breaker->icu)) {
        if (count < capacity) boundaries[count] = p;
        count++;
    }
    return count;
}

int32_t xs_icu_word_breaker_count(XSWordBreaker *breaker) {
    int32_t count = 0;
    for (int32_t p = ubrk_first(breaker->icu); p != UBRK_DONE; p = ubrk_next(breaker->icu)) count++;
    return count;
}

void xs_icu_word_breaker_close(XSWordBreaker *breaker) {
    if (breaker == NULL) return;
    ubrk_close(breaker->icu);
    free(breaker);
}

int32_t xs_icu_convert_to_utf8(const char *from, const char *src, int32_t length, char *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    int32_t result = ucnv_convert("UTF-8", from, dest, capacity, src, length, &code);
    *status = code;
    return result;
}
