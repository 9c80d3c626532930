# The server JVM's memory flags, shared by bin/skiff (which runs with them) and bin/bench (whose
# `api --only memory` measures them: see docs/benchmarks.md, "Memory, session 5" and "Memory, session 6"). Sourced, not run.
# Sets the array MEMORY_FLAGS from SKIFF_JAVA_OPTS (a flag given there wins over the default here).
# - The serial collector: RSS 355 MiB instead of 509 MiB with G1's default sizing (bench api --quick, session 4),
#   and lower list and watch latencies (no concurrent GC threads competing for two cores).
# - A 384 MiB heap cap: the serial collector keeps whatever heap it grew to, so the cap is what RSS follows.
#   The live heap with 10,000 pods was ~150 MiB before session 5's trims (no nodes, the scheduler's retry queue
#   included); 384 MiB leaves the old generation (2/3 of the heap) room above it and the 22,000 ConfigMaps of
#   `bin/bench api`. The live set is ~125 MiB since session 6's informer compaction, but a 256 MiB cap still
#   thrashed (GC pauses for the whole minute after the creates, the backlog growing the live set to 238 MiB).
# - String deduplication: cached objects repeat the same strings (namespace, image, labels, tolerations) per pod;
#   the collector shares their byte arrays once they have survived a few collections.
# - C1 only (-XX:TieredStopAtLevel=1): no C2 compiler, so no C2 code in the code cache and no C2 arenas: NMT with
#   10,000 pods went from code 44 + compiler 14 + arena chunks 6 + metaspace 50 MiB to code 19 + metaspace 42 MiB,
#   RSS 613-620 -> 556 MiB (session 6). On two cores shared by the API server, scheduler and controllers, C2's
#   compile time cost more than its faster code gave back in the measured runs: server CPU per pod create
#   2.16 ms against 3.07-3.65 ms with C2 (same load class). Long-running peak throughput is what it gives up.
# - MALLOC_ARENA_MAX=2: glibc gives each thread that mallocs its own 64 MiB arena (SQLite, the JIT, zlib);
#   two arenas keep native fragments from spreading over dozens of them.
MEMORY_FLAGS=()
[[ "${SKIFF_JAVA_OPTS:-}" == *GC* ]] || MEMORY_FLAGS+=(-XX:+UseSerialGC)
[[ "${SKIFF_JAVA_OPTS:-}" == *-Xmx* || "${SKIFF_JAVA_OPTS:-}" == *MaxRAM* ]] || MEMORY_FLAGS+=(-Xmx384m)
[[ "${SKIFF_JAVA_OPTS:-}" == *StringDeduplication* ]] || MEMORY_FLAGS+=(-XX:+UseStringDeduplication)
[[ "${SKIFF_JAVA_OPTS:-}" == *Tiered* ]] || MEMORY_FLAGS+=(-XX:TieredStopAtLevel=1)
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
