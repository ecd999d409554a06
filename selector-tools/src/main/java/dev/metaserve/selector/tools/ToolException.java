package dev.metaserve.selector.tools;

/** A failure the command reports as one line and exit code 1: bad input, unreadable data, an unwritable file. */
final class ToolException extends RuntimeException {
    ToolException(String message) {
        super(message);
    }

    ToolException(String message, Throwable cause) {
        super(message, cause);
    }
}
