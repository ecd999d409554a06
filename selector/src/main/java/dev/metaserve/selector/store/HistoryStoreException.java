package dev.metaserve.selector.store;

/** The history store could not be opened, read or written; the message says which store and what failed. */
public class HistoryStoreException extends RuntimeException {
    public HistoryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
