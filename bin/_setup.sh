# Shared set-up for bin/serve and bin/test; sourced, not run.
# Idempotent: each step checks before it acts, so a second run is quick.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

apt_install() {
    # Installs the named Debian packages that are missing (needs root, as on the target machines).
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    say "Installing Debian packages: ${missing[*]}"
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    # Another apt-get or dpkg running on the machine holds the lock: wait for it (up to 10 minutes).
    local wait_for_lock=(-o DPkg::Lock::Timeout=600)
    $sudo apt-get "${wait_for_lock[@]}" update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get "${wait_for_lock[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

ensure_venv() {
    # $1: the requirements file to install. Re-installs only when it (or what it includes) changed.
    local requirements="$1"
    if [ ! -x "$PY" ]; then
        say "Creating the virtual environment in .venv"
        python3 -m venv "$VENV" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$VENV"; }
    fi
    local stamp="$VENV/.installed-$(basename "$requirements")"
    local digest
    digest="$(cat "$requirements" requirements.txt | sha256sum | cut -d' ' -f1)"
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
        say "Installing Python packages from $requirements"
        "$PY" -m pip install --quiet --disable-pip-version-check -r "$requirements"
        echo "$digest" > "$stamp"
    fi
}

prepare_database() {
    mkdir -p "${PORTAL_VAR_DIR:-$ROOT/var}"
    say "Applying database migrations"
    "$PY" manage.py migrate --no-input -v 0
}
