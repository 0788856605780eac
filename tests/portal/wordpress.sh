#!/usr/bin/env bash
# A real WordPress (Debian 12 packages) on 127.0.0.1 for Newsroom's publish integration tests.
#
#   tests/portal/wordpress.sh start|stop|status|env|reset
#
# start   install the Debian packages if missing, create the site on first use, start a
#         private MariaDB and `php -S`, wait for /wp-json/ and print credentials.env
# stop    stop PHP and MariaDB (idempotent)
# status  exit 0 if the site is running and answering
# env     print credentials.env (NEWSROOM_WP_URL, NEWSROOM_WP_<ROLE>_USER/_PASSWORD…)
# reset   stop, then delete the state folder
#
# Environment: NEWSROOM_WP_PORT (default 8089), NEWSROOM_WP_STATE (default tests/portal/state),
# NEWSROOM_WP_WORKERS (default 4: how many requests `php -S` serves at once).
# Nothing outside the state folder is touched, except a lock (and, when the state path is
# long, the MariaDB socket) in /tmp/newsroom-wp-<hash>/. No systemd, no /etc/wordpress,
# no system MariaDB. See tests/portal/README.md.
set -euo pipefail

PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}"
PORTAL_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"

PACKAGES=(wordpress wordpress-theme-twentytwentythree mariadb-server mariadb-client
          php-cli php-mysql php-curl php-xml php-mbstring php-gd php-intl php-zip
          php-imagick curl)

PORT="${NEWSROOM_WP_PORT:-8089}"
# `php -S` is one process serving one request at a time unless PHP_CLI_SERVER_WORKERS
# forks workers; 4 lets the tests' concurrent uploads (and parallel test binaries) in at
# once, as a portal's PHP-FPM pool would. 1 is the single-threaded server.
WORKERS="${NEWSROOM_WP_WORKERS:-4}"
STATE="$(realpath -m -- "${NEWSROOM_WP_STATE:-$PORTAL_DIR/state}")"
URL="http://127.0.0.1:$PORT"

WP_DIR="$STATE/wordpress"
DB_DIR="$STATE/mysql"
LOG_DIR="$STATE/logs"
PID_DIR="$STATE/run"
MARKER="$STATE/.newsroom-wp-state"     # "this folder is ours": reset only wipes such a folder
INSTALLED="$STATE/.installed"
INSTANCE_ENV="$STATE/instance.env"     # DB password and WordPress salts, made once
CRED_ENV="$STATE/credentials.env"
CRED_JSON="$STATE/credentials.json"
DB_PID="$PID_DIR/mariadb.pid"
PHP_PID="$PID_DIR/php.pid"             # pid of `php -S`, which is also its process group id
PHP_PORT_FILE="$PID_DIR/php.port"

