#!/usr/bin/env bash
# The cluster benchmark (docs/performance.md): protected throughput on server 1 of a two-server cluster against
# the same on a server alone, measured with wrk in alternating rounds. From the project root:
#
#   bench/http/cluster.sh
#
# Three Payara Micro servers on 127.0.0.1, each with keygate.war and the Keygate-protected hello WAR, on
# PostgreSQL (a fresh schema per setup, dropped at the end):
#   - "alone":     --nocluster, keygate.cluster.engine=none, its own schema;
#   - "clustered": server 1 of two servers sharing one schema, joined by Hazelcast on loopback (BENCH_ENGINE=
#                  hazelcast, the default) or each with --nocluster, knowing of the other through the database
#                  (BENCH_ENGINE=database). wrk loads server 1 only; server 2 is its idle peer.
# All three run during the whole benchmark, so whichever setup is measured, the others sit idle beside it.
# Knobs (environment): BENCH_ENGINE (hazelcast), BENCH_PORT (18090; the others take the next two), BENCH_ROUNDS
# (5), BENCH_DURATION (15), BENCH_WARMUP (30), BENCH_THREADS (2), BENCH_CONNECTIONS (32), BENCH_JAVA_OPTS
# (-Xms1g -Xmx1g), BENCH_PG (-h 127.0.0.1 -p 5432 -U postgres -d test: psql options of the database),
# BENCH_MVN_OPTS (extra Maven options for the build, e.g. -o).
set -euo pipefail
cd "$(dirname "$0")/../.."

ENGINE=${BENCH_ENGINE:-hazelcast}
PORT=${BENCH_PORT:-18090}
ROUNDS=${BENCH_ROUNDS:-5}
DURATION=${BENCH_DURATION:-15}
WARMUP=${BENCH_WARMUP:-30}
THREADS=${BENCH_THREADS:-2}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
JAVA_OPTS=${BENCH_JAVA_OPTS:--Xms1g -Xmx1g}
read -r -a PG <<< "${BENCH_PG:--h 127.0.0.1 -p 5432 -U postgres -d test}"
PG_HOST=127.0.0.1 PG_PORT=5432 PG_DB=test PG_USER=postgres
set -- "${PG[@]}"
while [ $# -gt 1 ]; do
    case $1 in -h) PG_HOST=$2 ;; -p) PG_PORT=$2 ;; -d) PG_DB=$2 ;; -U) PG_USER=$2 ;; esac
    shift 2
done

MODULE=bench/http
TARGET=$MODULE/target
RUN=$TARGET/cluster-run
# A fixed bench value, never a real secret: the bootstrap global admin token of every server.
ADMIN_TOKEN=bench-admin-token-0123456789abcdefghijklmnopqrstuvwxyz
STAMP=$(date +%s)
SCHEMA_ALONE=kg_bench_alone_$STAMP
SCHEMA_CLUSTER=kg_bench_cluster_$STAMP

SERVERS=(alone one two)
declare -A SERVER_PORT=([alone]=$PORT [one]=$((PORT + 1)) [two]=$((PORT + 2)))
declare -A PID=()
declare -A BEARER=()
# The two setups measured, and the server each loads.
NAMES=(alone clustered)
declare -A LOADED=([alone]=alone [clustered]=one)

log() { printf '[cluster-bench] %s\n' "$*" >&2; }
die() { printf '[cluster-bench] FAILED: %s\n' "$*" >&2; exit 1; }
base() { echo "http://127.0.0.1:${SERVER_PORT[$1]}"; }
url() { echo "$(base "$1")/keygate-protected/api/hello"; }
psql_run() { psql --no-password "${PG[@]}" -v ON_ERROR_STOP=1 -q -c "$1"; }

