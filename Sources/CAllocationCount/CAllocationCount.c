// Counts Swift heap-object allocations through the runtime's instrumentation hook: libswiftCore exports the
// function pointer `_swift_allocObject`, which `swift_allocObject` calls instead of its own implementation while
// `_swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly` is set. Weak references, so a
// runtime without them leaves counting unavailable instead of failing to link.
#include "CAllocationCount.h"

#include <stdatomic.h>
#include <stddef.h>

typedef void *(*AllocateObject)(const void *metadata, size_t size, size_t alignmentMask);

extern AllocateObject _swift_allocObject __attribute__((weak));
extern bool _swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly __attribute__((weak));

static AllocateObject runtimeAllocate;
static _Atomic unsigned long long allocations;

static void *countingAllocate(const void *metadata, size_t size, size_t alignmentMask) {
    atomic_fetch_add_explicit(&allocations, 1, memory_order_relaxed);
    return runtimeAllocate(metadata, size, alignmentMask);
}

bool resonance_allocation_count_start(void) {
    if (&_swift_allocObject == NULL || &_swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly == NULL) {
        return false;
    }
    atomic_store_explicit(&allocations, 0, memory_order_relaxed);
    runtimeAllocate = _swift_allocObject;
    _swift_allocObject = countingAllocate;
    _swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly = true;
    return true;
}

unsigned long long resonance_allocation_count_stop(void) {
    if (runtimeAllocate != NULL) {
        _swift_enableSwizzlingOfAllocationAndRefCountingFunctions_forInstrumentsOnly = false;
        _swift_allocObject = runtimeAllocate;
        runtimeAllocate = NULL;
    }
    return atomic_load_explicit(&allocations, memory_order_relaxed);
}
