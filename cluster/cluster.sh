# cluster/cluster.sh: real multi-process clusters on this machine, sourced by bin/caudal.
#
# HDFS (NameNode + DataNode), Spark standalone (Master + two Workers) and Flink standalone
# (JobManager + TaskManager), each daemon its own JVM started from the projects' own main
# classes on classpaths Maven resolved (cluster/*-dist/target/classpath.txt), bound to
# loopback, with its log and pid file under the state directory.
#
# `up` starts every daemon that is not running (so after one is killed, `up` again starts a
# replacement) and waits until each cluster is usable; `down` stops them with SIGTERM (SIGKILL
# after a grace period); `status` says what runs and where.

CLUSTER_DIR="${CAUDAL_CLUSTER_DIR:-$CAUDAL_HOME/caudal-data/cluster}"
HDFS_CP_FILE="$CAUDAL_HOME/cluster/hdfs-dist/target/classpath.txt"
SPARK_CP_FILE="$CAUDAL_HOME/cluster/spark-dist/target/classpath.txt"
FLINK_CP_FILE="$CAUDAL_HOME/cluster/flink-dist/target/classpath.txt"

# Ports: the projects' usual ones; every one can be moved (the integration test uses free ports).
NAMENODE_PORT="${CAUDAL_NAMENODE_PORT:-9000}"
NAMENODE_HTTP_PORT="${CAUDAL_NAMENODE_HTTP_PORT:-9870}"
DATANODE_PORT="${CAUDAL_DATANODE_PORT:-9866}"
DATANODE_HTTP_PORT="${CAUDAL_DATANODE_HTTP_PORT:-9864}"
DATANODE_IPC_PORT="${CAUDAL_DATANODE_IPC_PORT:-9867}"
SPARK_MASTER_PORT="${CAUDAL_SPARK_MASTER_PORT:-7077}"
SPARK_MASTER_UI_PORT="${CAUDAL_SPARK_MASTER_UI_PORT:-8080}"
SPARK_WORKERS="${CAUDAL_SPARK_WORKERS:-2}"
SPARK_WORKER_CORES="${CAUDAL_SPARK_WORKER_CORES:-1}"
SPARK_WORKER_MEMORY="${CAUDAL_SPARK_WORKER_MEMORY:-3g}"
FLINK_RPC_PORT="${CAUDAL_FLINK_RPC_PORT:-6123}"
FLINK_REST_PORT="${CAUDAL_FLINK_REST_PORT:-8081}"
FLINK_SLOTS="${CAUDAL_FLINK_SLOTS:-2}"
CLUSTER_START_SECONDS="${CAUDAL_CLUSTER_START_SECONDS:-180}"

# What Flink's own config.yaml passes to every Flink JVM on Java 17.
FLINK_JAVA_OPTS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

# The daemons, in start order; `down` stops them in reverse.
cluster_daemons() {
  echo namenode datanode spark-master
  local i
  for ((i = 1; i <= SPARK_WORKERS; i++)); do echo "spark-worker-$i"; done
  echo flink-jobmanager flink-taskmanager
}

ensure_cluster_built() {
  local missing=0 f
  for f in "$HDFS_CP_FILE" "$SPARK_CP_FILE" "$FLINK_CP_FILE"; do [ -s "$f" ] || missing=1; done
  if [ "$missing" = 1 ]; then
    ensure_toolchain
    say "resolving the HDFS, Spark and Flink distributions (Maven; the first time downloads them)"
    (cd "$CAUDAL_HOME" && mvn -B -q -DskipTests -pl cluster/hdfs-dist,cluster/spark-dist,cluster/flink-dist -am install)
  fi
}

pid_file() { echo "$CLUSTER_DIR/run/$1.pid"; }
log_file() { echo "$CLUSTER_DIR/logs/$1.log"; }

daemon_pid() {
  local f
  f="$(pid_file "$1")"
  [ -f "$f" ] && kill -0 "$(cat "$f")" 2>/dev/null && cat "$f"
}