build() {
    log "building the filter, keygate.war and the hello WARs; fetching payara-micro.jar"
    mkdir -p "$TARGET"
    # shellcheck disable=SC2086 # BENCH_MVN_OPTS is a list of options
    mvn -B -ntp ${BENCH_MVN_OPTS:-} -Pbench-http -DskipTests package -pl "$MODULE" -am \
        > "$TARGET/build.log" 2>&1 || { tail -n 40 "$TARGET/build.log" >&2; die "the build failed; see $TARGET/build.log"; }
    rm -rf "$RUN"
    mkdir -p "$RUN/apps" "$RUN/wrk"
    cp "$TARGET/hello-keygate.war" "$RUN/apps/keygate-protected.war"
}

# start_server NAME SCHEMA CLUSTER-OPTION...: one Payara Micro, returns at once.
start_server() {
    local name=$1 schema=$2 engine_env=$3
    shift 3
    local home=$RUN/$name port=${SERVER_PORT[$name]}
    mkdir -p "$home/tmp"
    if curl -s -o /dev/null "$(base "$name")/" 2>/dev/null; then
        die "port $port is taken; set BENCH_PORT"
    fi
    echo "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1" \
        > "$home/preboot.asadmin"
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of options
    env KEYGATE_ADMIN_TOKEN=$ADMIN_TOKEN $engine_env \
        KEYGATE_DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?currentSchema=$schema" KEYGATE_DB_USER=$PG_USER \
        java $JAVA_OPTS -Djava.io.tmpdir="$home/tmp" -jar "$TARGET/bench-server/payara-micro.jar" \
        "$@" --disablephonehome --port "$port" --prebootcommandfile "$home/preboot.asadmin" \
        --rootdir "$home/runtime" \
        --deploy "$TARGET/bench-server/keygate.war" --deploy "$RUN/apps/keygate-protected.war" \
        > "$home/server.log" 2>&1 &
    PID[$name]=$!
}

start_servers() {
    psql_run "CREATE SCHEMA $SCHEMA_ALONE; CREATE SCHEMA $SCHEMA_CLUSTER" || die "cannot create the schemas"
    trap stop_servers EXIT
    trap 'exit 130' INT TERM
    local cluster=(--nocluster)
    case $ENGINE in
        hazelcast) cluster=(--clustermode tcpip:127.0.0.1:6900,127.0.0.1:6901 --interfaces 127.0.0.1 --startport 6900) ;;
        database) ;;
        *) die "BENCH_ENGINE is hazelcast or database, not $ENGINE" ;;
    esac
    log "starting three servers: the cluster ($ENGINE) on $(base one) and $(base two), alone on $(base alone)"
    start_server one "$SCHEMA_CLUSTER" KEYGATE_CLUSTER_ENGINE=auto "${cluster[@]}"
    start_server two "$SCHEMA_CLUSTER" KEYGATE_CLUSTER_ENGINE=auto "${cluster[@]}"
    local deadline=$((SECONDS + 300)) name
    if [ "$ENGINE" = hazelcast ]; then
        # A --nocluster Payara Micro still opens a data grid port from 6900 on, and answers a cluster member's
        # join attempt there: the server alone starts once the two have taken 6900 and 6901.
        for name in one two; do
            until grep -q 'DG Size: 2' "$RUN/$name/server.log"; do
                kill -0 "${PID[$name]}" 2>/dev/null || die "server $name stopped; see $RUN/$name/server.log"
                [ $SECONDS -lt $deadline ] || die "server $name did not join its peer; see $RUN/$name/server.log"
                sleep 1
            done
        done
    fi
    start_server alone "$SCHEMA_ALONE" KEYGATE_CLUSTER_ENGINE=none --nocluster
    for name in "${SERVERS[@]}"; do
        until [ "$(status "$(base "$name")/keygate/api/v1/tenants" "$ADMIN_TOKEN")" = 200 ] \
                && [ "$(status "$(url "$name")")" = 401 ]; do
            kill -0 "${PID[$name]}" 2>/dev/null || die "server $name stopped; see $RUN/$name/server.log"
            [ $SECONDS -lt $deadline ] || die "server $name was not up after 300 s; see $RUN/$name/server.log"
            sleep 2
        done
    done
    log "servers up (${SECONDS} s into the run)"
}

