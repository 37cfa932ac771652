package io.pgbluegreen.support;

/** Closes everything it is given, in order, even when one of them fails: a test's teardown must not stop halfway. */
public final class Teardown {
    private Teardown() {
    }

    public static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                if (resource != null) {
                    resource.close();
                }
            } catch (Exception ignored) {
                // keep closing the rest; the fixture's shutdown hook is the last resort
            }
        }
    }
}
