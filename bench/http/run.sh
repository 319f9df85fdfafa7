#!/usr/bin/env bash
# The HTTP benchmark (docs/performance.md): the same hello endpoint unprotected, behind
# keygate-filter.jar and behind MicroProfile JWT, on one Payara Micro with keygate.war, measured with wrk in
# alternating rounds. From the project root:
#
#   bench/http/run.sh
#
# It builds what it needs, installs wrk if missing (Debian package), starts the server on 127.0.0.1, checks
# every endpoint answers as it should, warms up, measures, prints the figures and stops the server.
# Knobs (environment): BENCH_PORT (18080), BENCH_ROUNDS (5), BENCH_DURATION (15, seconds per wrk run),
# BENCH_WARMUP (30, seconds per endpoint), BENCH_THREADS (2), BENCH_CONNECTIONS (32),
# BENCH_JAVA_OPTS (-Xms1g -Xmx1g), BENCH_JFR (unset; "profile" or a .jfc file: after the rounds, one more
# wrk run per endpoint under a JFR recording, written to bench-run/jfr/<endpoint>.jfr, not in the figures).
set -euo pipefail
cd "$(dirname "$0")/../.."

PORT=${BENCH_PORT:-18080}
ROUNDS=${BENCH_ROUNDS:-5}
DURATION=${BENCH_DURATION:-15}
# 30 s per endpoint: with 10 s, every endpoint's first round was its slowest (C2 still compiling), and the
# checks' refused requests keep the filter's brute-force throttle armed for 127.0.0.1 for its 60 s window, so
# that the first Keygate round measured its slower path. 90 s of warm-up in all covers both.
WARMUP=${BENCH_WARMUP:-30}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms1g -Xmx1g}
JFR=${BENCH_JFR:-}

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
    mvn -B -ntp -Pbench-http -DskipTests package -pl "$MODULE" -am > "$TARGET/build.log" 2>&1 \
        || { tail -n 40 "$TARGET/build.log" >&2; die "the build failed; see $TARGET/build.log"; }
    rm -rf "$RUN"
    mkdir -p "$RUN/apps" "$RUN/tmp" "$RUN/wrk" "$RUN/jfr"
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
    local jfr_boot=()
    [ -z "$JFR" ] || jfr_boot=("-XX:StartFlightRecording=name=boot,duration=5s,settings=$JFR")
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    KEYGATE_ADMIN_TOKEN=$ADMIN_TOKEN KEYGATE_DATA_DIR=$RUN/keygate-data \
        java $JAVA_OPTS "${jfr_boot[@]}" -Djava.io.tmpdir="$RUN/tmp" \
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

# CPU time (user + system, in clock ticks) the server process has used so far.
server_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() {
    local name round i ticks
    log "warming up, ${WARMUP} s per endpoint"
    for name in "${NAMES[@]}"; do run_wrk "$name" "$WARMUP" "$RUN/wrk/warmup-$name.txt"; done
    # Alternating rounds; each round starts one endpoint further on, so none is always first or last.
    for round in $(seq "$ROUNDS"); do
        for i in 0 1 2; do
            name=${NAMES[$(((round - 1 + i) % 3))]}
            log "round $round/$ROUNDS: $name, ${DURATION} s"
            ticks=$(server_ticks)
            run_wrk "$name" "$DURATION" "$RUN/wrk/round$round-$name.txt"
            ticks=$(($(server_ticks) - ticks))
            # Columns: endpoint, round, req/s, p50 ms, p99 ms, server CPU µs per request. The last one is what
            # the server itself spent, whatever else ran on the machine: the steadiest figure on a shared host.
            awk -v n="$name" -v r="$round" -v ticks="$ticks" -v hz="$(getconf CLK_TCK)" '/^BENCH-RESULT/ {
                    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
                    printf "%s %d %.1f %.3f %.3f %.1f\n", n, r, f["requests"] / (f["duration_us"] / 1e6),
                        f["p50_us"] / 1000, f["p99_us"] / 1000, ticks / hz * 1e6 / f["requests"] }' \
                "$RUN/wrk/round$round-$name.txt" >> "$RUN/rounds.txt"
        done
    done
}