stop_servers() {
    local name
    for name in "${!PID[@]}"; do kill "${PID[$name]}" 2>/dev/null || true; done
    for name in "${!PID[@]}"; do
        for _ in $(seq 30); do kill -0 "${PID[$name]}" 2>/dev/null || break; sleep 1; done
        kill -9 "${PID[$name]}" 2>/dev/null || true
        wait "${PID[$name]}" 2>/dev/null || true
    done
    PID=()
    psql_run "DROP SCHEMA IF EXISTS $SCHEMA_ALONE CASCADE; DROP SCHEMA IF EXISTS $SCHEMA_CLUSTER CASCADE" \
        >/dev/null 2>&1 || log "could not drop the schemas $SCHEMA_ALONE and $SCHEMA_CLUSTER"
}

status() {
    local args=(-s -o /dev/null -w '%{http_code}' --max-time 10)
    [ -z "${2:-}" ] || args+=(-H "Authorization: Bearer $2")
    curl "${args[@]}" "$1" || true
}

# make_token SERVER: a tenant and a read token, created through SERVER's admin API.
make_token() {
    local admin=(-s --fail-with-body --max-time 30 -H "Authorization: Bearer $ADMIN_TOKEN" -H 'Content-Type: application/json')
    curl "${admin[@]}" -X POST "$(base "$1")/keygate/api/v1/tenants" -d '{"slug": "bench", "name": "Benchmark"}' \
        >/dev/null || die "could not create the tenant on $1"
    curl "${admin[@]}" -X POST "$(base "$1")/keygate/api/v1/tenants/bench/tokens" \
        -d '{"name": "wrk", "scopes": ["read"], "owner": "bench"}' | grep -o '"token":"[^"]*"' | cut -d'"' -f4
}

expect() { # expect WHAT ACTUAL EXPECTED
    [ "$2" = "$3" ] || die "$1: got $2, expected $3"
    log "  $1: $2"
}

check_endpoints() {
    BEARER[alone]=$(make_token alone)
    BEARER[clustered]=$(make_token one)
    log "checking the endpoints"
    expect "alone, no token" "$(status "$(url alone)")" 401
    expect "alone, its token" "$(status "$(url alone)" "${BEARER[alone]}")" 200
    expect "alone, the cluster's token" "$(status "$(url alone)" "${BEARER[clustered]}")" 401
    expect "cluster server 1, its token" "$(status "$(url one)" "${BEARER[clustered]}")" 200
    expect "cluster server 2, the token created on server 1" "$(status "$(url two)" "${BEARER[clustered]}")" 200
}

# run_wrk NAME SECONDS OUT: one wrk run against the server NAME loads; fails unless every response was a 2xx.
run_wrk() {
    local name=$1 seconds=$2 out=$3
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency -s "$MODULE/report.lua" \
        -H "Authorization: Bearer ${BEARER[$name]}" "$(url "${LOADED[$name]}")" > "$out" 2>&1 \
        || die "wrk failed against $name; see $out"
    grep -q '^BENCH-RESULT ' "$out" || die "no result from wrk against $name; see $out"
    if grep -q 'Non-2xx' "$out" || ! grep -q 'non2xx=0 connect=0 read=0 write=0 timeout=0' "$out"; then
        die "not every response from $name was 200: $(grep -E 'Non-2xx|Socket errors|BENCH-RESULT' "$out" | tr '\n' ' ')"
    fi
}

ticks() { awk '{ print $14 + $15 }' "/proc/${PID[$1]}/stat"; }

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

