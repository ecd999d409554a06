package dev.metaserve.lmtrain.corpus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * Reads files out of a Debian binary package: an {@code ar} archive whose member {@code data.tar.xz} (or
 * {@code data.tar.gz}) holds the installed files.
 */
public final class DebArchive {
    private DebArchive() {
    }

    /**
     * The contents of the wanted files from the package's data archive.
     *
     * @param deb the .deb file's bytes
     * @param wanted absolute install paths without the leading slash, e.g. {@code usr/lib/bible.data}
     * @return one entry per wanted path, in the order of {@code wanted}'s iteration
     * @throws CorpusException if the package is malformed or lacks one of the files
     */
    public static Map<String, byte[]> extract(byte[] deb, Set<String> wanted) {
        try (ArArchiveInputStream ar = new ArArchiveInputStream(new ByteArrayInputStream(deb))) {
            ArArchiveEntry member;
            while ((member = ar.getNextEntry()) != null) {
                String name = member.getName();
                if (name.startsWith("data.tar")) {
                    return extractFromTar(decompressor(name, ar), wanted);
                }
            }
        } catch (IOException e) {
            throw new CorpusException("not a readable Debian package (ar archive): " + e.getMessage(), e);
        }
        throw new CorpusException("Debian package has no data.tar member");
    }

    private static InputStream decompressor(String memberName, InputStream member) throws IOException {
        return switch (memberName) {
            case "data.tar.xz" -> new XZCompressorInputStream(member);
            case "data.tar.gz" -> new GzipCompressorInputStream(member);
            case "data.tar" -> member;
            default -> throw new CorpusException("unsupported data archive in Debian package: " + memberName
                    + " (supported: data.tar.xz, data.tar.gz, data.tar)");
        };
    }

    private static Map<String, byte[]> extractFromTar(InputStream tarStream, Set<String> wanted) throws IOException {
        Map<String, byte[]> found = new LinkedHashMap<>();
        TarArchiveInputStream tar = new TarArchiveInputStream(tarStream);
        TarArchiveEntry entry;
        while ((entry = tar.getNextEntry()) != null && found.size() < wanted.size()) {
            String path = normalize(entry.getName());
            if (entry.isFile() && wanted.contains(path)) {
                found.put(path, tar.readAllBytes());
            }
        }
        if (found.size() < wanted.size()) {
            Set<String> missing = new TreeSet<>(wanted);
            missing.removeAll(found.keySet());
            throw new CorpusException("Debian package lacks " + missing);
        }
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        wanted.forEach(path -> ordered.put(path, found.get(path)));
        return ordered;
    }

    /** Tar entries in .deb files are named {@code ./usr/...}. */
    private static String normalize(String tarName) {
        String path = tarName.startsWith("./") ? tarName.substring(2) : tarName;
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
