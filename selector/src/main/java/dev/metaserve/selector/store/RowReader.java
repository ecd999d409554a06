package dev.metaserve.selector.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * Typed reads of one row's columns that refuse a missing (NULL) or unknown value with a
 * {@link CorruptHistoryException} naming the row and the column, instead of JDBC's silent 0 for NULL.
 */
final class RowReader {
    private final ResultSet row;
    private final long rowId;

    RowReader(ResultSet row, long rowId) {
        this.row = row;
        this.rowId = rowId;
    }

    String text(String column) throws SQLException {
        String value = row.getString(column);
        if (value == null) {
            throw missing(column);
        }
        return value;
    }

    int integer(String column) throws SQLException {
        int value = row.getInt(column);
        if (row.wasNull()) {
            throw missing(column);
        }
        return value;
    }

    long bigInteger(String column) throws SQLException {
        long value = row.getLong(column);
        if (row.wasNull()) {
            throw missing(column);
        }
        return value;
    }

    double real(String column) throws SQLException {
        double value = row.getDouble(column);
        if (row.wasNull()) {
            throw missing(column);
        }
        return value;
    }

    Instant instant(String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        if (value == null) {
            throw missing(column);
        }
        return value.toInstant();
    }

    <E extends Enum<E>> E constant(String column, Class<E> type) throws SQLException {
        String value = text(column);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(value)) {
                return constant;
            }
        }
        throw corrupt("column " + column + ": '" + value + "' is not one of "
                + Arrays.toString(type.getEnumConstants()), null);
    }

    CorruptHistoryException corrupt(String problem, Throwable cause) {
        return new CorruptHistoryException(rowId, problem, cause);
    }

    private CorruptHistoryException missing(String column) {
        return corrupt("column " + column + " is NULL", null);
    }
}
