package dev.metaserve.lmtrain.corpus;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 digests (every Java runtime has the algorithm, so its absence is an error, not a checked case). */
final class Sha256 {
    private Sha256() {
    }

    static byte[] of(byte[] content) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this Java runtime", e);
        }
    }

    static String hex(byte[] content) {
        return HexFormat.of().formatHex(of(content));
    }
}
