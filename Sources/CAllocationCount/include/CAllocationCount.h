#ifndef RESONANCE_CALLOCATIONCOUNT_H
#define RESONANCE_CALLOCATIONCOUNT_H

#include <stdbool.h>

/// Starts counting the Swift runtime's heap-object allocations (every class instance, array or dictionary buffer,
/// box and closure context), through the runtime's instrumentation hook for `swift_allocObject`. Returns false, and
/// counts nothing, where the hook is unavailable. Counting adds an indirect call to every allocation, retain and
/// release: measure allocations and time in separate runs.
bool resonance_allocation_count_start(void);

/// Stops counting (restoring the runtime's own allocator) and returns how many allocations were counted since the
/// matching start.
unsigned long long resonance_allocation_count_stop(void);

#endif
