#!/usr/bin/env bash
# Install the Debian packages Peyvand needs, only those missing.
#   scripts/install-debs.sh runtime   WeasyPrint's libraries
#   scripts/install-debs.sh test      runtime + PDF, serial, PostgreSQL and browser test tools
#   scripts/install-debs.sh venv      pythonX.Y-venv for $PYTHON (Debian's python lacks ensurepip)
# Idempotent: with everything installed it only runs dpkg-query (well under a second).
set -u

runtime=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
# dovecot-imapd: a real IMAP server for the inbound e-mail tests (marketing, MKT-07).
test=("${runtime[@]}" poppler-utils socat postgresql chromium chromium-driver libatomic1 dovecot-imapd)

case "${1:-}" in
  runtime) wanted=("${runtime[@]}") ;;
  test)    wanted=("${test[@]}") ;;
  venv)    wanted=("$("${PYTHON:-python3}" -c 'import sys; print("python%d.%d-venv" % sys.version_info[:2])')") ;;
  *) echo "usage: $0 runtime|test|venv" >&2; exit 2 ;;
esac

missing=()
for pkg in "${wanted[@]}"; do
  # `dpkg -s` succeeds for removed-but-not-purged packages too; ask for the real status.
  status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null)
  [ "$status" = installed ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-debs: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-debs: not root and no sudo; run as root:" >&2
  echo "  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi

"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2 \
  && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2 \
  || { echo "install-debs: apt-get failed for: ${missing[*]}" >&2; exit 1; }