# BENCH_JFR: one more run per endpoint under a JFR recording (jcmd JFR.start/JFR.stop around wrk), outside the
# figures. JFR itself was started with the server (see start_server): started later, it re-instruments JDK
# classes and the deoptimised code makes the profiled runs several times slower than the measured ones.
profile() {
    [ -n "$JFR" ] || return 0
    local name
    for name in "${NAMES[@]}"; do
        log "profiling $name with JFR ($JFR), ${DURATION} s"
        jcmd "$SERVER_PID" JFR.start name="$name" settings="$JFR" >/dev/null
        sleep 2
        run_wrk "$name" "$DURATION" "$RUN/wrk/jfr-$name.txt"
        jcmd "$SERVER_PID" JFR.stop name="$name" filename="$PWD/$RUN/jfr/$name.jfr" >/dev/null
    done
    log "JFR recordings in $RUN/jfr/, e.g.: jfr print --events jdk.ExecutionSample $RUN/jfr/keygate.jfr"
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
    local name rps p50 p99 cpu per_round
    declare -A RPS P50 P99 CPU
    {
        echo "Keygate HTTP benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $(revision)"
        echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), shared by wrk and the server; $(java -version 2>&1 | head -1)"
        echo "Load average before the server started: $LOAD_BEFORE; other JVMs on the machine during the run: $OTHER_JVMS"
        echo "wrk -t$THREADS -c$CONNECTIONS, $ROUNDS alternating rounds of ${DURATION} s after ${WARMUP} s warm-up each; GET /api/hello (JAX-RS) -> 200 {\"hello\":\"world\"}"
        echo
        printf '| %-11s | %14s | %8s | %8s | %-37s | %13s |\n' endpoint "req/s (median)" "p50 ms" "p99 ms" \
            "req/s per round" "server µs/req"
        printf '|%s|%s:|%s:|%s:|%s|%s:|\n' "-------------" "---------------" "---------" "---------" \
            "---------------------------------------" "--------------"
        for name in "${NAMES[@]}"; do
            rps=$(awk -v n="$name" '$1 == n { print $3 }' "$RUN/rounds.txt" | median)
            p50=$(awk -v n="$name" '$1 == n { print $4 }' "$RUN/rounds.txt" | median)
            p99=$(awk -v n="$name" '$1 == n { print $5 }' "$RUN/rounds.txt" | median)
            cpu=$(awk -v n="$name" '$1 == n { print $6 }' "$RUN/rounds.txt" | median)
            per_round=$(awk -v n="$name" '$1 == n { printf "%s%.0f", sep, $3; sep = " / " }' "$RUN/rounds.txt")
            RPS[$name]=$rps P50[$name]=$p50 P99[$name]=$p99 CPU[$name]=$cpu
            printf '| %-11s | %14.0f | %8.2f | %8.2f | %-37s | %13.1f |\n' "$name" "$rps" "$p50" "$p99" \
                "$per_round" "$cpu"
        done
        echo
        awk -v ku="${RPS[keygate]}" -v uu="${RPS[unprotected]}" -v km="${RPS[mpjwt]}" \
            -v k99="${P99[keygate]}" -v u99="${P99[unprotected]}" 'BEGIN {
            printf "keygate / unprotected throughput: %.2f  (target >= 0.95, aim 0.98)\n", ku / uu
            printf "keygate p99 / unprotected p99:    %.2f  (target <= 1.2)\n", k99 / u99
            printf "keygate / mp-jwt throughput:      %.2f  (target >= 1.5)\n", ku / km }'
        # The same ratios round by round: the two endpoints of one round ran within a minute of each other, so
        # a ratio of the same round is less exposed to the machine's load changing than a ratio of medians.
        awk '{ rps[$1, $2] = $3; p99[$1, $2] = $5; cpu[$1, $2] = $6; if ($2 > rounds) rounds = $2 }
            END { for (r = 1; r <= rounds; r++) {
                printf "%.3f %.3f %.2f\n", rps["keygate", r] / rps["unprotected", r],
                    p99["keygate", r] / p99["unprotected", r], cpu["keygate", r] - cpu["unprotected", r] } }' \
            "$RUN/rounds.txt" > "$RUN/paired.txt"
        per_round() { awk -v c="$1" -v f="$2" '{ printf "%s" f, sep, $c; sep = " / " }' "$RUN/paired.txt"; }
        printf 'per round, keygate / unprotected: throughput %s (median %.2f); p99 %s (median %.2f)\n' \
            "$(per_round 1 %.2f)" "$(cut -d' ' -f1 "$RUN/paired.txt" | median)" \
            "$(per_round 2 %.2f)" "$(cut -d' ' -f2 "$RUN/paired.txt" | median)"
        awk -v k="${CPU[keygate]}" -v u="${CPU[unprotected]}" 'BEGIN {
            printf "server CPU per request: keygate %.1f µs, unprotected %.1f µs (medians)\n", k, u }'
        printf 'Keygate adds, per round: %s µs of server CPU per request (median %.1f)\n' \
            "$(per_round 3 %.1f)" "$(cut -d' ' -f3 "$RUN/paired.txt" | median)"
        echo
        echo "(p50, p99 and server µs/req are the medians of the rounds' values; server µs/req is the server's CPU time"
        echo " (user + system, /proc) over the requests of the round, wrk's own CPU not included; raw wrk output in $RUN/wrk/)"
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
profile
other_jvms
stop_server
report