# Starts one daemon in the background (own log, own pid file); its environment comes first.
spawn() {
  local name="$1"; shift
  mkdir -p "$CLUSTER_DIR/run" "$CLUSTER_DIR/logs"
  nohup env "$@" >>"$(log_file "$name")" 2>&1 </dev/null &
  echo $! >"$(pid_file "$name")"
}

# GET over bash's /dev/tcp: no curl needed on a fresh machine.
http_get() {
  local port="$1" path="$2" reply
  exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null || return 1
  printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$path" >&3
  reply="$(cat <&3)"
  exec 3<&-
  printf '%s' "$reply" | sed '1,/^\r\{0,1\}$/d'
}

# Polls CHECK (a shell function) until it succeeds or the deadline passes.
wait_until() {
  local what="$1" check="$2" deadline=$((SECONDS + CLUSTER_START_SECONDS))
  until "$check"; do
    ((SECONDS < deadline)) || die "cluster: $what not ready after ${CLUSTER_START_SECONDS}s (logs: $CLUSTER_DIR/logs/)"
    sleep 1
  done
}

# --- HDFS -------------------------------------------------------------------------------

write_hdfs_conf() {
  local conf="$CLUSTER_DIR/hdfs/conf"
  mkdir -p "$conf"
  cat >"$conf/core-site.xml" <<XML
<?xml version="1.0"?>
<configuration>
  <property><name>fs.defaultFS</name><value>hdfs://127.0.0.1:$NAMENODE_PORT</value></property>
  <property><name>hadoop.tmp.dir</name><value>$CLUSTER_DIR/hdfs/tmp</value></property>
</configuration>
XML
  cat >"$conf/hdfs-site.xml" <<XML
<?xml version="1.0"?>
<configuration>
  <property><name>dfs.namenode.name.dir</name><value>file://$CLUSTER_DIR/hdfs/name</value></property>
  <property><name>dfs.datanode.data.dir</name><value>file://$CLUSTER_DIR/hdfs/data</value></property>
  <!-- One DataNode. -->
  <property><name>dfs.replication</name><value>1</value></property>
  <!-- Everything here runs as one local user; HDFS permissions would only get in the way. -->
  <property><name>dfs.permissions.enabled</name><value>false</value></property>
  <property><name>dfs.namenode.rpc-address</name><value>127.0.0.1:$NAMENODE_PORT</value></property>
  <property><name>dfs.namenode.http-address</name><value>127.0.0.1:$NAMENODE_HTTP_PORT</value></property>
  <property><name>dfs.datanode.address</name><value>127.0.0.1:$DATANODE_PORT</value></property>
  <property><name>dfs.datanode.http.address</name><value>127.0.0.1:$DATANODE_HTTP_PORT</value></property>
  <property><name>dfs.datanode.ipc.address</name><value>127.0.0.1:$DATANODE_IPC_PORT</value></property>
  <!-- One DataNode holds every block: once it has reported, waiting 30 s more in safe mode buys nothing. -->
  <property><name>dfs.namenode.safemode.extension</name><value>0</value></property>
  <!-- Loopback has no reverse DNS entry to check. -->
  <property><name>dfs.namenode.datanode.registration.ip-hostname-check</name><value>false</value></property>
</configuration>
XML
  cat >"$conf/log4j.properties" <<'PROPS'
log4j.rootLogger=INFO,console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{ISO8601} %p %c{2}: %m%n
PROPS
}

hdfs_java() {
  echo java -Xmx512m -Dhadoop.log.dir="$CLUSTER_DIR/logs" -cp "$CLUSTER_DIR/hdfs/conf:$(cat "$HDFS_CP_FILE")"
}

