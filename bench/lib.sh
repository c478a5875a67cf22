# Shared by the scenario scripts; sourced, not run.

# Our server notices a departed client at its next write; waits (at most 90 s) until the last run's
# streams are gone, so they do not take this run's first events.
wait_for_idle_hermes() {
  local open=""
  for ((i = 0; i < 90; i++)); do
    open=$(curl -s -m 2 "http://127.0.0.1:${BENCH_HERMES_PORT:-8080}/api/v1/events/health" \
      | grep -o '"active_connections":[0-9]*' | cut -d: -f2) || true
    [[ "$open" == 0 ]] && return 0
    sleep 1
  done
  echo "warning: hermes still reports ${open:-an unknown number of} open streams" >&2
}

# medians DIR: "figure median" for every numeric figure over the runs' summary.txt files in DIR.
medians() {
  cat "$1"/run-*/summary.txt 2>/dev/null | awk '
    $1 != "run" && $2 ~ /^-?[0-9]+(\.[0-9]+)?(E-?[0-9]+)?$/ {
      if (!($1 in count)) order[++keys] = $1
      values[$1, ++count[$1]] = $2 + 0
    }
    END {
      for (k = 1; k <= keys; k++) {
        name = order[k]; n = count[name]
        for (i = 1; i <= n; i++) sorted[i] = values[name, i]
        for (i = 2; i <= n; i++) { v = sorted[i]; for (j = i - 1; j >= 1 && sorted[j] > v; j--) sorted[j + 1] = sorted[j]; sorted[j + 1] = v }
        printf "%s %g\n", name, n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
      }
    }'
}

# ratio_table A_MEDIANS B_MEDIANS A_NAME B_NAME: both medians side by side with A/B.
ratio_table() {
  awk -v a="$3" -v b="$4" 'NR == FNR { other[$1] = $2; next }
    FNR == 1 { printf "%-26s %12s %12s %9s\n", "figure (median)", a, b, "ratio" }
    { o = ($1 in other) ? other[$1] : "-"
      ratio = ($1 in other && other[$1] != 0) ? sprintf("%.2f", $2 / other[$1]) : "-"
      printf "%-26s %12g %12s %9s\n", $1, $2, o, ratio }' "$2" "$1"
}

# start_load_sampler FILE: writes what else runs on the machine to FILE every 5 s (load, and every process
# above 5 % of a core over one second: %CPU, pid, command) until killed; sets LOAD_SAMPLER to its pid.
start_load_sampler() {
  (
    while true; do
      echo "$(date -u +%T) load $(cut -d' ' -f1-3 /proc/loadavg) | $(top -bcn2 -d1 -w 200 -o %CPU | awk '
        /^top -/ { frame++ } frame == 2 && $1 ~ /^[0-9]+$/ && $9 + 0 >= 5 {
          command = ""; for (i = 12; i <= NF; i++) command = command " " $i
          printf "%s%% %s%s; ", $9, $1, substr(command, 1, 70) }')"
      sleep 4
    done
  ) >"$1" 2>/dev/null &
  LOAD_SAMPLER=$!
}
