#!/usr/bin/env bash
# A Spark standalone cluster on this machine (master + one worker on the loopback address, from the Maven jars of
# the spark module) running one slowfast Spark job, then stopped:
#   tools/spark_standalone.sh spark-test CONFIG CHECKPOINT --input IN --output OUT [options...]
# SPARK_HOME is built under work_dirs/spark_standalone/ (jars/ = the spark module's Spark jars and the core's libraries,
# which hold the rest of Spark's runtime: Jackson, SLF4J with Logback, ...; RELEASE); the worker
# offers WORKER_CORES (default 2) cores and WORKER_MEMORY (default 4g). Executors get the application from this
# checkout (a shared filesystem: spark.executor.extraClassPath), the config inside the job and the checkpoint by its
# absolute path. Master and worker logs go to work_dirs/spark_standalone/logs/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 1 ]; then
  echo "usage: $0 spark-test|spark-extract CONFIG CHECKPOINT --input IN --output OUT [options...]" >&2
  exit 2
fi
home="$root/work_dirs/spark_standalone"
cores="${WORKER_CORES:-2}"
memory="${WORKER_MEMORY:-4g}"
port="${MASTER_PORT:-7077}"

"$root/slowfast" "$1" --help >/dev/null # builds target/ and spark/target/ when needed
rm -rf "$home/jars" && mkdir -p "$home/jars" "$home/logs" "$home/work" "$home/conf"
ln -s "$root"/spark/target/lib/*.jar "$root"/target/lib/*.jar "$home/jars/"
cat > "$home/conf/logback.xml" <<'XML'
<configuration>
  <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{HH:mm:ss.SSS} %level %logger{0} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="OUT"/></root>
</configuration>
XML
echo "Spark 4.2.0 (Scala 2.13) built from the Maven jars of slowfast-spark" > "$home/RELEASE"
export SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_WORKER_DIR="$home/work"
spark_cp="$home/jars/*"
opens="-Dlogback.configurationFile=$home/conf/logback.xml --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED"

pids=()
stop() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop EXIT
# shellcheck disable=SC2086
java $opens -cp "$spark_cp" org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
  --webui-port 0 > "$home/logs/master.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do grep -q "I have been elected leader" "$home/logs/master.log" && break; sleep 0.5; done
# shellcheck disable=SC2086
java $opens -cp "$spark_cp" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" \
  --memory "$memory" --webui-port 0 "spark://127.0.0.1:$port" > "$home/logs/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 120); do grep -q "Successfully registered with master" "$home/logs/worker.log" && break; sleep 0.5; done
if ! grep -q "Successfully registered with master" "$home/logs/worker.log"; then
  echo "tools/spark_standalone.sh: the worker did not register; see $home/logs/" >&2
  exit 1
fi
echo "tools/spark_standalone.sh: master spark://127.0.0.1:$port, one worker ($cores cores, $memory)" >&2

app_cp="$root/target/slowfast.jar:$root/target/lib/*:$root/spark/target/slowfast-spark.jar"
command="$1"
shift
status=0
SLOWFAST_OPTS="${SLOWFAST_OPTS:-} -Dspark.driver.host=127.0.0.1" "$root/slowfast" "$command" "$@" \
  --master "spark://127.0.0.1:$port" \
  --conf "spark.executor.cores=$cores" --conf "spark.executor.memory=${EXECUTOR_MEMORY:-2g}" \
  --conf "spark.executor.extraClassPath=$app_cp" \
  --conf "spark.executor.extraJavaOptions=-Dai.djl.offline=true -Dai.djl.pytorch.num_interop_threads=1" \
  --conf spark.executorEnv.OMP_WAIT_POLICY=PASSIVE || status=$?
exit "$status"
