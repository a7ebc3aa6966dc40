package org.slowfast.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slowfast.config.LoadedConfig;
import org.slowfast.model.Recognizer3D;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code slowfast print-config}: the fully merged config, as MMAction2's {@code tools/analysis/print_config.py}, after
 * the checks that train and test run on it (config values, and the model when there is one).
 */
@Command(name = "print-config", mixinStandardHelpOptions = true,
        description = "Print the fully merged config (YAML, or JSON with --json).")
public final class PrintConfigCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file (.yaml, .yml or .json).")
    Path config;

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Override keys of the merged config, e.g. data.videos_per_gpu=4.")
    List<String> cfgOptions = new ArrayList<>();

    @Option(names = "--json", description = "Print one JSON object instead of YAML.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        LoadedConfig cfg = LoadedConfig.load(config, cfgOptions);
        if (cfg.tree().get("model") != null) {
            Recognizer3D.build(cfg); // the model checks of train and test (structure only, no weights)
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? cfg.toJson() + System.lineSeparator() : cfg.toYaml());
        out.flush();
        return 0;
    }
}
