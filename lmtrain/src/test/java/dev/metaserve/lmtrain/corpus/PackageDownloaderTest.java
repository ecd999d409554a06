package dev.metaserve.lmtrain.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a real HTTP server on loopback that plays the mirror. */
class PackageDownloaderTest {
    private static final byte[] CONTENT = "pretend .deb".getBytes(StandardCharsets.US_ASCII);
    private HttpServer mirror;
    private PackageDownloader downloader;

    @BeforeEach
    void startMirror() throws IOException {
        mirror = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        mirror.createContext("/debian/pool/main/t/tiny/", exchange -> {
            exchange.sendResponseHeaders(200, CONTENT.length);
            exchange.getResponseBody().write(CONTENT);
            exchange.close();
        });
        mirror.start();
        URI root = URI.create("http://127.0.0.1:" + mirror.getAddress().getPort() + "/debian");
        downloader = new PackageDownloader(CorpusFetcher.defaultHttpClient(), root, Duration.ofSeconds(10));
    }

    @AfterEach
    void stopMirror() {
        mirror.stop(0);
    }

    @Test
    void downloadsPackageWhoseChecksumMatches() {
        DebianPackage pkg = new DebianPackage("pool/main/t/tiny/tiny_1_all.deb", Sha256.hex(CONTENT));

        assertThat(downloader.download(pkg)).isEqualTo(CONTENT);
    }

    @Test
    void refusesPackageWhoseChecksumDiffers() {
        DebianPackage pkg = new DebianPackage("pool/main/t/tiny/tiny_1_all.deb", "0".repeat(64));

        assertThatThrownBy(() -> downloader.download(pkg))
                .isInstanceOf(CorpusException.class).hasMessageContaining("checksum mismatch");
    }

    @Test
    void reportsHttpStatusOfMissingPackage() {
        DebianPackage pkg = new DebianPackage("pool/main/g/gone/gone_1_all.deb", "0".repeat(64));

        assertThatThrownBy(() -> downloader.download(pkg))
                .isInstanceOf(CorpusException.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void refusesMalformedPins() {
        assertThatThrownBy(() -> new DebianPackage("pool/main/t/tiny/tiny_1_all.deb", "abc"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
        assertThatThrownBy(() -> new DebianPackage("/etc/passwd", "0".repeat(64)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(".deb");
    }
}
