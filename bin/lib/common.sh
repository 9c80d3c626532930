# Shared by bin/skiff, bin/test and bin/bench: the JDK, Maven, and host packages Skiff needs.
# Sourced, not run.

SKIFF_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export JAVA_HOME="${SKIFF_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"

say() { printf 'skiff: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

# Fails with what to install when the JDK or Maven is missing.
require_build_tools() {
  [[ -x "$JAVA_HOME/bin/java" ]] || die "Java 25 is missing: expected Temurin 25 at $JAVA_HOME.
  Install it (https://adoptium.net/installation/linux/: apt-get install -y temurin-25-jdk after adding the Adoptium apt repository),
  or point SKIFF_JAVA_HOME at another JDK 25."
  command -v mvn >/dev/null || die "Maven is missing: apt-get install -y maven"
}

# ensure_packages PKG...: installs missing Debian packages when root on Debian/Ubuntu,
# otherwise says exactly which command to run.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
    say "installing host packages: ${missing[*]} (apt-get, about 10-30 s)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/tmp/skiff-apt.log 2>&1 || {
      say "apt-get install failed; trying apt-get update first"
      DEBIAN_FRONTEND=noninteractive apt-get update -q >>/tmp/skiff-apt.log 2>&1
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >>/tmp/skiff-apt.log 2>&1 ||
        die "could not install ${missing[*]}; see /tmp/skiff-apt.log"
    }
  else
    die "missing host packages: ${missing[*]}. Install them with: sudo apt-get install -y ${missing[*]}"
  fi
}
