package org.slowfast.spark;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/** One log line on the driver per finished partition of the jobs of one job group (the scoring write). */
final class PartitionProgress extends SparkListener {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionProgress.class);

    private final String task;
    private final String group;
    private final long start = System.nanoTime();
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
    private final AtomicInteger done = new AtomicInteger();
    private volatile int partitions;

    PartitionProgress(String task, String group) {
        this.task = task;
        this.group = group;
    }

    @Override
    public void onJobStart(SparkListenerJobStart job) {
        if (group.equals(job.properties().getProperty("spark.jobGroup.id"))) {
            for (StageInfo stage : CollectionConverters.asJava(job.stageInfos())) {
                stages.add(stage.stageId());
                partitions = Math.max(partitions, stage.numTasks());
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        if (!stages.contains(end.stageId()) || !(end.reason() instanceof Success$)) {
            return;
        }
        long videos = end.taskMetrics() == null ? 0 : end.taskMetrics().outputMetrics().recordsWritten();
        LOG.info(String.format(Locale.ROOT, "%s: partition %d done: %d videos in %.1f s on executor %s; %d of %d "
                + "partitions done, %.0f s elapsed", task, end.taskInfo().index(), videos,
                end.taskInfo().duration() / 1000.0, end.taskInfo().executorId(), done.incrementAndGet(), partitions,
                (System.nanoTime() - start) / 1e9));
    }
}
