package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slowfast.eval.Evaluator;

/** The generated help lists what the commands accept. */
class HelpTextTest {
    @ParameterizedTest
    @ValueSource(strings = {"test", "eval-metric"})
    void evalHelpListsEverySupportedMetric(String command) {
        CliRun r = CliRun.of(command, "--help");
        assertEquals(0, r.code(), r.err());
        String help = r.out().replaceAll("\\s+", " ");
        for (String metric : Evaluator.METRICS) {
            assertTrue(help.contains(metric), command + " --help lacks " + metric + ": " + help);
        }
    }
}