measure() {
    local name round i loaded_before peer_before peer
    log "warming up, ${WARMUP} s per setup"
    for name in "${NAMES[@]}"; do run_wrk "$name" "$WARMUP" "$RUN/wrk/warmup-$name.txt"; done
    for round in $(seq "$ROUNDS"); do
        for i in 0 1; do
            name=${NAMES[$(((round - 1 + i) % 2))]}
            # The peer: server 2 for the cluster; for the server alone, server 1 of the idle cluster (nothing).
            peer=two
            [ "$name" = clustered ] || peer=one
            log "round $round/$ROUNDS: $name, ${DURATION} s"
            loaded_before=$(ticks "${LOADED[$name]}")
            peer_before=$(ticks "$peer")
            run_wrk "$name" "$DURATION" "$RUN/wrk/round$round-$name.txt"
            # Columns: setup, round, req/s, p50 ms, p99 ms, loaded server CPU µs/req, peer CPU µs/req.
            awk -v n="$name" -v r="$round" -v t="$(($(ticks "${LOADED[$name]}") - loaded_before))" \
                -v p="$(($(ticks "$peer") - peer_before))" -v hz="$(getconf CLK_TCK)" '/^BENCH-RESULT/ {
                    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
                    printf "%s %d %.1f %.3f %.3f %.1f %.1f\n", n, r, f["requests"] / (f["duration_us"] / 1e6),
                        f["p50_us"] / 1000, f["p99_us"] / 1000, t / hz * 1e6 / f["requests"],
                        p / hz * 1e6 / f["requests"] }' "$RUN/wrk/round$round-$name.txt" >> "$RUN/rounds.txt"
        done
    done
}

# column_median SETUP COLUMN: the median over the rounds of one column of rounds.txt.
column_median() { awk -v n="$1" -v c="$2" '$1 == n { print $c }' "$RUN/rounds.txt" | median; }

report() {
    local name v3 v4 v5 v6 v7
    declare -A RPS
    {
        echo "Keygate cluster benchmark, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), engine $ENGINE"
        echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), shared by wrk and three servers; load before: $LOAD_BEFORE"
        echo "wrk -t$THREADS -c$CONNECTIONS, $ROUNDS alternating rounds of ${DURATION} s after ${WARMUP} s warm-up each; GET /keygate-protected/api/hello with a read token"
        echo
        printf '| %-9s | %14s | %8s | %8s | %-37s | %13s | %16s |\n' setup "req/s (median)" "p50 ms" "p99 ms" \
            "req/s per round" "server µs/req" "peer µs/req"
        printf '|%s|%s:|%s:|%s:|%s|%s:|%s:|\n' "-----------" "---------------" "---------" "---------" \
            "---------------------------------------" "--------------" "-----------------"
        for name in "${NAMES[@]}"; do
            v3=$(column_median "$name" 3) v4=$(column_median "$name" 4) v5=$(column_median "$name" 5)
            v6=$(column_median "$name" 6) v7=$(column_median "$name" 7)
            RPS[$name]=$v3
            printf '| %-9s | %14.0f | %8.2f | %8.2f | %-37s | %13.1f | %16.1f |\n' "$name" "$v3" "$v4" "$v5" \
                "$(awk -v n="$name" '$1 == n { printf "%s%.0f", sep, $3; sep = " / " }' "$RUN/rounds.txt")" "$v6" "$v7"
        done
        echo
        awk -v c="${RPS[clustered]}" -v a="${RPS[alone]}" 'BEGIN {
            printf "clustered server 1 / server alone throughput: %.2f (medians)\n", c / a }'
        awk '{ rps[$1, $2] = $3; if ($2 > rounds) rounds = $2 }
            END { for (r = 1; r <= rounds; r++) printf "%.3f\n", rps["clustered", r] / rps["alone", r] }' \
            "$RUN/rounds.txt" > "$RUN/paired.txt"
        printf 'per round, clustered / alone: %s (median %.2f)\n' \
            "$(awk '{ printf "%s%.2f", sep, $1; sep = " / " }' "$RUN/paired.txt")" "$(median < "$RUN/paired.txt")"
        echo
        echo "(server µs/req: CPU time (user + system, /proc) of the loaded server over the round's requests; peer µs/req:"
        echo " the same for server 2 of the cluster while server 1 is loaded, and for the idle cluster's server 1 while the"
        echo " server alone is loaded; raw wrk output in $RUN/wrk/)"
    } | tee "$RUN/results.txt"
}

command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk; bench/http/run.sh installs it)"
command -v psql >/dev/null || die "psql is needed"
build
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
start_servers
check_endpoints
measure
stop_servers
report
