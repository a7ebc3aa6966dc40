package org.slowfast;

/** The toolkit version, read from the jar manifest (falls back to the development version). */
public final class Version {
    private Version() {}

    public static String get() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }
}