hdfs_ready() {
  http_get "$NAMENODE_HTTP_PORT" '/jmx?qry=Hadoop:service=NameNode,name=FSNamesystemState' 2>/dev/null \
    | grep -Eq '"NumLiveDataNodes" *: *[1-9]' \
    && http_get "$NAMENODE_HTTP_PORT" '/jmx?qry=Hadoop:service=NameNode,name=NameNodeInfo' 2>/dev/null \
      | grep -q '"Safemode" *: *""'
}

start_hdfs() {
  write_hdfs_conf
  if [ ! -d "$CLUSTER_DIR/hdfs/name/current" ]; then
    say "formatting the NameNode"
    $(hdfs_java) org.apache.hadoop.hdfs.server.namenode.NameNode -format -nonInteractive \
      >>"$(log_file namenode-format)" 2>&1 || die "cluster: NameNode format failed (log: $(log_file namenode-format))"
  fi
  daemon_pid namenode >/dev/null || spawn namenode $(hdfs_java) org.apache.hadoop.hdfs.server.namenode.NameNode
  daemon_pid datanode >/dev/null || spawn datanode $(hdfs_java) org.apache.hadoop.hdfs.server.datanode.DataNode
}

# --- Spark standalone ----------------------------------------------------------------------

# A Worker launches executors with <spark home>/jars plus SPARK_DIST_CLASSPATH: the jars dir
# stays empty and the distribution's classpath goes through that variable.
spark_env() {
  mkdir -p "$CLUSTER_DIR/spark/home/jars"
  echo SPARK_HOME="$CLUSTER_DIR/spark/home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 \
    SPARK_DIST_CLASSPATH="$(cat "$SPARK_CP_FILE")" SPARK_LOG_DIR="$CLUSTER_DIR/logs"
}

spark_java() {
  echo java -Xmx512m "${SPARK_JAVA_OPTS[@]}" -cp "$(cat "$SPARK_CP_FILE")"
}

spark_ready() {
  local json
  json="$(http_get "$SPARK_MASTER_UI_PORT" /json/ 2>/dev/null)" || return 1
  [ "$(printf '%s' "$json" | grep -o '"state" *: *"ALIVE"' | wc -l)" -ge "$SPARK_WORKERS" ]
}

start_spark() {
  daemon_pid spark-master >/dev/null || spawn spark-master $(spark_env) $(spark_java) \
    org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$SPARK_MASTER_PORT" --webui-port "$SPARK_MASTER_UI_PORT"
  local i
  for ((i = 1; i <= SPARK_WORKERS; i++)); do
    mkdir -p "$CLUSTER_DIR/spark/work-$i"
    daemon_pid "spark-worker-$i" >/dev/null || spawn "spark-worker-$i" $(spark_env) $(spark_java) \
      org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$SPARK_WORKER_CORES" \
      --memory "$SPARK_WORKER_MEMORY" --webui-port 0 --work-dir "$CLUSTER_DIR/spark/work-$i" \
      "spark://127.0.0.1:$SPARK_MASTER_PORT"
  done
}

# --- Flink standalone ----------------------------------------------------------------------

write_flink_conf() {
  local conf="$CLUSTER_DIR/flink/conf"
  mkdir -p "$conf" "$CLUSTER_DIR/flink/checkpoints" "$CLUSTER_DIR/flink/tmp"
  cat >"$conf/config.yaml" <<YAML
jobmanager:
  rpc:
    address: 127.0.0.1
    port: $FLINK_RPC_PORT
  bind-host: 127.0.0.1
  memory:
    process:
      size: 1024m
taskmanager:
  bind-host: 127.0.0.1
  host: 127.0.0.1
  numberOfTaskSlots: $FLINK_SLOTS
  memory:
    process:
      size: 1728m
rest:
  address: 127.0.0.1
  bind-address: 127.0.0.1
  port: $FLINK_REST_PORT
# Checkpoints outlive a TaskManager (and the JobManager's memory): a killed TaskManager's
# job restarts from the last one.
execution:
  checkpointing:
    dir: file://$CLUSTER_DIR/flink/checkpoints
# On loopback a lost TaskManager is noticed in seconds rather than the default 50 s.
heartbeat:
  interval: 2000
  timeout: 10000
io:
  tmp:
    dirs: $CLUSTER_DIR/flink/tmp
YAML
  cat >"$conf/log4j.properties" <<'PROPS'
rootLogger.level = INFO
rootLogger.appenderRef.console.ref = Console
appender.console.name = Console
appender.console.type = CONSOLE
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
PROPS
  cp "$conf/log4j.properties" "$conf/log4j-cli.properties"
}

