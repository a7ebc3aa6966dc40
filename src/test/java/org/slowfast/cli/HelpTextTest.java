package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slowfast.eval.Evaluator;

/** The generated help lists what the commands accept; a bad option is one line that points to it. */
class HelpTextTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--threads 0 info x.yaml | error: --threads must be at least 1, got 0 | (see: slowfast --help)",
        "info x.yaml --no-such-option | error: Unknown option: '--no-such-option' | (see: slowfast info --help)"})
    void aBadOptionIsOneErrorLineAndAPointerToTheHelp(String args, String error, String pointer) {
        CliRun r = CliRun.of(args.split(" "));
        assertEquals(2, r.code(), r.err());
        assertEquals(error + "\n" + pointer + "\n", r.err().replace("\r\n", "\n"));
        assertEquals("", r.out());
    }

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
