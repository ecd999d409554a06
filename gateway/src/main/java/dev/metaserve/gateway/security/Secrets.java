package dev.metaserve.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Comparison of secrets in time that does not depend on where they differ. */
public final class Secrets {
    private Secrets() {}

    public static boolean equal(String expected, String given) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
