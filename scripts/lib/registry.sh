# Shared by scripts/try and scripts/bench: throwaway docker-registry processes on free loopback
# ports, each with its own storage under $work, all stopped by registry_stop_all (set as a trap).
# Usage: source it, set work=<temp dir> (and optionally registry_root=<dir> for the registries'
# storage, default $work), then: registry_start NAME VAR -> VAR=HOST:PORT.
# (Not $(registry_start): a subshell would lose the pid and leak the process.)

declare -A _registry_pid=()

# Below the kernel's ephemeral range (32768+ by default), so an outgoing connection of another
# process cannot take the port between this check and the registry's bind.
free_port() {
  local p low
  low=$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for _ in $(seq 1 100); do
    p=$((20000 + RANDOM % (low > 21000 ? low - 20000 : 1000)))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
  echo "no free loopback port found" >&2
  return 1
}

# registry_start NAME VAR: starts (or restarts with empty storage) registry NAME; sets VAR=host:port.
registry_start() {
  local name="$1" var="$2" port dir
  registry_stop "$name"
  dir="${registry_root:-$work}/registry-$name"
  rm -rf "$dir"
  mkdir -p "$dir/storage"
  for attempt in 1 2 3; do
    port="$(free_port)"
    cat > "$dir/config.yml" <<YML
version: 0.1
log: {level: error, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $dir/storage}
  delete: {enabled: true}
http: {addr: 127.0.0.1:$port}
YML
    docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
    _registry_pid[$name]=$!
    for _ in $(seq 1 200); do
      (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && { printf -v "$var" '%s' "127.0.0.1:$port"; return; }
      kill -0 "${_registry_pid[$name]}" 2>/dev/null || break
      sleep 0.05
    done
    registry_stop "$name"
    # Another process may have taken the port after free_port looked: try another.
    grep -q 'address already in use' "$dir/registry.log" || break
  done
  echo "registry $name did not start; log:" >&2
  cat "$dir/registry.log" >&2
  return 1
}

registry_stop() {
  local pid="${_registry_pid[$1]:-}"
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    unset "_registry_pid[$1]"
  fi
}

registry_stop_all() {
  local n
  for n in "${!_registry_pid[@]}"; do registry_stop "$n"; done
}

# make_layout DIR: an empty OCI image layout.
make_layout() {
  mkdir -p "$1/blobs/sha256"
  printf '{"imageLayoutVersion":"1.0.0"}' > "$1/oci-layout"
}

# put_blob LAYOUT FILE: moves FILE into the layout's blobs; prints its sha256 hex.
put_blob() {
  local d
  d="$(sha256sum "$2" | cut -d' ' -f1)"
  mv "$2" "$1/blobs/sha256/$d"
  echo "$d"
}
