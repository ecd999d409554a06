package dev.metaserve.lmtrain.corpus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;

/** Downloads pinned Debian packages from a mirror over HTTP(S) and refuses any whose SHA-256 differs. */
public final class PackageDownloader {
    private final HttpClient client;
    private final URI mirror;
    private final Duration requestTimeout;

    /**
     * @param mirror root of a Debian mirror, e.g. {@code http://deb.debian.org/debian}
     * @param requestTimeout deadline of each download, connection included
     */
    public PackageDownloader(HttpClient client, URI mirror, Duration requestTimeout) {
        this.client = Objects.requireNonNull(client, "client");
        this.mirror = withTrailingSlash(Objects.requireNonNull(mirror, "mirror"));
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
    }

    public URI urlOf(DebianPackage pkg) {
        return mirror.resolve(pkg.poolPath());
    }

    /** The package's bytes, verified against its pinned SHA-256. */
    public byte[] download(DebianPackage pkg) {
        URI url = urlOf(pkg);
        HttpRequest request = HttpRequest.newBuilder(url).timeout(requestTimeout).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CorpusException("cannot download " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CorpusException("interrupted while downloading " + url, e);
        }
        if (response.statusCode() != 200) {
            throw new CorpusException("cannot download " + url + ": HTTP " + response.statusCode());
        }
        byte[] body = response.body();
        if (!pkg.matches(body)) {
            throw new CorpusException("checksum mismatch for " + url + ": expected SHA-256 " + pkg.sha256()
                    + ", got " + Sha256.hex(body) + " (" + body.length + " bytes)");
        }
        return body;
    }

    private static URI withTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? uri : URI.create(text + "/");
    }
}