SOCK_NAME=/mariadb.sock
RUN_DIR="/tmp/newsroom-wp-$(printf '%s' "$STATE" | sha256sum | cut -c1-12)"
# A Unix socket path must stay short (108 bytes at most, counting the NUL).
if (( ${#PID_DIR} + ${#SOCK_NAME} <= 100 )); then
    SOCK="$PID_DIR$SOCK_NAME"
else
    SOCK="$RUN_DIR$SOCK_NAME"
fi

HTTP_TIMEOUT=60
DB_TIMEOUT=60

log() { printf 'wordpress.sh: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

tail_logs() {
    local f
    for f in "$@"; do
        [[ -s $f ]] || continue
        printf -- '----- last lines of %s -----\n' "$f" >&2
        # (php -S logs "Accepted"/"Closing" around each request: skip that noise)
        grep -v -E '\] [0-9.:]+ (Accepted|Closing)$' -- "$f" | tail -n 20 >&2 || true
    done
}

# Serialises start/stop/reset on one state folder. The servers are started with 9>&- so
# that they do not inherit (and hold) the lock.
lock() {
    mkdir -p -m 700 -- "$RUN_DIR"
    exec 9>"$RUN_DIR/lock"
    flock -w 300 9 || die "another wordpress.sh holds $RUN_DIR/lock"
}

validate() {
    [[ $PORT =~ ^[1-9][0-9]{0,4}$ ]] && (( PORT <= 65535 )) ||
        die "NEWSROOM_WP_PORT must be a TCP port number, got '$PORT'"
    [[ $WORKERS =~ ^[1-9][0-9]?$ ]] ||
        die "NEWSROOM_WP_WORKERS must be a number of workers from 1 to 99, got '$WORKERS'"
    [[ $STATE != / && $STATE != "${HOME:-/}" && $STATE != "$PORTAL_DIR" ]] ||
        die "refusing to use '$STATE' as the state folder"
    [[ $STATE != *[\'\\]* ]] || die "the state path must not contain quotes or backslashes"
}

make_state_dir() {
    if [[ -d $STATE && ! -e $MARKER && -n "$(ls -A -- "$STATE")" ]]; then
        die "$STATE exists, is not empty and was not made by wordpress.sh; pick another NEWSROOM_WP_STATE"
    fi
    mkdir -p -- "$STATE" "$LOG_DIR" "$PID_DIR" "$(dirname -- "$SOCK")"
    chmod 700 -- "$STATE"
    touch -- "$MARKER"
}

# ---------------------------------------------------------------- packages

package_installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed$'
}

ensure_packages() {
    local p missing=()
    for p in "${PACKAGES[@]}"; do
        package_installed "$p" || missing+=("$p")
    done
    (( ${#missing[@]} == 0 )) && return 0
    (( EUID == 0 )) || die "missing packages (${missing[*]}); run as root to install them"
    log "installing ${missing[*]} (log: $LOG_DIR/apt.log)"
    local apt=(apt-get -q -o DPkg::Lock::Timeout=600)
    if ! { DEBIAN_FRONTEND=noninteractive "${apt[@]}" update &&
           DEBIAN_FRONTEND=noninteractive "${apt[@]}" install -y --no-install-recommends "${PACKAGES[@]}"
         } >>"$LOG_DIR/apt.log" 2>&1; then
        tail_logs "$LOG_DIR/apt.log"
        die "apt-get failed"
    fi
    for p in "${PACKAGES[@]}"; do
        package_installed "$p" || die "package $p is still not installed after apt-get"
    done
}

# ---------------------------------------------------------------- processes

proc_alive() {  # proc_alive PID: the process exists and is not a zombie
    local stat
    stat="$(ps -o stat= -p "$1" 2>/dev/null)" || return 1
    [[ -n $stat && $stat != Z* ]]
}

group_alive() {  # group_alive PGID: some process of the group exists and is not a zombie
    ps -e -o pgid=,stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'
}

pid_alive() {  # pid_alive PIDFILE COMM-REGEX
    local pid
    [[ -s $1 ]] || return 1
    pid="$(<"$1")"
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    proc_alive "$pid" || return 1
    [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" =~ $2 ]]
}

db_running() { pid_alive "$DB_PID" '^(mariadbd|mysqld)$'; }
php_running() { pid_alive "$PHP_PID" '^php'; }

db_ping() {
    mariadb-admin --no-defaults --socket="$SOCK" --connect-timeout=2 ping >/dev/null 2>&1
}

http_code() {  # http_code PATH -> prints the status code (000 when nothing answers)
    curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$URL$1" 2>/dev/null || true
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

# ---------------------------------------------------------------- MariaDB

start_db() {
    if db_running && db_ping; then
        return 0
    fi
    db_running && die "MariaDB (pid $(<"$DB_PID")) runs but does not answer on $SOCK"
    rm -f -- "$SOCK" "$DB_PID"
    if [[ ! -d $DB_DIR/mysql ]]; then
        log "creating the MariaDB data folder"
        rm -rf -- "$DB_DIR" "$DB_DIR.tmp"
        if ! mariadb-install-db --no-defaults --user=root --datadir="$DB_DIR.tmp" \
                --auth-root-authentication-method=socket --skip-test-db \
                >>"$LOG_DIR/mariadb-install.log" 2>&1; then
            tail_logs "$LOG_DIR/mariadb-install.log"
            rm -rf -- "$DB_DIR.tmp"
            die "mariadb-install-db failed"
        fi
        mv -- "$DB_DIR.tmp" "$DB_DIR"
    fi
    setsid mariadbd --no-defaults --user=root --skip-networking \
        --datadir="$DB_DIR" --socket="$SOCK" --pid-file="$DB_PID" \
        --log-error="$LOG_DIR/mariadb.err" \
        --innodb-buffer-pool-size=64M --innodb-log-file-size=16M \
        --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
        --max-connections=50 --performance-schema=OFF --skip-name-resolve \
        </dev/null >>"$LOG_DIR/mariadb.out" 2>&1 9>&- &
    local pid=$! deadline=$((SECONDS + DB_TIMEOUT))
    until db_ping; do
        if ! proc_alive "$pid"; then
            tail_logs "$LOG_DIR/mariadb.err" "$LOG_DIR/mariadb.out"
            die "mariadbd exited during start-up"
        fi
        if (( SECONDS >= deadline )); then
            tail_logs "$LOG_DIR/mariadb.err"
            kill "$pid" 2>/dev/null || true
            die "MariaDB did not answer on $SOCK within ${DB_TIMEOUT}s"
        fi
        sleep 0.2
    done
    # mariadbd writes its pid file itself; make sure it is there for stop/status.
    [[ -s $DB_PID ]] || echo "$pid" >"$DB_PID"
}

stop_db() {
    if ! db_running; then
        rm -f -- "$DB_PID"
        return 0
    fi
    local pid deadline
    pid="$(<"$DB_PID")"
    log "stopping MariaDB (pid $pid)"
    mariadb-admin --no-defaults --socket="$SOCK" --connect-timeout=5 shutdown >/dev/null 2>&1 ||
        kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 60))
    while proc_alive "$pid"; do
        if (( SECONDS >= deadline )); then
            log "MariaDB ignores the shutdown; killing it"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    rm -f -- "$DB_PID"
}

db_sql() {
    mariadb --no-defaults --socket="$SOCK" --user=root --batch "$@"
}

# ---------------------------------------------------------------- WordPress files

random_secret() {  # 48 alphanumerics
    local s
    s="$(head -c 96 /dev/urandom | base64 -w0 | tr -dc 'A-Za-z0-9')"
    printf '%s' "${s:0:48}"
}

ensure_instance_env() {
    [[ -s $INSTANCE_ENV ]] && return 0
    local tmp="$INSTANCE_ENV.tmp" name
    (
        umask 077
        {
            echo "DB_PASSWORD=$(random_secret)"
            for name in AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY \
                        AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT; do
                echo "$name=$(random_secret)"
            done
        } >"$tmp"
    )
    mv -f -- "$tmp" "$INSTANCE_ENV"
}

copy_wordpress() {
    [[ -f $WP_DIR/wp-settings.php ]] && return 0
    local src=/usr/share/wordpress tmp="$WP_DIR.tmp" link rel target
    log "copying $src into the state folder"
    rm -rf -- "$tmp"
    cp -a -- "$src" "$tmp"
    # Debian's tree has symlinks (relative ones to /usr/share/php and /usr/share/javascript,
    # absolute ones to /etc): replace each by a copy of its target, or drop it if dangling.
    while IFS= read -r -d '' link; do
        rel="${link#"$tmp"/}"
        target="$(readlink -f -- "$src/$rel" || true)"
        rm -f -- "$link"
        [[ $rel == .htaccess ]] && continue      # Apache only
        if [[ -n $target && -d $target ]]; then
            cp -rL -- "$target" "$link"
        elif [[ -n $target && -f $target ]]; then
            cp -L -- "$target" "$link"
        fi
    done < <(find "$tmp" -type l -print0)
    rm -f -- "$tmp/wp-config.php"
    mkdir -p -- "$tmp/wp-content/uploads" "$tmp/wp-content/upgrade"
    mv -- "$tmp" "$WP_DIR"
}

write_wp_config() {
    local DB_PASSWORD AUTH_KEY SECURE_AUTH_KEY LOGGED_IN_KEY NONCE_KEY \
          AUTH_SALT SECURE_AUTH_SALT LOGGED_IN_SALT NONCE_SALT
    # shellcheck disable=SC1090
    source "$INSTANCE_ENV"
    local tmp="$WP_DIR/wp-config.php.tmp"
    (
        umask 077
        cat >"$tmp" <<PHP
<?php
// Generated by tests/portal/wordpress.sh on every start: edits are lost.
define('DB_NAME', 'wordpress');
define('DB_USER', 'wordpress');
define('DB_PASSWORD', '$DB_PASSWORD');
define('DB_HOST', 'localhost:$SOCK');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');

define('AUTH_KEY', '$AUTH_KEY');
define('SECURE_AUTH_KEY', '$SECURE_AUTH_KEY');
define('LOGGED_IN_KEY', '$LOGGED_IN_KEY');
define('NONCE_KEY', '$NONCE_KEY');
define('AUTH_SALT', '$AUTH_SALT');
define('SECURE_AUTH_SALT', '$SECURE_AUTH_SALT');
define('LOGGED_IN_SALT', '$LOGGED_IN_SALT');
define('NONCE_SALT', '$NONCE_SALT');

\$table_prefix = 'wp_';

define('WP_HOME', '$URL');
define('WP_SITEURL', '$URL');
// 'local' lets application passwords work over plain http.
define('WP_ENVIRONMENT_TYPE', 'local');

// Never print PHP notices into REST responses; log them in the state folder instead.
define('WP_DEBUG', false);
define('WP_DEBUG_DISPLAY', false);
@ini_set('display_errors', '0');
@ini_set('log_errors', '1');
@ini_set('error_log', '$LOG_DIR/php-error.log');

// Loopback only: no update checks, no calls to wordpress.org.
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('FS_METHOD', 'direct');

if (!defined('ABSPATH')) {
    define('ABSPATH', __DIR__ . '/');
}
require_once ABSPATH . 'wp-settings.php';
PHP
    )
    mv -f -- "$tmp" "$WP_DIR/wp-config.php"
}

PHP_INI=(-d upload_max_filesize=64M -d post_max_size=64M -d display_errors=0
         -d log_errors=1 -d "error_log=$LOG_DIR/php-error.log"
         -d sendmail_path=/bin/true -d memory_limit=256M)

setup_php() {  # setup_php MODE ARGS… : runs wp-setup.php, output in logs/setup.log
    if ! php "${PHP_INI[@]}" -d display_errors=stderr "$PORTAL_DIR/wp-setup.php" "$@" \
            </dev/null >>"$LOG_DIR/setup.log" 2>&1; then
        tail_logs "$LOG_DIR/setup.log" "$LOG_DIR/php-error.log"
        die "wp-setup.php $1 failed"
    fi
}

install_site() {
    [[ -e $INSTALLED ]] && return 0
    log "installing the site (first start)"
    local DB_PASSWORD
    DB_PASSWORD="$(sed -n 's/^DB_PASSWORD=//p' "$INSTANCE_ENV")"
    # Start from an empty database, so an interrupted first start can simply be retried.
    db_sql <<SQL || die "could not create the database"
DROP DATABASE IF EXISTS wordpress;
CREATE DATABASE wordpress CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
CREATE USER IF NOT EXISTS 'wordpress'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
ALTER USER 'wordpress'@'localhost' IDENTIFIED BY '$DB_PASSWORD';
GRANT ALL PRIVILEGES ON wordpress.* TO 'wordpress'@'localhost';
SQL
    rm -f -- "$CRED_JSON" "$CRED_ENV"
    setup_php install "$WP_DIR" "$URL"
    setup_php configure "$WP_DIR" "$URL" "$CRED_JSON"
    touch -- "$INSTALLED"
}

write_credentials() {
    setup_php credentials "$CRED_JSON" "$URL" "$CRED_ENV"
}

# ---------------------------------------------------------------- PHP web server

start_php() {
    port_in_use && die "port $PORT is already in use; set NEWSROOM_WP_PORT to a free port"
    rm -f -- "$PHP_PID"
    # `bash -c` records its own pid, which exec turns into php's: under setsid it is also
    # the id of the process group that holds php's worker processes.
    PHP_CLI_SERVER_WORKERS="$WORKERS" setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PHP_PID" \
        php "${PHP_INI[@]}" -S "127.0.0.1:$PORT" -t "$WP_DIR" "$PORTAL_DIR/router.php" \
        </dev/null >>"$LOG_DIR/php-server.log" 2>&1 9>&- &
    local pid=$! deadline=$((SECONDS + HTTP_TIMEOUT)) code=000
    echo "$PORT" >"$PHP_PORT_FILE"
    while :; do
        code="$(http_code /wp-json/)"
        [[ $code == 200 ]] && break
        if ! proc_alive "$pid"; then
            tail_logs "$LOG_DIR/php-server.log" "$LOG_DIR/php-error.log"
            die "php -S exited during start-up"
        fi
        if (( SECONDS >= deadline )); then
            tail_logs "$LOG_DIR/php-server.log" "$LOG_DIR/php-error.log" "$LOG_DIR/mariadb.err"
            printf -- '----- GET /wp-json/ answers -----\n%s\n' "$(curl -s --max-time 10 "$URL/wp-json/" |
                php -r 'echo substr(trim(preg_replace("/\s+/", " ", strip_tags(preg_replace(
                    "#<(head|style|script)\b.*?</\\1>#si", "", stream_get_contents(STDIN))))), 0, 400);')" >&2
            die "GET $URL/wp-json/ did not answer 200 within ${HTTP_TIMEOUT}s (last status: $code)"
        fi
        sleep 0.2
    done
}

stop_php() {
    if ! php_running; then
        rm -f -- "$PHP_PID" "$PHP_PORT_FILE"
        return 0
    fi
    local pgid deadline
    pgid="$(<"$PHP_PID")"
    log "stopping php -S (process group $pgid)"
    kill -TERM -- "-$pgid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while group_alive "$pgid"; do
        if (( SECONDS >= deadline )); then
            kill -KILL -- "-$pgid" 2>/dev/null || true
            break
        fi
        sleep 0.1
    done
    rm -f -- "$PHP_PID" "$PHP_PORT_FILE"
}

running_url() {
    local port
    port="$(cat "$PHP_PORT_FILE" 2>/dev/null || echo "$PORT")"
    echo "http://127.0.0.1:$port"
}

is_running() {
    db_running && php_running || return 1
    URL="$(running_url)"
    [[ "$(http_code /wp-json/)" == 200 ]]
}

# ---------------------------------------------------------------- commands

cmd_start() {
    lock
    make_state_dir
    if is_running && [[ -s $CRED_ENV ]]; then
        [[ $URL == "http://127.0.0.1:$PORT" ]] ||
            log "warning: already running at $URL (NEWSROOM_WP_PORT=$PORT ignored; stop first)"
        log "already running at $URL"
        cat -- "$CRED_ENV"
        return 0
    fi
    URL="http://127.0.0.1:$PORT"
    local t0=$SECONDS
    # A half-running instance (one process died): start from a clean slate.
    stop_php
    port_in_use && die "port $PORT is already in use; set NEWSROOM_WP_PORT to a free port"
    # Whatever goes wrong from here on, leave no server behind (the logs stay).
    trap 'log "start failed; stopping what was started (logs: $LOG_DIR)"; stop_php; stop_db' EXIT
    ensure_packages
    start_db
    ensure_instance_env
    copy_wordpress
    write_wp_config
    install_site
    write_credentials
    start_php
    trap - EXIT
    log "WordPress is up at $URL ($((SECONDS - t0))s); state in $STATE"
    cat -- "$CRED_ENV"
}

cmd_stop() {
    lock
    stop_php
    stop_db
    rm -f -- "$SOCK"
}

cmd_status() {
    if is_running; then
        echo "running at $URL (state: $STATE)"
        return 0
    fi
    local what=()
    db_running && what+=("MariaDB up")
    php_running && what+=("php -S up")
    echo "not running${what:+ (${what[*]})} (state: $STATE)"
    return 1
}

cmd_env() {
    [[ -s $CRED_ENV ]] || die "no $CRED_ENV yet: run '$0 start' first"
    cat -- "$CRED_ENV"
}

cmd_reset() {
    lock
    stop_php
    stop_db
    rm -f -- "$SOCK"
    if [[ -d $STATE ]]; then
        if [[ ! -e $MARKER && -n "$(ls -A -- "$STATE")" ]]; then
            die "$STATE was not made by wordpress.sh; not deleting it"
        fi
        log "deleting $STATE"
        rm -rf -- "$STATE"
    fi
}

main() {
    validate
    case "${1:-}" in
        start) cmd_start ;;
        stop) cmd_stop ;;
        status) cmd_status ;;
        env) cmd_env ;;
        reset) cmd_reset ;;
        *)
            echo "usage: $0 start|stop|status|env|reset" >&2
            exit 2
            ;;
    esac
}

main "$@"
