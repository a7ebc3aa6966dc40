package org.slowfast.data.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.slowfast.SlowfastException;
import org.slowfast.io.AtomicFiles;

/**
 * Annotation lists for a class-per-folder tree, after MMAction2's {@code tools/data/build_file_list.py}:
 * {@code "DIR FRAMES LABEL"} for rawframes (FRAMES counts the files starting with the RGB prefix) and
 * {@code "PATH LABEL"} for videos, paths relative to the source folder (the dataset's {@code data_prefix}).
 * Labels number the classes sorted by name. Each class is split into train and val with a seeded shuffle.
 *
 * <p>Level 2: {@code SRC/CLASS/ENTRY}. Level 1: {@code SRC/ENTRY}, where an entry's class is its name up to the
 * last underscore ({@code right_0003} is of class {@code right}).
 */
public final class FileListBuilder {
    /** Extensions taken as videos with {@code --format videos}. */
    public static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "avi", "webm", "mkv", "mov", "m4v", "mpg", "mpeg");

    public enum Format { RAWFRAMES, VIDEOS }

    /** The lists' names: {@code train_list_rawframes.txt}, {@code val_list_videos.txt}, ... */
    public static String listName(String split, Format format) {
        return split + "_list_" + format.name().toLowerCase(Locale.ROOT) + ".txt";
    }

    public static final String LABEL_MAP = "label_map.txt";

    /** The written files and their line counts. */
    public record Result(Path trainList, int train, Path valList, int val, Path labelMap, int classes) {}

    private FileListBuilder() {}

    public static Result build(Path src, Path out, Format format, int level, String rgbPrefix, double valRatio,
                               long seed, boolean shuffle) {
        if (!Files.isDirectory(src)) {
            throw new SlowfastException(src + ": no such directory");
        }
        if (level != 1 && level != 2) {
            throw new SlowfastException("--level must be 1 or 2, got " + level);
        }
        if (valRatio < 0 || valRatio >= 1) {
            throw new SlowfastException("--val-ratio must be in [0, 1), got " + valRatio);
        }
        TreeMap<String, List<Path>> byClass = new TreeMap<>();
        for (Path entry : entries(src, level, format)) {
            String cls = level == 2 ? entry.getName(0).toString() : classOfName(entry.getFileName().toString());
            byClass.computeIfAbsent(cls, k -> new ArrayList<>()).add(entry);
        }
        if (byClass.isEmpty()) {
            throw new SlowfastException(src + ": no " + (format == Format.VIDEOS ? "videos" : "frame directories")
                    + " at level " + level);
        }
        Random random = new Random(seed);
        List<String> train = new ArrayList<>();
        List<String> val = new ArrayList<>();
        List<String> classes = new ArrayList<>(byClass.keySet());
        for (int label = 0; label < classes.size(); label++) {
            List<Path> items = new ArrayList<>(byClass.get(classes.get(label)));
            Collections.shuffle(items, random);
            int nVal = (int) Math.round(items.size() * valRatio);
            if (valRatio > 0 && nVal == 0 && items.size() > 1) {
                nVal = 1;
            }
            List<Path> valItems = new ArrayList<>(items.subList(0, nVal));
            List<Path> trainItems = new ArrayList<>(items.subList(nVal, items.size()));
            Collections.sort(valItems);
            Collections.sort(trainItems);
            for (Path p : trainItems) {
                train.add(line(src, p, label, format, rgbPrefix));
            }
            for (Path p : valItems) {
                val.add(line(src, p, label, format, rgbPrefix));
            }
        }
        if (shuffle) {
            Collections.shuffle(train, random);
            Collections.shuffle(val, random);
        }
        Path trainList = out.resolve(listName("train", format));
        Path valList = out.resolve(listName("val", format));
        Path labelMap = out.resolve(LABEL_MAP);
        AtomicFiles.writeString(trainList, join(train));
        AtomicFiles.writeString(valList, join(val));
        AtomicFiles.writeString(labelMap, join(classes));
        return new Result(trainList, train.size(), valList, val.size(), labelMap, classes.size());
    }

    /** The class of a level-1 entry: its name (without extension) up to the last underscore. */
    static String classOfName(String name) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        int underscore = stem.lastIndexOf('_');
        return underscore > 0 ? stem.substring(0, underscore) : stem;
    }

    /** Entries relative to {@code src}: frame directories or video files at depth {@code level}, hidden ones skipped. */
    private static List<Path> entries(Path src, int level, Format format) {
        try (Stream<Path> paths = Files.find(src, level, (p, attrs) -> {
            Path rel = src.relativize(p);
            if (rel.getNameCount() != level || rel.toString().isEmpty()) {
                return false;
            }
            for (Path part : rel) {
                if (part.toString().startsWith(".")) {
                    return false;
                }
            }
            return format == Format.RAWFRAMES ? attrs.isDirectory() : attrs.isRegularFile() && isVideo(p);
        })) {
            return paths.map(src::relativize).sorted().toList();
        } catch (IOException e) {
            throw new SlowfastException(src + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static boolean isVideo(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && VIDEO_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static String line(Path src, Path entry, int label, Format format, String rgbPrefix) {
        String path = entry.toString().replace('\\', '/');
        if (path.contains(" ")) {
            throw new SlowfastException(src.resolve(entry) + ": paths with spaces break MMAction2's annotation lines");
        }
        if (format == Format.VIDEOS) {
            return path + " " + label;
        }
        try (Stream<Path> files = Files.list(src.resolve(entry))) {
            long frames = files.filter(f -> f.getFileName().toString().startsWith(rgbPrefix)).count();
            return path + " " + frames + " " + label;
        } catch (IOException e) {
            throw new SlowfastException(src.resolve(entry) + ": cannot list: " + e.getMessage(), e);
        }
    }

    private static String join(List<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
