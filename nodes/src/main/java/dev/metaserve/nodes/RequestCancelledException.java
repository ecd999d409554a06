package dev.metaserve.nodes;

/** The caller cancelled, or its deadline passed, before the work started; nothing was computed. */
public class RequestCancelledException extends RuntimeException {
    public RequestCancelledException() {
        super("call cancelled or past its deadline before the work started");
    }
}
