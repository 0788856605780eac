#!/usr/bin/env bash
# Smoke test of the local WordPress: starts it (tests/portal/wordpress.sh start) and checks,
# over real HTTP, that the credentials, roles and categories the publish tests rely on work.
# Leaves WordPress running; `tests/portal/wordpress.sh stop` stops it.
set -euo pipefail

PORTAL_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
WP="$PORTAL_DIR/wordpress.sh"

bash "$WP" start >/dev/null
set -a
# shellcheck disable=SC1090
source <(bash "$WP" env)
set +a
API="$NEWSROOM_WP_URL/wp-json/wp/v2"

TMP="$(mktemp -d)"
trap 'rm -rf -- "$TMP"' EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); printf 'ok   %s\n' "$1"; }
ko() { failed=$((failed + 1)); printf 'FAIL %s\n' "$1"; [[ -z ${2:-} ]] || printf '     %s\n' "$2"; }

# request USER PASSWORD METHOD PATH [JSON-BODY]: body in $TMP/body, status in $CODE
CODE=000
request() {
    local args=(-sS -o "$TMP/body" -w '%{http_code}' --max-time 30 -X "$3")
    [[ -n $1 ]] && args+=(-u "$1:$2")
    [[ -n ${5:-} ]] && args+=(-H 'Content-Type: application/json' --data-binary "$5")
    : >"$TMP/body"
    CODE="$(curl "${args[@]}" "$API$4")" || CODE=000
}

# json EXPR: evaluates the PHP expression EXPR on $d, the decoded body, and prints it
json() {
    php -r '$d = json_decode(file_get_contents($argv[1]), true); echo (function ($d) {
        return '"$1"'; })($d);' "$TMP/body" 2>/dev/null || true
}

body() { head -c 300 "$TMP/body"; }

# expect NAME EXPECTED-STATUS [PHP-EXPR EXPECTED-VALUE]
expect() {
    local name=$1 status=$2
    if [[ $CODE != "$status" ]]; then
        ko "$name" "HTTP $CODE, wanted $status: $(body)"
        return 1
    fi
    if [[ $# -ge 4 ]]; then
        local got
        got="$(json "$3")"
        if [[ $got != "$4" ]]; then
            ko "$name" "$3 = '$got', wanted '$4'"
            return 1
        fi
    fi
    ok "$name"
}

# --- every account's application password works and has its role
roles=(ADMIN:administrator EDITOR:editor AUTHOR:author AUTHOR2:author CONTRIBUTOR:contributor)
for pair in "${roles[@]}"; do
    key=${pair%%:*} role=${pair#*:}
    user_var="NEWSROOM_WP_${key}_USER" pass_var="NEWSROOM_WP_${key}_PASSWORD"
    request "${!user_var}" "${!pass_var}" GET '/users/me?context=edit'
    expect "users/me as ${!user_var} ($key) is 200 with role $role" 200 \
        'implode(",", $d["roles"] ?? [])' "$role" || true
done

request "$NEWSROOM_WP_EDITOR_USER" "$NEWSROOM_WP_EDITOR_PASSWORD" GET '/users/me?context=edit'
expect "editor's display name is Edith Moreau" 200 '$d["name"] ?? ""' 'Edith Moreau' || true

request "$NEWSROOM_WP_EDITOR_USER" "wrong-password" GET '/users/me?context=edit'
expect "a wrong application password gets 401 rest_not_logged_in" 401 '$d["code"] ?? ""' \
    rest_not_logged_in || true

# --- the ten portal categories, in creation order
request "" "" GET '/categories?per_page=100&orderby=id&order=asc&hide_empty=false'
expect "categories list the ten portal categories" 200 \
    'implode("|", array_values(array_filter(array_map(fn ($c) => html_entity_decode($c["name"]), $d),
        fn ($n) => $n !== "Uncategorized")))' \
    'Business|Entertainment|Environment|Health|News Analysis|Opinion|Science|Sports|Technology|World' ||
    true

# --- an author creates a draft, then deletes it for good
title="Newsroom smoke test $(date +%s)"
request "$NEWSROOM_WP_AUTHOR_USER" "$NEWSROOM_WP_AUTHOR_PASSWORD" POST /posts \
    "{\"title\":\"$title\",\"content\":\"<p>Kovač’s draft</p>\",\"status\":\"draft\"}"
post_id=""
if expect "author creates a draft (201)" 201 '$d["status"] ?? ""' draft; then
    post_id="$(json '$d["id"] ?? ""')"
fi
if [[ $post_id =~ ^[0-9]+$ ]]; then
    request "$NEWSROOM_WP_AUTHOR_USER" "$NEWSROOM_WP_AUTHOR_PASSWORD" DELETE "/posts/$post_id?force=true"
    expect "author deletes the draft with force=true (200, deleted)" 200 \
        'var_export($d["deleted"] ?? null, true)' true || true
    request "$NEWSROOM_WP_AUTHOR_USER" "$NEWSROOM_WP_AUTHOR_PASSWORD" GET "/posts/$post_id?context=edit"
    expect "the deleted draft is gone (404)" 404 '$d["code"] ?? ""' rest_post_invalid_id || true
else
    ko "author deletes the draft with force=true" "no post id to delete"
fi

# --- a contributor may not publish
request "$NEWSROOM_WP_CONTRIBUTOR_USER" "$NEWSROOM_WP_CONTRIBUTOR_PASSWORD" POST /posts \
    "{\"title\":\"$title (contributor)\",\"content\":\"x\",\"status\":\"publish\"}"
expect "contributor asking for publish gets 403 rest_cannot_publish" 403 '$d["code"] ?? ""' \
    rest_cannot_publish || true
if [[ $CODE == 201 ]]; then   # should never happen; do not leave it behind
    stray="$(json '$d["id"] ?? ""')"
    [[ -z $stray ]] || request "$NEWSROOM_WP_ADMIN_USER" "$NEWSROOM_WP_ADMIN_PASSWORD" DELETE \
        "/posts/$stray?force=true"
fi

echo "$passed passed, $failed failed"
(( failed == 0 ))
