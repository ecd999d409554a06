package dev.metaserve.selector.store;

/**
 * A stored row is not a valid observation (a value out of range, a plan that does not parse, an unknown source, a
 * missing value). The store never skips such a row: training on a history with holes would be wrong without anyone
 * knowing, so the read fails until the row is fixed or deleted.
 */
public final class CorruptHistoryException extends HistoryStoreException {
    private final long rowId;

    public CorruptHistoryException(long rowId, String problem, Throwable cause) {
        super("history row " + rowId + " is corrupt: " + problem + " (fix or delete the row; it is never skipped)",
                cause);
        this.rowId = rowId;
    }

    /** The {@code id} of the bad row in table {@code observation}. */
    public long rowId() {
        return rowId;
    }
}
