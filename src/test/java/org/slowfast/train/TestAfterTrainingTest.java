package org.slowfast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which checkpoint {@code --test-best} takes: MMAction2's highest {@code epoch_N} among {@code *best*.pth}. */
class TestAfterTrainingTest {
    @Test
    void newestBestIsTheHighestEpochNotTheLastName(@TempDir Path dir) throws Exception {
        assertNull(TestAfterTraining.newestBest(dir));
        for (String f : new String[] {"best_top1_acc_epoch_9.pth", "best_top1_acc_epoch_12.pth", "epoch_20.pth",
            "best_notes.txt", "latest.pth"}) {
            Files.writeString(dir.resolve(f), "");
        }
        assertEquals(dir.resolve("best_top1_acc_epoch_12.pth"), TestAfterTraining.newestBest(dir));
    }
}
