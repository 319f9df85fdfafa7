#!/usr/bin/env bash
# The HTTP benchmark of issue 5 (docs/performance.md): the same hello endpoint unprotected, behind
# keygate-filter.jar and behind MicroProfile JWT, on one Payara Micro with keygate.war, measured with wrk in
# alternating rounds. From the project root:
#
#   bench/http/run.sh
#
# It builds what it needs, installs wrk if missing (Debian package), starts the server on 127.0.0.1, checks
# every endpoint answers as it should, warms up, measures, prints the figures and stops the server.
# Knobs (environment): BENCH_PORT (18080), BENCH_ROUNDS (3), BENCH_DURATION (15, seconds per wrk run),
# BENCH_WARMUP (10, seconds per endpoint), BENCH_THREADS (2), BENCH_CONNECTIONS (32),
# BENCH_JAVA_OPTS (-Xms1g -Xmx1g).
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${BENCH_PORT:-18080}
ROUNDS=${BENCH_ROUNDS:-3}
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-10}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms1g -Xmx1g}

MODULE=bench/http
TARGET=$MODULE/target
RUN=$TARGET/bench-run
BASE=http://127.0.0.1:$PORT
# Fixed bench values, never real secrets: the bootstrap global admin token and the JWT issuer.
ADMIN_TOKEN=bench-admin-token-0123456789abcdefghijklmnopqrstuvwxyz
ISSUER=https://bench.keygate.invalid

# The three copies of GET /api/hello; the WAR's file name is its context root.
NAMES=(unprotected keygate mpjwt)
declare -A URL=(
    [unprotected]=$BASE/unprotected/api/hello
    [keygate]=$BASE/keygate-protected/api/hello
    [mpjwt]=$BASE/mpjwt-protected/api/hello
)
declare -A BEARER=()

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] FAILED: %s\n' "$*" >&2; exit 1; }

install_tools() {
    command -v curl >/dev/null || die "curl is needed"
    command -v openssl >/dev/null || die "openssl is needed"
    command -v wrk >/dev/null && return
    log "installing wrk (Debian package)"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    $sudo apt-get install -y -q wrk >/dev/null 2>&1 \
        || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q wrk >/dev/null; } \
        || die "could not install wrk (apt-get install wrk)"
}

build() {
    log "building filter, keygate.war and the three hello WARs; fetching payara-micro.jar"
    mkdir -p "$TARGET"
    mvn -B -ntp -Pbench-http -Dmaven.test.skip=true package -pl "$MODULE" -am > "$TARGET/build.log" 2>&1 \
        || { tail -n 40 "$TARGET/build.log" >&2; die "the build failed; see $TARGET/build.log"; }
    rm -rf "$RUN"
    mkdir -p "$RUN/apps" "$RUN/tmp" "$RUN/wrk"
    cp "$TARGET/hello.war" "$RUN/apps/unprotected.war"
    cp "$TARGET/hello-keygate.war" "$RUN/apps/keygate-protected.war"
    cp "$TARGET/hello-mpjwt.war" "$RUN/apps/mpjwt-protected.war"
}

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# A fresh RSA key pair and an RS256 JWT with the claims MP-JWT requires, "groups": ["read"], valid for 1 hour.
make_jwt() {
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$RUN/jwt-key.pem" 2>/dev/null
    openssl pkey -in "$RUN/jwt-key.pem" -pubout -out "$RUN/jwt-public.pem"
    PUBLIC_KEY=$(grep -v -- '-----' "$RUN/jwt-public.pem" | tr -d '\n')
    local now header payload signature
    now=$(date +%s)
    header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
    payload=$(printf '{"iss":"%s","sub":"bench","upn":"bench","groups":["read"],"iat":%d,"exp":%d,"jti":"%s"}' \
        "$ISSUER" "$now" $((now + 3600)) "$(openssl rand -hex 16)" | b64url)
    signature=$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$RUN/jwt-key.pem" -binary | b64url)
    BEARER[mpjwt]="$header.$payload.$signature"
}

