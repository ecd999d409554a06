package dev.metaserve.gateway.selection;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CandidateCatalogTest {

    @Test
    void aDecodingMatchesTheTemplateANodeAdvertisesForItsKind() {
        assertThat(CandidateCatalog.kind("draft(K)")).isEqualTo(CandidateCatalog.kind("draft(4)")).isEqualTo("draft");
        assertThat(CandidateCatalog.kind("ngram(K,N)")).isEqualTo(CandidateCatalog.kind("ngram(4,2)"));
        assertThat(CandidateCatalog.kind("plain")).isEqualTo("plain");
        assertThat(CandidateCatalog.kind("ngram(4,2)")).isNotEqualTo(CandidateCatalog.kind("draft(4)"));
    }
}
