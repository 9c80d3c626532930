# The server JVM's memory flags, shared by bin/skiff (which runs with them) and bin/bench (whose
# `api --only memory` measures them). Sourced, not run. Sets the array MEMORY_FLAGS from SKIFF_JAVA_OPTS:
# a flag the user gives there wins over the default here.
# Measured on 2 cores (bench api --quick): the serial collector gives RSS 355 MiB instead of 509 MiB with G1's
# default sizing, and lower list and watch latencies (no concurrent GC threads competing for the two cores).
MEMORY_FLAGS=()
[[ "${SKIFF_JAVA_OPTS:-}" == *GC* ]] || MEMORY_FLAGS+=(-XX:+UseSerialGC)
[[ "${SKIFF_JAVA_OPTS:-}" == *-Xmx* || "${SKIFF_JAVA_OPTS:-}" == *MaxRAM* ]] || MEMORY_FLAGS+=(-Xmx512m)
