package org.slowfast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipDataset;
import org.slowfast.data.ContactSheet;
import org.slowfast.data.Images;
import org.slowfast.data.LabelMap;
import org.slowfast.data.Sample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slowfast browse-dataset}: runs one sample of a split through its pipeline and shows what the model sees. */
@Command(name = "browse-dataset", mixinStandardHelpOptions = true,
        description = "Show one sample of a split: sampled frame indices, label, tensor shape; optionally the decoded "
                + "frames and a contact sheet of the final clip.")
public final class BrowseDatasetCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file.")
    Path config;

    @Option(names = "--split", defaultValue = "train", description = "train, val or test (default: ${DEFAULT-VALUE}).")
    String split;

    @Option(names = "--index", defaultValue = "0", description = "Sample index in the annotation list.")
    int index;

    @Option(names = "--seed", defaultValue = "0", description = "Run seed for the random steps.")
    long seed;

    @Option(names = "--epoch", defaultValue = "0", description = "0-based epoch for the random steps.")
    int epoch;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Write the decoded frames (before transforms) and contact_sheet.png here.")
    Path out;

    @Option(names = "--label-map", paramLabel = "FILE", description = "Class names, one per line.")
    Path labelMap;

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE", description = "Override config keys.")
    List<String> cfgOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        LoadedConfig cfg = LoadedConfig.load(config, cfgOptions);
        ClipDataset dataset = ClipDataset.build(cfg, split);
        if (index < 0 || index >= dataset.size()) {
            throw new SlowfastException(dataset.annFile() + ": --index " + index + " is outside [0, " + dataset.size()
                    + ")");
        }
        Sample s = dataset.sample(index, seed, epoch);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("index", index);
        info.put("file", s.file.toString());
        info.put("total_frames", s.totalFrames);
        info.put("frame_inds", s.frameInds);
        info.put("clip_len", s.clipLen);
        info.put("frame_interval", s.frameInterval);
        info.put("num_clips", s.numClips);
        info.put("label", s.label);
        if (labelMap != null) {
            LabelMap names = LabelMap.read(labelMap);
            Integer classes = cfg.config().model() == null || cfg.config().model().clsHead() == null ? null
                    : cfg.config().model().clsHead().numClasses();
            info.put("label_name", (classes == null ? names : names.checkClasses(classes)).name(s.label));
        }
        info.put("flip", s.flip);
        info.put("original_shape", s.decoded == null || s.decoded.isEmpty() ? null
                : new int[] {s.decoded.get(0).height(), s.decoded.get(0).width()});
        // without FormatShape the sample is a list of HxWx3 frames, as MMAction2's results['imgs']
        info.put("imgs_shape", s.inputShape != null ? s.inputShape
                : s.imgs == null || s.imgs.isEmpty() ? null : new int[] {s.imgs.size(), s.height(), s.width(), 3});
        if (out != null) {
            List<String> files = new ArrayList<>();
            int digits = Math.max(3, String.valueOf(s.decoded.size() - 1).length());
            for (int i = 0; i < s.decoded.size(); i++) {
                String name = String.format("%0" + digits + "d_frame_%05d.png", i, s.frameInds[i]);
                Images.writePng(Images.toImage(s.decoded.get(i)), out.resolve(name));
                files.add(name);
            }
            if (s.inputShape != null) {
                Images.writePng(ContactSheet.draw(s), out.resolve("contact_sheet.png"));
            }
            info.put("out", out.toString());
        }
        if (json) {
            System.out.println(new ObjectMapper().writeValueAsString(info));
        } else {
            for (Map.Entry<String, Object> e : info.entrySet()) {
                Object v = e.getValue();
                String text = v instanceof int[] a ? java.util.Arrays.toString(a)
                        : v instanceof long[] a ? java.util.Arrays.toString(a) : String.valueOf(v);
                System.out.println(e.getKey() + ": " + text);
            }
        }
        return 0;
    }
}
