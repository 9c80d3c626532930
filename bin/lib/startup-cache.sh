# bin/skiff's start-up cache: a JDK AOT cache (-XX:AOTCacheOutput / -XX:AOTCache) for `skiff server`, made by a
# training run that exits normally. Sourced by bin/skiff after lib/common.sh, not run.

# startup_cache_stamp JAR JVM_FLAGS...: what the cache was made from (the jar's size and time, the JDK, the flags);
# a cache with another stamp is stale.
startup_cache_stamp() {
  local jar="$1"; shift
  printf '%s|%s|%s|%s\n' "$(stat -c '%s %Y' "$jar")" "$JAVA_HOME" \
    "$(grep -s '^JAVA_RUNTIME_VERSION=' "$JAVA_HOME/release")" "$*"
}

# ensure_startup_cache CACHE JAR JVM_FLAGS...: returns 0 when CACHE is current for JAR, this JDK and these JVM flags,
# making it first if needed with a training run (`skiff server --training-run` on a temporary data dir and port, which
# serves a few requests, stops and exits 0: the JVM then writes the cache). Returns 1 when there is no usable cache;
# a training run that failed is not retried until the jar, the JDK or the flags change.
ensure_startup_cache() {
  local cache="$1" jar="$2"; shift 2
  local stamp; stamp="$(startup_cache_stamp "$jar" "$@")"
  if [[ -s "$cache" && "$cache" -nt "$jar" && "$(cat "$cache.stamp" 2>/dev/null)" == "$stamp" ]]; then
    return 0
  fi
  if [[ "$(cat "$cache.failed" 2>/dev/null)" == "$stamp" ]]; then
    return 1
  fi
  # a checkout another user owns: run without a cache rather than train at every start
  [[ -w "$(dirname "$cache")" ]] || return 1
  # older bin/skiff versions wrote class-data archives at exit (-XX:+AutoCreateSharedArchive)
  rm -f "$cache" "$cache.stamp" "$(dirname "$cache")"/skiff-*.jsa
  say "preparing a start-up cache (once per build of Skiff, about 20 s)..."
  local work tmp="$cache.$$.tmp" rc=0
  work="$(mktemp -d "${TMPDIR:-/tmp}/skiff-training.XXXXXX")" || return 1
  timeout 600 "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
    "$@" -XX:AOTCacheOutput="$tmp" -jar "$jar" server --training-run --data-dir "$work/data" --disable-agent \
    --https-listen-port 0 --bind-address 127.0.0.1 >"$cache.log" 2>&1 </dev/null || rc=$?
  rm -rf "$work"
  if ((rc == 0)) && [[ -s "$tmp" ]]; then
    printf '%s\n' "$stamp" >"$cache.stamp" && mv -f "$tmp" "$cache" && rm -f "$cache.failed" && return 0
  fi
  rm -f "$tmp" "$tmp.config"
  printf '%s\n' "$stamp" >"$cache.failed"
  say "starting without the start-up cache (the training run's log: $cache.log)"
  return 1
}