start_server() {
    if curl -s -o /dev/null "$BASE/" 2>/dev/null; then
        die "port $PORT is taken; set BENCH_PORT"
    fi
    # Plain HTTP on loopback only: the filter exempts loopback from its HTTPS requirement.
    echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1" \
        > "$RUN/preboot.asadmin"
    log "starting Payara Micro on $BASE (log: $RUN/server.log)"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    KEYGATE_ADMIN_TOKEN=$ADMIN_TOKEN KEYGATE_DATA_DIR=$RUN/keygate-data \
        java $JAVA_OPTS -Djava.io.tmpdir="$RUN/tmp" \
        -Dmp.jwt.verify.publickey="$PUBLIC_KEY" -Dmp.jwt.verify.issuer="$ISSUER" \
        -jar "$TARGET/bench-server/payara-micro.jar" \
        --nocluster --disablephonehome --port "$PORT" --prebootcommandfile "$RUN/preboot.asadmin" \
        --deploy "$TARGET/bench-server/keygate.war" \
        --deploy "$RUN/apps/unprotected.war" \
        --deploy "$RUN/apps/keygate-protected.war" \
        --deploy "$RUN/apps/mpjwt-protected.war" \
        > "$RUN/server.log" 2>&1 &
    SERVER_PID=$!
    trap stop_server EXIT
    trap 'exit 130' INT TERM
    local deadline=$((SECONDS + 240))
    until deployed; do
        kill -0 "$SERVER_PID" 2>/dev/null || die "the server stopped; see $RUN/server.log"
        [ $SECONDS -lt $deadline ] || die "the server was not up after 240 s; see $RUN/server.log"
        sleep 2
    done
    log "server up (${SECONDS} s into the run)"
}

# All four applications answer (until each is deployed, its context root is 404).
deployed() {
    [ "$(status "$BASE/keygate/api/v1/tenants" "$ADMIN_TOKEN")" = 200 ] \
        && [ "$(status "${URL[unprotected]}")" = 200 ] \
        && [ "$(status "${URL[keygate]}")" = 401 ] \
        && [ "$(status "${URL[mpjwt]}")" = 401 ]
}

stop_server() {
    [ -n "${SERVER_PID:-}" ] || return 0
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        log "stopping the server"
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 30); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 1; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
    fi
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}

# status URL [TOKEN]: the HTTP status of a GET, with the bearer token if given.
status() {
    local args=(-s -o /dev/null -w '%{http_code}' --max-time 10)
    [ -z "${2:-}" ] || args+=(-H "Authorization: Bearer $2")
    curl "${args[@]}" "$1" || true
}

