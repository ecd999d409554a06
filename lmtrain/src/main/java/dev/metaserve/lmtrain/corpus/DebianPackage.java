package dev.metaserve.lmtrain.corpus;

import java.util.Objects;

/**
 * One Debian binary package, pinned by the SHA-256 that Debian bookworm's (signed) {@code Packages} index lists for it.
 *
 * @param poolPath path below the mirror root, e.g. {@code pool/main/b/bible-kjv/bible-kjv_4.38_amd64.deb}
 * @param sha256 lower-case hex SHA-256 of the .deb file
 */
public record DebianPackage(String poolPath, String sha256) {
    /** Jane Austen's six novels as an R data package (lazy-load database of character vectors). */
    public static final DebianPackage JANEAUSTENR = new DebianPackage(
            "pool/main/r/r-cran-janeaustenr/r-cran-janeaustenr_1.0.0-1_all.deb",
            "df6bddf211906d1ff404f8ff662c21b34e6660e7f54a311084e749050c019c95");
    /** The King James Bible in the compressed format of the {@code bible} program. */
    public static final DebianPackage BIBLE_KJV_TEXT = new DebianPackage(
            "pool/main/b/bible-kjv/bible-kjv-text_4.38_all.deb",
            "d61b6aad4c51ba9e2800b825325fa6a09e99a0d02a9bb6dc4724fcc4995a1b7a");
    /** The {@code bible} program (amd64) that decodes {@link #BIBLE_KJV_TEXT}. */
    public static final DebianPackage BIBLE_KJV_PROGRAM = new DebianPackage(
            "pool/main/b/bible-kjv/bible-kjv_4.38_amd64.deb",
            "75a49c032a6efa9faa2beb4a9acb70974380122906329d0e100de36cc88ff02d");

    public DebianPackage {
        Objects.requireNonNull(poolPath, "poolPath");
        if (!poolPath.endsWith(".deb") || poolPath.startsWith("/")) {
            throw new IllegalArgumentException("poolPath must be a relative path to a .deb file: " + poolPath);
        }
        if (sha256 == null || sha256.length() != 64 || !sha256.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("sha256 must be 64 hex digits: " + sha256);
        }
        sha256 = sha256.toLowerCase(java.util.Locale.ROOT);
    }

    /** The file name, e.g. {@code bible-kjv_4.38_amd64.deb}. */
    public String fileName() {
        return poolPath.substring(poolPath.lastIndexOf('/') + 1);
    }

    /** Whether {@code content} is this package, byte for byte. */
    boolean matches(byte[] content) {
        return sha256.equals(Sha256.hex(content));
    }
}
