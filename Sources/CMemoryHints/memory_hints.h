// CMemoryHints: a hint Swift cannot spell — ask for a cache line before it is read.
// Scoring a text reads a few hundred rows scattered over tens of megabytes of
// weights; asking for the rows a few ahead keeps several misses in flight.
#ifndef XINSHENG_MEMORY_HINTS_H
#define XINSHENG_MEMORY_HINTS_H

/// Starts loading the cache line holding `address` (for reading, kept in every cache level).
static inline void xs_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
