#ifndef RESONANCE_CPREFETCH_H
#define RESONANCE_CPREFETCH_H

/// Asks the CPU to start loading the cache line at `address` for a read soon; never faults, changes nothing else.
static inline void resonance_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

#endif
