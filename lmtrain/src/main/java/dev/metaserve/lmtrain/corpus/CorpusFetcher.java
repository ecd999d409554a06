package dev.metaserve.lmtrain.corpus;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.GZIPOutputStream;

/**
 * Obtains the project's training text from Debian packages and writes it as gzipped UTF-8:
 * {@value #AUSTEN_FILE} (Jane Austen's novels, from {@code r-cran-janeaustenr}) and {@value #KJV_FILE} (the King
 * James Bible, from {@code bible-kjv-text}, printed by {@code bible-kjv}'s program). Packages are pinned by SHA-256.
 * A corpus file that already exists is kept unless {@link Settings#force()}.
 */
public final class CorpusFetcher {
    public static final String AUSTEN_FILE = "austen.txt.gz";
    public static final String KJV_FILE = "kjv.txt.gz";
    public static final String DEFAULT_MIRROR_URL = "http://deb.debian.org/debian";
    public static final URI DEFAULT_MIRROR = URI.create(DEFAULT_MIRROR_URL);
    /** Relative to the working directory: {@code data/corpus} under the project's data directory when run from the root. */
    public static final String DEFAULT_OUT_DIR = "data/corpus";

    /**
     * @param mirror root of a Debian mirror that carries bookworm's pool
     * @param outDir where the corpus files go; created if missing
     * @param force rebuild files that already exist
     * @param downloadTimeout deadline of each package download
     * @param programTimeout deadline of the {@code bible} program's run
     */
    public record Settings(URI mirror, Path outDir, boolean force, Duration downloadTimeout, Duration programTimeout) {
        public static final Duration DEFAULT_DOWNLOAD_TIMEOUT = Duration.ofMinutes(2);
        public static final Duration DEFAULT_PROGRAM_TIMEOUT = Duration.ofMinutes(1);

        public Settings {
            Objects.requireNonNull(mirror, "mirror");
            Objects.requireNonNull(outDir, "outDir");
            Objects.requireNonNull(downloadTimeout, "downloadTimeout");
            Objects.requireNonNull(programTimeout, "programTimeout");
            String scheme = mirror.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new IllegalArgumentException("mirror must be an http(s) URL: " + mirror);
            }
        }

        public static Settings defaults(Path outDir) {
            return new Settings(DEFAULT_MIRROR, outDir, false, DEFAULT_DOWNLOAD_TIMEOUT, DEFAULT_PROGRAM_TIMEOUT);
        }
    }

    /** What happened to one corpus file. */
    public record Outcome(Path file, boolean written, long characters) {
    }

    private final Settings settings;
    private final PackageDownloader downloader;
    private final Consumer<String> progress;

    public CorpusFetcher(Settings settings, HttpClient client, Consumer<String> progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.downloader = new PackageDownloader(client, settings.mirror(), settings.downloadTimeout());
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** An HTTP client suited to the fetcher: follows redirects (mirrors redirect), bounded connection time. */
    public static HttpClient defaultHttpClient() {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(20))
                .build();
    }

    /** Writes both corpora, skipping existing files unless forced; one outcome per file. */
    public List<Outcome> fetchAll() {
        List<Outcome> outcomes = new ArrayList<>();
        outcomes.add(produce(AUSTEN_FILE, this::austenText));
        outcomes.add(produce(KJV_FILE, this::kjvText));
        return outcomes;
    }

    private String austenText() {
        byte[] deb = download(DebianPackage.JANEAUSTENR);
        progress.accept("reading the novels from the R lazy-load database");
        return AustenCorpus.text(AustenCorpus.novels(deb));
    }

    private String kjvText() {
        byte[] textDeb = download(DebianPackage.BIBLE_KJV_TEXT);
        byte[] programDeb = download(DebianPackage.BIBLE_KJV_PROGRAM);
        progress.accept("printing all verses with the bible program");
        return KjvCorpus.text(programDeb, textDeb, settings.programTimeout());
    }

    private byte[] download(DebianPackage pkg) {
        progress.accept("downloading " + downloader.urlOf(pkg));
        byte[] deb = downloader.download(pkg);
        progress.accept("  " + deb.length + " bytes, SHA-256 verified");
        return deb;
    }

    private Outcome produce(String fileName, Supplier<String> text) {
        Path target = settings.outDir().resolve(fileName);
        if (Files.exists(target) && !settings.force()) {
            progress.accept(target + " exists, skipped (use --force to rebuild)");
            return new Outcome(target, false, -1);
        }
        String content = text.get();
        writeGzip(target, content);
        progress.accept("wrote " + target + " (" + content.length() + " characters)");
        return new Outcome(target, true, content.length());
    }

    /** Writes through a temporary file and a rename, so an interrupted run leaves no half-written corpus. */
    static void writeGzip(Path target, String content) {
        try {
            Path dir = target.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temporary = dir.resolve(target.getFileName() + ".part");
            try {
                try (OutputStream file = Files.newOutputStream(temporary); // truncates a leftover .part
                     Writer writer = new OutputStreamWriter(new GZIPOutputStream(file), StandardCharsets.UTF_8)) {
                    writer.write(content);
                }
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new CorpusException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
