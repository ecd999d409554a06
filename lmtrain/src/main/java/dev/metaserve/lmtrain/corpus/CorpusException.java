package dev.metaserve.lmtrain.corpus;

/** The training text could not be obtained: unreachable mirror, wrong checksum, malformed archive or data. */
public class CorpusException extends RuntimeException {
    public CorpusException(String message) {
        super(message);
    }

    public CorpusException(String message, Throwable cause) {
        super(message, cause);
    }
}
