package org.slowfast.cli;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.config.DatasetConfig;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.pipeline.CenterCrop;
import org.slowfast.data.pipeline.PipelineStep;
import org.slowfast.data.pipeline.Resize;
import org.slowfast.data.pipeline.FrameSampler;
import org.slowfast.data.pipeline.TenCrop;
import org.slowfast.data.pipeline.ThreeCrop;
import org.slowfast.model.Recognizer3D;
import org.slowfast.model.StageProfile;
import org.slowfast.model.StateDicts;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast info}: parameter count, GFLOPs per view and a per-module table (as MMAction2's
 * {@code tools/analysis/get_flops.py} with fvcore-style counting: multiply-adds of conv and fc layers only).
 * Computed from shapes alone; no weights are allocated.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Model size: parameters, GFLOPs per view (conv+fc multiply-adds) and a per-module table.")
public final class InfoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file (.yaml, .yml or .json).")
    Path config;

    @Option(names = "--shape", arity = "1..5", paramLabel = "DIM",
            description = "Input shape of one view as get_flops.py takes it: S (1×3×S×S), H W (1×3×H×W),"
                    + " N C H W, or N C T H W; T comes from the config's clip_len unless given (default: all from"
                    + " the test pipeline, else the val pipeline).")
    List<Long> shape;

    @Option(names = "--json", description = "Print one JSON object: params, flops, input_shape, stages, state_dict.")
    boolean json;

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Override keys of the merged config, e.g. model.cls_head.num_classes=10.")
    List<String> cfgOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        LoadedConfig cfg = LoadedConfig.load(config, cfgOptions);
        Recognizer3D model = Recognizer3D.build(cfg);
        Shape input = shape != null ? inputShape(shape, cfg) : inputShape(cfg);
        List<StageProfile> rows = model.profile(input);
        long params = model.trainableParameterCount();
        long flops = rows.stream().mapToLong(StageProfile::macs).sum();
        if (json) {
            System.out.println(toJson(model, input, rows, params, flops));
        } else {
            printTable(cfg, input, rows, params, flops);
        }
        return 0;
    }

    /** get_flops.py's --shape: S, H W or N C H W give the image size (T from the config's clip_len); or N C T H W. */
    private static Shape inputShape(List<Long> dims, LoadedConfig cfg) {
        if (dims.size() == 3 || dims.stream().anyMatch(d -> d < 1)) {
            throw new SlowfastException("--shape: expected positive S, H W, N C H W or N C T H W, got " + dims);
        }
        long[] d = switch (dims.size()) {
            case 1 -> new long[] {1, 3, clipLen(cfg), dims.get(0), dims.get(0)};
            case 2 -> new long[] {1, 3, clipLen(cfg), dims.get(0), dims.get(1)};
            case 4 -> new long[] {dims.get(0), dims.get(1), clipLen(cfg), dims.get(2), dims.get(3)};
            default -> dims.stream().mapToLong(Long::longValue).toArray();
        };
        if (d[1] != 3) {
            throw new SlowfastException("--shape: C must be 3, got " + dims);
        }
        return new Shape(d);
    }

    /** T of the input: clip_len of the test (else val) pipeline's frame sampler. */
    private static long clipLen(LoadedConfig cfg) {
        EvalPipeline p = evalPipeline(cfg);
        for (PipelineStep step : p == null ? List.<PipelineStep>of() : p.steps()) {
            if (step instanceof FrameSampler s && s.clipLen() != null) {
                return s.clipLen();
            }
        }
        throw new SlowfastException(cfg.file() + ": no SampleFrames or DenseSampleFrames with clip_len in data.test or"
                + " data.val to take T from; pass --shape N C T H W");
    }

    /** 1×3×clip_len×H×W from the test (else val) pipeline: SampleFrames and the crop, or a fixed-size Resize. */
    static Shape inputShape(LoadedConfig cfg) {
        EvalPipeline p = evalPipeline(cfg);
        if (p == null) {
            throw new SlowfastException(cfg.file() + ": no data.test or data.val pipeline to infer the input shape"
                    + " from; pass --shape N C T H W");
        }
        Integer clipLen = null;
        long[] hw = null;
        for (PipelineStep step : p.steps()) {
            if (step instanceof FrameSampler s) {
                clipLen = s.clipLen();
            } else if (step instanceof ThreeCrop c) {
                hw = crop(c.cropSize());
            } else if (step instanceof CenterCrop c) {
                hw = crop(c.cropSize());
            } else if (step instanceof TenCrop c) {
                hw = crop(c.cropSize());
            } else if (step instanceof Resize r && r.scale() != null && r.scale().size() == 2
                    && !r.keepRatio() && r.scale().get(0) > 0 && r.scale().get(1) > 0) {
                hw = new long[] {Math.round(r.scale().get(1)), Math.round(r.scale().get(0))};
            }
        }
        if (clipLen == null || hw == null) {
            throw cfg.error("data." + p.split() + ".pipeline", "cannot infer the input shape (needs a frame sampler"
                    + " and a crop or a fixed-size Resize); pass --shape N C T H W");
        }
        return new Shape(1, 3, clipLen, hw[0], hw[1]);
    }

    private record EvalPipeline(String split, List<PipelineStep> steps) {}

    /** The pipeline of data.test, else of data.val; null when neither has one. */
    private static EvalPipeline evalPipeline(LoadedConfig cfg) {
        var data = cfg.config().data();
        for (String split : List.of("test", "val")) {
            DatasetConfig ds = data == null || data.dataset(split) == null ? null : data.dataset(split).base();
            if (ds != null && ds.pipeline() != null) {
                return new EvalPipeline(split, ds.pipeline());
            }
        }
        return null;
    }

    /** crop_size is an int or (w, h); returns (h, w). */
    private static long[] crop(List<Integer> size) {
        return size.size() == 1 ? new long[] {size.get(0), size.get(0)} : new long[] {size.get(1), size.get(0)};
    }

    private static String toJson(Recognizer3D model, Shape input, List<StageProfile> rows, long params, long flops)
            throws Exception {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        root.put("params", params);
        root.put("flops", flops);
        ArrayNode in = root.putArray("input_shape");
        for (long d : input.getShape()) {
            in.add(d);
        }
        ArrayNode stages = root.putArray("stages");
        for (StageProfile r : rows) {
            ObjectNode s = stages.addObject();
            s.put("module", r.name());
            s.put("params", r.parameters());
            s.put("flops", r.macs());
            ArrayNode out = s.putArray("output_shape");
            for (long d : r.outputShape().getShape()) {
                out.add(d);
            }
        }
        ObjectNode sd = root.putObject("state_dict");
        StateDicts.shapes(model).forEach((k, v) -> {
            ArrayNode a = sd.putArray(k);
            for (long d : v) {
                a.add(d);
            }
        });
        return mapper.writeValueAsString(root);
    }

    private static void printTable(LoadedConfig cfg, Shape input, List<StageProfile> rows, long params, long flops) {
        System.out.printf("config: %s%n", cfg.file());
        System.out.printf("input shape: %s%n", shapeText(input));
        System.out.printf("params: %,d (%.2f M)%n", params, params / 1e6);
        System.out.printf("flops: %.2f GFLOPs per view (multiply-adds of conv and fc layers)%n%n", flops / 1e9);
        int width = rows.stream().mapToInt(r -> r.name().length()).max().orElse(6);
        String fmt = "| %-" + width + "s | %12s | %10s | %-22s |%n";
        System.out.printf(fmt, "module", "#params", "#GFLOPs", "output shape");
        System.out.printf("|%s|%s|%s|%s|%n", "-".repeat(width + 2), "-".repeat(14), "-".repeat(12), "-".repeat(24));
        for (StageProfile r : rows) {
            System.out.printf(fmt, r.name(), String.format("%,d", r.parameters()),
                    String.format("%.3f", r.macs() / 1e9), shapeText(r.outputShape()));
        }
        System.out.printf(fmt, "total", String.format("%,d", params), String.format("%.3f", flops / 1e9), "");
    }

    private static String shapeText(Shape s) {
        StringBuilder b = new StringBuilder();
        for (long d : s.getShape()) {
            b.append(b.length() == 0 ? "" : "x").append(d);
        }
        return b.toString();
    }
}