# Flink's own scripts ask BashJavaUtils for the JVM's memory flags and the derived memory
# settings (lines starting BASH_JAVA_UTILS_EXEC_RESULT:): do the same.
flink_resource_params() {
  local command="$1" conf="$CLUSTER_DIR/flink/conf"
  java "${FLINK_JAVA_OPTS[@]}" -cp "$(cat "$FLINK_CP_FILE")" org.apache.flink.runtime.util.bash.BashJavaUtils \
    "$command" --configDir "$conf" 2>/dev/null | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

start_flink_daemon() {
  local name="$1" params_command="$2" main="$3" conf="$CLUSTER_DIR/flink/conf" params jvm dynamic
  params="$(flink_resource_params "$params_command")"
  jvm="$(printf '%s\n' "$params" | sed -n 1p)"
  dynamic="$(printf '%s\n' "$params" | sed -n 2p)"
  [ -n "$jvm" ] || die "cluster: Flink could not work out the $name's memory from $conf/config.yaml"
  # shellcheck disable=SC2086 # the JVM flags and dynamic properties are word lists
  spawn "$name" java $jvm "${FLINK_JAVA_OPTS[@]}" -Dlog.file="$(log_file "$name")" \
    -Dlog4j.configurationFile="file:$conf/log4j.properties" \
    -cp "$(cat "$FLINK_CP_FILE")" "$main" --configDir "$conf" $dynamic
}

flink_ready() {
  http_get "$FLINK_REST_PORT" /taskmanagers 2>/dev/null | grep -q '"slotsNumber"'
}

start_flink() {
  write_flink_conf
  daemon_pid flink-jobmanager >/dev/null || start_flink_daemon flink-jobmanager GET_JM_RESOURCE_PARAMS \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint
  daemon_pid flink-taskmanager >/dev/null || start_flink_daemon flink-taskmanager GET_TM_RESOURCE_PARAMS \
    org.apache.flink.runtime.taskexecutor.TaskManagerRunner
}

# --- Commands --------------------------------------------------------------------------------

cluster_up() {
  ensure_cluster_built
  mkdir -p "$CLUSTER_DIR/logs" "$CLUSTER_DIR/run"
  say "starting HDFS, Spark standalone and Flink standalone (state, logs and pids in $CLUSTER_DIR)"
  start_hdfs
  start_spark
  start_flink
  wait_until "HDFS (NameNode with a live DataNode, out of safe mode)" hdfs_ready
  wait_until "Spark (Master with $SPARK_WORKERS Workers)" spark_ready
  wait_until "Flink (JobManager with a TaskManager)" flink_ready
  cluster_status
}

cluster_down() {
  local name pid deadline stopped=()
  for name in $(cluster_daemons | tr ' ' '\n' | tac); do
    pid="$(daemon_pid "$name")" || { rm -f "$(pid_file "$name")"; continue; }
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 30))
    while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
    rm -f "$(pid_file "$name")"
    stopped+=("$name")
  done
  say "stopped: ${stopped[*]:-nothing was running}"
}

