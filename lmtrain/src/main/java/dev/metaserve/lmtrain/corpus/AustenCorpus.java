package dev.metaserve.lmtrain.corpus;

import dev.metaserve.lmtrain.corpus.RValue.RStrings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Jane Austen's six novels, read from the R data package {@code r-cran-janeaustenr}. */
public final class AustenCorpus {
    static final String RDX = "usr/lib/R/site-library/janeaustenr/data/Rdata.rdx";
    static final String RDB = "usr/lib/R/site-library/janeaustenr/data/Rdata.rdb";

    /** One novel: its object name in the package (e.g. {@code emma}) and its lines. */
    public record Novel(String name, List<String> lines) {
    }

    private AustenCorpus() {
    }

    /** The novels in the package's .deb file, in the order of the package's index (alphabetical by name). */
    public static List<Novel> novels(byte[] deb) {
        Map<String, byte[]> files = DebArchive.extract(deb, Set.of(RDX, RDB));
        return novels(RLazyLoadDatabase.open(files.get(RDX), files.get(RDB)));
    }

    static List<Novel> novels(RLazyLoadDatabase database) {
        List<Novel> novels = new ArrayList<>();
        for (String name : database.names()) {
            if (!(database.get(name) instanceof RStrings text)) {
                throw new CorpusException("janeaustenr object '" + name + "' is not a character vector");
            }
            novels.add(new Novel(name, text.values().stream().map(line -> line == null ? "" : line).toList()));
        }
        if (novels.isEmpty()) {
            throw new CorpusException("janeaustenr data holds no novels");
        }
        return novels;
    }

    /** The novels' lines joined by newlines, each novel ended by a newline, novels separated by a blank line. */
    public static String text(List<Novel> novels) {
        StringBuilder text = new StringBuilder();
        for (Novel novel : novels) {
            if (!text.isEmpty()) {
                text.append('\n');
            }
            for (String line : novel.lines()) {
                text.append(line).append('\n');
            }
        }
        return text.toString();
    }
}
