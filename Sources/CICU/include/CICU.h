// CICU: a small C shim over ICU.
//
// ICU's C API renames every function with a version suffix through macros
// (u_strToLower becomes u_strToLower_72), which Swift cannot import. These
// plain xs_icu_* functions wrap exactly what Xinsheng needs. The header does
// not include any ICU header, so nothing version-specific leaks into Swift.
// UTF-16 buffers are uint16_t; status codes are ICU UErrorCode values
// (0 = success, < 0 = warning, > 0 = failure).
#ifndef XINSHENG_CICU_H
#define XINSHENG_CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// ICU's version string, e.g. "72.1".
const char *xs_icu_version(void);

/// A stable name for an ICU status code, e.g. "U_BUFFER_OVERFLOW_ERROR".
const char *xs_icu_error_name(int32_t status);

// MARK: Normalisation and character properties

/// NFKC-normalises `src` into `dest`; returns the length needed (may exceed `capacity`).
int32_t xs_icu_nfkc(const uint16_t *src, int32_t length, uint16_t *dest, int32_t capacity, int32_t *status);

/// 1 when NFKC never combines `c` with the character before it.
int32_t xs_icu_nfkc_has_boundary_before(uint32_t c);

/// 1 when NFKC never combines `c` with the character after it.
int32_t xs_icu_nfkc_has_boundary_after(uint32_t c);

/// Simple (one-to-one) lower-case mapping of a code point.
uint32_t xs_icu_to_lower(uint32_t c);

/// ICU's general category (UCharCategory) of a code point.
int32_t xs_icu_char_type(uint32_t c);

/// ICU's script code (UScriptCode) of a code point.
int32_t xs_icu_script(uint32_t c);

/// 1 for Unicode white space.
int32_t xs_icu_is_white_space(uint32_t c);

/// 1 for Emoji_Presentation or Extended_Pictographic characters.
int32_t xs_icu_is_emoji(uint32_t c);

/// The UScriptCode value of Han, for comparisons on the Swift side.
int32_t xs_icu_script_han(void);
int32_t xs_icu_script_hiragana(void);
int32_t xs_icu_script_katakana(void);

/// 1 when `c` is in GB2312, the national standard set of Simplified
/// characters (so 著 and 俱 count as Simplified, 帳 and 戶 do not).
int32_t xs_icu_in_gb2312(uint32_t c);

// MARK: Character sets

/// Converts `length` bytes in the character set `from` (an ICU converter
/// name such as "GB18030") to UTF-8 in `dest`; returns the length needed
/// (may exceed `capacity`). Bytes that are not valid in `from` become U+FFFD.
int32_t xs_icu_convert_to_utf8(const char *from, const char *src, int32_t length, char *dest, int32_t capacity, int32_t *status);

// MARK: Transliteration

typedef struct XSTransliterator XSTransliterator;

/// Opens a transliterator by id, e.g. "Traditional-Simplified". NULL on failure.
XSTransliterator *xs_icu_transliterator_open(const char *identifier, int32_t *status);

/// Transliterates `buffer[0..<length]` in place; returns the new length
/// (which may exceed `capacity`, then the status is an overflow error).
int32_t xs_icu_transliterate(XSTransliterator *transliterator, uint16_t *buffer, int32_t length, int32_t capacity, int32_t *status);

void xs_icu_transliterator_close(XSTransliterator *transliterator);

// MARK: Word break iteration (the raw ICU baseline)

typedef struct XSWordBreaker XSWordBreaker;

/// Opens an ICU word break iterator for a locale such as "zh". NULL on failure.
XSWordBreaker *xs_icu_word_breaker_open(const char *locale, int32_t *status);

/// Points the iterator at `text` (which must stay alive while iterating).
void xs_icu_word_breaker_set_text(XSWordBreaker *breaker, const uint16_t *text, int32_t length, int32_t *status);

/// Writes up to `capacity` boundary offsets (the first is 0); returns how many there are.
int32_t xs_icu_word_breaker_boundaries(XSWordBreaker *breaker, int32_t *boundaries, int32_t capacity);

/// Counts the boundaries without storing them (for benchmarks).
int32_t xs_icu_word_breaker_count(XSWordBreaker *breaker);

void xs_icu_word_breaker_close(XSWordBreaker *breaker);

// MARK: ICU's CJK word dictionary

typedef struct XSWordDictionary XSWordDictionary;

/// Opens the CJK word dictionary that ICU's own word break iterator uses
/// (brkitr/cjdict, a UCharsTrie whose values are word costs). NULL on failure.
XSWordDictionary *xs_icu_cjk_dictionary_open(int32_t *status);

/// Finds the dictionary words that start at `text[0]`: writes their lengths
/// (ascending) and costs, up to `capacity`, never looking past `maxLength`
/// units; returns the number written.
int32_t xs_icu_cjk_dictionary_prefixes(const XSWordDictionary *dictionary, const uint16_t *text, int32_t maxLength, int32_t *lengths, int32_t *costs, int32_t capacity);

void xs_icu_cjk_dictionary_close(XSWordDictionary *dictionary);

#ifdef __cplusplus
}
#endif

#endif