cluster_status() {
  local name pid
  for name in $(cluster_daemons); do
    if pid="$(daemon_pid "$name")"; then
      printf '  %-18s running (pid %s)  log: %s\n' "$name" "$pid" "$(log_file "$name")"
    else
      printf '  %-18s stopped\n' "$name"
    fi
  done
  cat <<STATUS

Web UIs:
  NameNode     http://127.0.0.1:$NAMENODE_HTTP_PORT/
  Spark master http://127.0.0.1:$SPARK_MASTER_UI_PORT/
  Flink        http://127.0.0.1:$FLINK_REST_PORT/   (REST API at the same address)

URIs:
  Caudal root  hdfs://127.0.0.1:$NAMENODE_PORT/caudal
  Spark master spark://127.0.0.1:$SPARK_MASTER_PORT
  Flink REST   http://127.0.0.1:$FLINK_REST_PORT

Submit the shaded jars unchanged (bin/caudal cluster spark-submit|flink|hdfs run SparkSubmit,
Flink's CliFrontend and Hadoop's FsShell from the same Maven-resolved classpaths as the daemons):
  bin/caudal cluster hdfs -put movie.mp4 hdfs://127.0.0.1:$NAMENODE_PORT/caudal/incoming/movie.mp4
  bin/caudal cluster spark-submit --master spark://127.0.0.1:$SPARK_MASTER_PORT \\
    --class io.caudal.transcode.TranscodeJob jobs/transcode/target/caudal-transcode.jar \\
    --input hdfs://127.0.0.1:$NAMENODE_PORT/caudal/incoming/movie.mp4 --name "Movie" --category drama \\
    --root hdfs://127.0.0.1:$NAMENODE_PORT/caudal
  bin/caudal cluster flink run -d jobs/qoe-stream/target/caudal-qoe-stream.jar \\
    --bootstrap-servers HOST:PORT --root hdfs://127.0.0.1:$NAMENODE_PORT/caudal
  bin/caudal cluster flink list
STATUS
}

# spark-submit as Spark's own script runs it: SparkSubmit on the distribution's classpath.
cluster_spark_submit() {
  ensure_cluster_built
  SPARK_HOME="$CLUSTER_DIR/spark/home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 \
    exec java -Xmx1g "${SPARK_JAVA_OPTS[@]}" -cp "$(cat "$SPARK_CP_FILE")" org.apache.spark.deploy.SparkSubmit "$@"
}

# The flink command: CliFrontend with this cluster's conf dir (it finds the REST address there).
cluster_flink() {
  ensure_cluster_built
  [ -f "$CLUSTER_DIR/flink/conf/config.yaml" ] || die "cluster: no Flink configuration yet; run bin/caudal cluster up first"
  FLINK_CONF_DIR="$CLUSTER_DIR/flink/conf" exec java -Xmx512m "${FLINK_JAVA_OPTS[@]}" \
    -Dlog4j.configurationFile="file:$CLUSTER_DIR/flink/conf/log4j-cli.properties" \
    -cp "$(cat "$FLINK_CP_FILE")" org.apache.flink.client.cli.CliFrontend "$@"
}

# hdfs dfs: Hadoop's FsShell against this cluster's NameNode.
cluster_hdfs() {
  ensure_cluster_built
  [ -f "$CLUSTER_DIR/hdfs/conf/core-site.xml" ] || die "cluster: no HDFS configuration yet; run bin/caudal cluster up first"
  exec $(hdfs_java) org.apache.hadoop.fs.FsShell "$@"
}

cmd_cluster() {
  local sub="${1:-}"
  [ $# -gt 0 ] && shift
  mkdir -p "$CLUSTER_DIR"
  CLUSTER_DIR="$(cd "$CLUSTER_DIR" && pwd)"
  case "$sub" in
    up) cluster_up ;;
    down) cluster_down ;;
    status) cluster_status ;;
    spark-submit) cluster_spark_submit "$@" ;;
    flink) cluster_flink "$@" ;;
    hdfs) cluster_hdfs "$@" ;;
    *) die "usage: bin/caudal cluster up|down|status | spark-submit ARGS | flink ARGS | hdfs ARGS" ;;
  esac
}
