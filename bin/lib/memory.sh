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
# - Not C1 only: -XX:TieredStopAtLevel=1 saves ~60 MiB (code cache, C2 arenas, metaspace; RSS with 10,000 pods
#   613-620 -> 556 MiB) and C2's compile time, but its slower code made a list of 10,000 pods 4x slower (p50 1,244
#   vs 286 ms) and watch delivery to 1,000 watchers 4x slower (p50 179 vs 41 ms) on the quiet machine (session 6,
#   docs/benchmarks.md): not the default. SKIFF_JAVA_OPTS=-XX:TieredStopAtLevel=1 chooses it.
# - MALLOC_ARENA_MAX=2: glibc gives each thread that mallocs its own 64 MiB arena (SQLite, the JIT, zlib);
#   two arenas keep native fragments from spreading over dozens of them.
MEMORY_FLAGS=()
[[ "${SKIFF_JAVA_OPTS:-}" == *GC* ]] || MEMORY_FLAGS+=(-XX:+UseSerialGC)
[[ "${SKIFF_JAVA_OPTS:-}" == *-Xmx* || "${SKIFF_JAVA_OPTS:-}" == *MaxRAM* ]] || MEMORY_FLAGS+=(-Xmx384m)
[[ "${SKIFF_JAVA_OPTS:-}" == *StringDeduplication* ]] || MEMORY_FLAGS+=(-XX:+UseStringDeduplication)
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
