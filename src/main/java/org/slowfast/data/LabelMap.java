package org.slowfast.data;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.slowfast.SlowfastException;

/** A label map file: one class name per line, line {@code i} (0-based) naming label {@code i}. */
public record LabelMap(Path file, List<String> names) {
    public static LabelMap read(Path file) {
        try {
            List<String> names = TextLines.read(file).stream().map(String::strip).toList();
            int end = names.size();
            while (end > 0 && names.get(end - 1).isEmpty()) {
                end--;
            }
            return new LabelMap(file, names.subList(0, end));
        } catch (NoSuchFileException e) {
            throw new SlowfastException(file + ": label map not found");
        } catch (IOException e) {
            throw new SlowfastException(file + ": cannot read the label map: " + Images.oneLine(e));
        }
    }

    /** This map if it names exactly {@code numClasses} classes (one line each), else an error naming the file. */
    public LabelMap checkClasses(int numClasses) {
        if (names.size() != numClasses) {
            throw new SlowfastException(file + ": the label map has " + names.size() + " lines but the model has "
                    + numClasses + " classes");
        }
        return this;
    }

    /** The name of {@code label}; an error naming the file when the map has no such line. */
    public String name(int label) {
        if (label < 0 || label >= names.size()) {
            throw new SlowfastException(file + ": no name for label " + label + " (" + names.size() + " classes)");
        }
        return names.get(label);
    }
}