# The tenant and read token the Keygate copy is called with, through the admin API.
make_keygate_token() {
    local admin=(-s --fail-with-body --max-time 30 -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json')
    curl "${admin[@]}" -X POST "$BASE/keygate/api/v1/tenants" -d '{"slug": "bench", "name": "Benchmark"}' >/dev/null \
        || die "could not create the tenant"
    local created
    created=$(curl "${admin[@]}" -X POST "$BASE/keygate/api/v1/tenants/bench/tokens" \
        -d '{"name": "wrk", "scopes": ["read"], "owner": "bench"}') || die "could not create the token"
    BEARER[keygate]=$(printf '%s' "$created" | grep -o '"token":"[^"]*"' | cut -d'"' -f4)
    [ -n "${BEARER[keygate]}" ] || die "no token in the answer: $created"
}

expect() { # expect WHAT ACTUAL EXPECTED
    [ "$2" = "$3" ] || die "$1: got $2, expected $3"
    log "  $1: $2"
}

# Before measuring anything: each protection really protects, and each copy answers 200 with the same body.
check_endpoints() {
    log "checking the endpoints"
    expect "unprotected, no token" "$(status "${URL[unprotected]}")" 200
    expect "keygate, no token" "$(status "${URL[keygate]}")" 401
    expect "keygate, the JWT" "$(status "${URL[keygate]}" "${BEARER[mpjwt]}")" 401
    expect "keygate, its token" "$(status "${URL[keygate]}" "${BEARER[keygate]}")" 200
    expect "mpjwt, no token" "$(status "${URL[mpjwt]}")" 401
    expect "mpjwt, the Keygate token" "$(status "${URL[mpjwt]}" "${BEARER[keygate]}")" 401
    expect "mpjwt, a JWT with a forged signature" "$(status "${URL[mpjwt]}" "${BEARER[mpjwt]%.*}.$(printf x | b64url)")" 401
    expect "mpjwt, its JWT" "$(status "${URL[mpjwt]}" "${BEARER[mpjwt]}")" 200
    local name
    for name in "${NAMES[@]}"; do
        auth_header "$name"
        expect "$name body" "$(curl -s --max-time 10 "${AUTH[@]}" "${URL[$name]}")" '{"hello":"world"}'
    done
}

# auth_header NAME: AUTH becomes the curl/wrk options that send NAME's token (none for the unprotected copy).
auth_header() {
    AUTH=()
    [ -z "${BEARER[$1]:-}" ] || AUTH=(-H "Authorization: Bearer ${BEARER[$1]}")
}

# run_wrk NAME SECONDS OUT: one wrk run; fails unless every response was a 2xx and no socket failed.
run_wrk() {
    local name=$1 seconds=$2 out=$3
    auth_header "$name"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$MODULE/report.lua" "${AUTH[@]}" \
        "${URL[$name]}" > "$out" 2>&1 || die "wrk failed against $name; see $out"
    grep -q '^BENCH-RESULT ' "$out" || die "no result from wrk against $name; see $out"
    if grep -q 'Non-2xx' "$out" || ! grep -q 'non2xx=0 connect=0 read=0 write=0 timeout=0' "$out"; then
        die "not every response from $name was 200: $(grep -E 'Non-2xx|Socket errors|BENCH-RESULT' "$out" | tr '\n' ' ')"
    fi
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() {
    local name round i
    log "warming up, ${WARMUP} s per endpoint"
    for name in "${NAMES[@]}"; do run_wrk "$name" "$WARMUP" "$RUN/wrk/warmup-$name.txt"; done
    # Alternating rounds; each round starts one endpoint further on, so none is always first or last.
    for round in $(seq "$ROUNDS"); do
        for i in 0 1 2; do
            name=${NAMES[$(((round - 1 + i) % 3))]}
            log "round $round/$ROUNDS: $name, ${DURATION} s"
            run_wrk "$name" "$DURATION" "$RUN/wrk/round$round-$name.txt"
            awk -v n="$name" -v r="$round" '/^BENCH-RESULT/ {
                    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
                    printf "%s %d %.1f %.3f %.3f\n", n, r, f["requests"] / (f["duration_us"] / 1e6),
                        f["p50_us"] / 1000, f["p99_us"] / 1000 }' "$RUN/wrk/round$round-$name.txt" >> "$RUN/rounds.txt"
        done
    done
}

# The commit measured, and whether the working tree differed from it.
revision() {
    if ! git rev-parse --git-dir >/dev/null 2>&1; then
        echo "not a git checkout"
    elif git diff --quiet HEAD -- filter ejb 2>/dev/null; then
        echo "commit $(git rev-parse --short HEAD)"
    else
        echo "commit $(git rev-parse --short HEAD) with uncommitted changes in filter/ or ejb/"
    fi
}

report() {
    local name rps p50 p99 per_round
    declare -A RPS P50 P99
    {
        echo "Keygate HTTP benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(revision)"
        echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), shared by wrk and the server; $(java -version 2>&1 | head -1)"
        echo "Load average before the server started: $LOAD_BEFORE; other JVMs on the machine during the run: $OTHER_JVMS"
        echo "wrk -t$THREADS -c$CONNECTIONS, $ROUNDS alternating rounds of ${DURATION} s after ${WARMUP} s warm-up each; GET /api/hello (JAX-RS) -> 200 {\"hello\":\"world\"}"
        echo
        printf '| %-11s | %14s | %8s | %8s | %-26s |\n' endpoint "req/s (median)" "p50 ms" "p99 ms" "req/s per round"
        printf '|%s|%s:|%s:|%s:|%s|\n' "-------------" "---------------" "---------" "---------" "----------------------------"
        for name in "${NAMES[@]}"; do
            rps=$(awk -v n="$name" '$1 == n { print $3 }' "$RUN/rounds.txt" | median)
            p50=$(awk -v n="$name" '$1 == n { print $4 }' "$RUN/rounds.txt" | median)
            p99=$(awk -v n="$name" '$1 == n { print $5 }' "$RUN/rounds.txt" | median)
            per_round=$(awk -v n="$name" '$1 == n { printf "%s%.0f", sep, $3; sep = " / " }' "$RUN/rounds.txt")
            RPS[$name]=$rps P50[$name]=$p50 P99[$name]=$p99
            printf '| %-11s | %14.0f | %8.2f | %8.2f | %-26s |\n' "$name" "$rps" "$p50" "$p99" "$per_round"
        done
        echo
        awk -v ku="${RPS[keygate]}" -v uu="${RPS[unprotected]}" -v km="${RPS[mpjwt]}" \
            -v k99="${P99[keygate]}" -v u99="${P99[unprotected]}" 'BEGIN {
            printf "keygate / unprotected throughput: %.2f  (target >= 0.95, aim 0.98)\n", ku / uu
            printf "keygate p99 / unprotected p99:    %.2f  (target <= 1.2)\n", k99 / u99
            printf "keygate / mp-jwt throughput:      %.2f  (target >= 1.5)\n", ku / km }'
        echo
        echo "(p50 and p99 are the medians of the rounds' values; raw wrk output in $RUN/wrk/)"
    } | tee "$RUN/results.txt"
}

# Anything else running on these 2 cores shows in the figures: note it with them.
other_jvms() {
    local count
    count=$(pgrep -x java | grep -vxc "${SERVER_PID:-0}" || true)
    [ "$count" -le "$OTHER_JVMS" ] || OTHER_JVMS=$count
    [ "$count" -eq 0 ] || log "WARNING: $count other JVM(s) running on this machine; the figures will be noisy"
}

install_tools
build
make_jwt
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
OTHER_JVMS=0
start_server
other_jvms
make_keygate_token
check_endpoints
measure
other_jvms
stop_server
report
