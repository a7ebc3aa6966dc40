package org.slowfast.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slowfast.config.LoadedConfig;

/**
 * Tiny generated rawframe datasets: video {@code v} has frames {@code img_00001.png ...} whose pixel (x, y) is
 * RGB (frame number, x, y + 16·v), so every decoded value tells where it came from.
 */
final class TinyData {
    private TinyData() {}

    static Frame frame(int number, int video, int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * 3;
                rgb[o] = (byte) number;
                rgb[o + 1] = (byte) x;
                rgb[o + 2] = (byte) (y + 16 * video);
            }
        }
        return new Frame(w, h, rgb);
    }

    /** Writes {@code frames.length} videos (video v has frames[v] frames, label v % classes) and the list. */
    static Path rawframes(Path root, int[] frames, int classes, int w, int h) {
        try {
            List<String> lines = new ArrayList<>();
            for (int v = 0; v < frames.length; v++) {
                Path dir = root.resolve("rawframes/vid" + v);
                Files.createDirectories(dir);
                for (int f = 1; f <= frames[v]; f++) {
                    Images.writePng(Images.toImage(frame(f, v, w, h)), dir.resolve(String.format("img_%05d.png", f)));
                }
                lines.add("vid" + v + " " + frames[v] + " " + (v % classes));
            }
            Path ann = root.resolve("list.txt");
            Files.write(ann, lines);
            return ann;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A config with the given data.train/val/test pipeline YAML (a list of flow mappings, one per line). */
    static LoadedConfig config(Path root, String pipeline, String extra) {
        String dataset = "    type: RawframeDataset\n    ann_file: " + root.resolve("list.txt") + "\n"
                + "    data_prefix: " + root.resolve("rawframes") + "\n    filename_tmpl: 'img_{:05}.png'\n"
                + "    pipeline:\n" + pipeline.indent(6);
        String yaml = "model:\n  cls_head:\n    num_classes: 4\n" + "data:\n  videos_per_gpu: 2\n  workers_per_gpu: 0\n"
                + "  train:\n" + dataset + "  val:\n" + dataset + "  test:\n" + dataset + extra;
        try {
            Path file = root.resolve("cfg.yaml");
            Files.writeString(file, yaml);
            return LoadedConfig.load(file, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final String TRAIN_PIPELINE = String.join("\n",
            "- {type: SampleFrames, clip_len: 4, frame_interval: 2, num_clips: 1}",
            "- {type: RawFrameDecode}",
            "- {type: Resize, scale: [-1, 12]}",
            "- {type: RandomResizedCrop}",
            "- {type: Resize, scale: [8, 8], keep_ratio: false}",
            "- {type: Flip, flip_ratio: 0.5}",
            "- {type: Normalize, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], to_bgr: false}",
            "- {type: FormatShape, input_format: NCTHW}",
            "- {type: Collect, keys: [imgs, label], meta_keys: []}",
            "- {type: ToTensor, keys: [imgs, label]}");

    static final String TEST_PIPELINE = String.join("\n",
            "- {type: SampleFrames, clip_len: 4, frame_interval: 2, num_clips: 2, test_mode: true}",
            "- {type: RawFrameDecode}",
            "- {type: Resize, scale: [-1, 8]}",
            "- {type: ThreeCrop, crop_size: 8}",
            "- {type: Normalize, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], to_bgr: false}",
            "- {type: FormatShape, input_format: NCTHW}",
            "- {type: Collect, keys: [imgs, label], meta_keys: []}",
            "- {type: ToTensor, keys: [imgs]}");
}
