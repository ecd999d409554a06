package dev.metaserve.accelerators;

/** The item's caller had gone away (cancelled, or past its deadline) when its batch was formed; nothing was computed. */
public class CancelledBeforeStartException extends RuntimeException {
    public CancelledBeforeStartException() {
        super("cancelled or past its deadline before its batch started");
    }
}
