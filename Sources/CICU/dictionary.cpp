// Access to ICU's CJK word dictionary through ICU's public data and trie APIs.
//
// ICU's word break iterator segments Chinese with a dictionary of words and
// costs ("brkitr/cjdict": a header of int32 indexes followed by a
// UCharsTrie whose values are costs). Xinsheng runs its own lattice over the
// same dictionary so that domain lexicon terms can join it, instead of
// post-editing ICU's breaks. Only public ICU API is used: udata_open and
// icu::UCharsTrie.
#include "CICU.h"

#include <new>
#include <unicode/ucharstrie.h>
#include <unicode/udata.h>

namespace {
// Index slots of the dictionary header (ICU's documented dictionary data format).
enum { kIndexTrieOffset = 0, kIndexTrieType = 4, kIndexTransform = 5 };
enum { kTrieTypeMask = 7, kTrieTypeUChars = 1, kTrieHasValues = 8 };
}

struct XSWordDictionary {
    UDataMemory *memory;
    const char16_t *trie;
};

extern "C" XSWordDictionary *xs_icu_cjk_dictionary_open(int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    UDataMemory *memory = udata_open(U_ICUDATA_NAME "-brkitr", "dict", "cjdict", &code);
    if (U_FAILURE(code) || memory == nullptr) {
        *status = U_FAILURE(code) ? code : U_MISSING_RESOURCE_ERROR;
        return nullptr;
    }
    const int32_t *indexes = static_cast<const int32_t *>(udata_getMemory(memory));
    const int32_t type = indexes[kIndexTrieType];
    if ((type & kTrieTypeMask) != kTrieTypeUChars || (type & kTrieHasValues) == 0 || indexes[kIndexTransform] != 0) {
        udata_close(memory);
        *status = U_INVALID_FORMAT_ERROR;
        return nullptr;
    }
    XSWordDictionary *dictionary = new (std::nothrow) XSWordDictionary;
    if (dictionary == nullptr) {
        udata_close(memory);
        *status = U_MEMORY_ALLOCATION_ERROR;
        return nullptr;
    }
    dictionary->memory = memory;
    dictionary->trie = reinterpret_cast<const char16_t *>(reinterpret_cast<const char *>(indexes) + indexes[kIndexTrieOffset]);
    *status = U_ZERO_ERROR;
    return dictionary;
}

extern "C" int32_t xs_icu_cjk_dictionary_prefixes(const XSWordDictionary *dictionary, const uint16_t *text, int32_t maxLength,
                                                  int32_t *lengths, int32_t *costs, int32_t capacity) {
    icu::UCharsTrie trie(dictionary->trie);
    int32_t count = 0;
    for (int32_t i = 0; i < maxLength; i++) {
        const UStringTrieResult result = trie.next(static_cast<int32_t>(text[i]));
        if (USTRINGTRIE_HAS_VALUE(result) && count < capacity) {
            lengths[count] = i + 1;
            costs[count] = trie.getValue();
            count++;
        }
        if (!USTRINGTRIE_HAS_NEXT(result)) break;
    }
    return count;
}

extern "C" void xs_icu_cjk_dictionary_close(XSWordDictionary *dictionary) {
    if (dictionary == nullptr) return;
    udata_close(dictionary->memory);
    delete dictionary;
}
